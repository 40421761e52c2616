from django.core.management.base import BaseCommand, CommandError

from content import bank_cues
from content.bank_lint import cue_tables, lint
from content.loader import CONTENT_DIR, bank_items_read


class Command(BaseCommand):
    help = (
        "Check the question banks in content/banks/ and the lessons' knowledge checks against the "
        "item-writing rules, and print the answer-cue table of every bank."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bank",
            help="Only this bank file (e.g. SOC-exam-2): its own cue table and the findings that name its items.",
        )

    def handle(self, *args, **options):
        findings = lint()
        if options["bank"]:
            path = CONTENT_DIR / "banks" / f"{options['bank']}.yaml"
            if not path.exists():
                raise CommandError(f"No bank file {path.name} in content/banks/.")
            items = bank_items_read(path)
            rows = bank_cues.bank_rows(items)
            for row in rows:
                row.name = options["bank"]
            self.stdout.write(bank_cues.cue_table(rows))
            ids = {it.external_id for it in items}
            findings = [f for f in findings if any(i in f for i in ids) or f.startswith(path.name)]
            findings += [f for row in rows for f in row.findings()]
        else:
            self.stdout.write(cue_tables())
        self.stdout.write("")
        for finding in findings:
            self.stderr.write(finding)
        if findings:
            raise CommandError(f"{len(findings)} finding(s) in the question banks.")
        self.stdout.write(self.style.SUCCESS("The question banks follow every rule."))
