import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from content.demo import demo_seed
from content.fitsm.demo import assessment_demo_seed


class Command(BaseCommand):
    help = "Create the demo accounts and objects (idempotent). Refuses when DEBUG is off unless --force."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print one JSON object and nothing else.")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off; pass --force if you mean it."
            )
        try:
            result = demo_seed()
            assessment_demo = assessment_demo_seed()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        result["ids"]["assessments"] = assessment_demo["assessments"]
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        for line in assessment_demo["lines"]:
            self.stdout.write(line)
        for account in assessment_demo["accounts"]:
            self.stdout.write(
                f"  Self-assessment demo login: {account['email']} ({account['role']}), {account['password']}"
            )
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo logins (development only):"))
        for account in result["accounts"]:
            self.stdout.write(f"  {account['role']:<10} {account['email']:<24} {account['password']}")
