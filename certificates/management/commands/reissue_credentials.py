from django.core.management.base import BaseCommand, CommandError

from certificates.services import credentials_reissue


class Command(BaseCommand):
    help = (
        "Reissue every certificate's Open Badges 3.0 credential in the current format. Credentials are "
        "rendered on request from the certificate row (nothing signed is stored), so the next request "
        "already gets the current format: this command signs each one once with the current keys to "
        "prove it can, and refreshes what is stored about them (the PDF is left as it is)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Sign and check, record nothing.")

    def handle(self, *args, dry_run=False, **options):
        try:
            count = credentials_reissue(record=not dry_run)
        except Exception as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{count} credential(s) are served in the current format."))
