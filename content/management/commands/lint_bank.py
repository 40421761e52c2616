from django.core.management.base import BaseCommand, CommandError

from content.bank_lint import lint


class Command(BaseCommand):
    help = "Check the question banks in content/banks/ against the item-writing rules."

    def handle(self, *args, **options):
        findings = lint()
        for finding in findings:
            self.stderr.write(finding)
        if findings:
            raise CommandError(f"{len(findings)} finding(s) in the question banks.")
        self.stdout.write(self.style.SUCCESS("The question banks follow every rule."))
