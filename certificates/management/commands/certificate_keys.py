from django.core.management.base import BaseCommand, CommandError

from certificates import signing_keys


class Command(BaseCommand):
    help = (
        "The Ed25519 keys that sign Open Badges 3.0 credentials: `create` (or `rotate`) adds a key "
        "that signs from now on, older keys stay published so earlier credentials still verify; "
        "`list` shows the key ring."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "list"])
        parser.add_argument(
            "--if-missing", action="store_true", help="create: only when the ring is empty (idempotent)."
        )

    def handle(self, *args, action, if_missing=False, **options):
        if action == "list":
            return self._list()
        if if_missing and signing_keys.key_ring():
            self.stdout.write("A signing key exists — skipping.")
            return
        try:
            key = signing_keys.key_create()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"New signing key {key.kid} ({key.source}) is now current."))

    def _list(self):
        try:
            ring = signing_keys.key_ring()
        except ValueError as exc:
            raise CommandError(f"A configured key cannot be read: {exc}") from None
        if not ring:
            self.stdout.write("No signing key is configured.")
            return
        for key in ring:
            marker = "current" if key is ring[-1] else "verify only"
            self.stdout.write(f"{key.kid}  {key.source}  {marker}")
