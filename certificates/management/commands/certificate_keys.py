from django.core.management.base import BaseCommand, CommandError

from certificates import signing_keys


class Command(BaseCommand):
    help = (
        "The keys that sign Open Badges 3.0 credentials: an RSA key signs the VC-JWTs (RS256), an "
        "Ed25519 key the Data Integrity proofs. `create` (or `rotate`) adds a key that signs from now "
        "on (--kind rsa, ed25519 or both, the default); older keys stay published so earlier "
        "credentials still verify; `list` shows the key ring."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "rotate", "list"])
        parser.add_argument(
            "--kind", choices=[*signing_keys.KINDS, "both"], default="both", help="create: which kind of key."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="create: only the kinds the ring lacks (idempotent).",
        )

    def handle(self, *args, action, kind="both", if_missing=False, **options):
        if action == "list":
            return self._list()
        kinds = signing_keys.KINDS if kind == "both" else (kind,)
        try:
            if if_missing:
                kinds = [k for k in kinds if not signing_keys.keys_of(k)]
                if not kinds:
                    self.stdout.write("Every kind of signing key exists — skipping.")
                    return
            created = [signing_keys.key_create(kind=k) for k in kinds]
        except (ValueError, signing_keys.SigningKeyUnavailable) as exc:
            raise CommandError(str(exc)) from None
        for key in created:
            self.stdout.write(
                self.style.SUCCESS(f"New {key.kind} signing key {key.kid} ({key.source}) is now current.")
            )

    def _list(self):
        try:
            ring = signing_keys.key_ring()
        except signing_keys.SigningKeyUnavailable as exc:
            raise CommandError(str(exc)) from None
        if not ring:
            self.stdout.write("No signing key is configured.")
            return
        current = {
            kind: keys[-1].kid for kind in signing_keys.KINDS if (keys := [k for k in ring if k.kind == kind])
        }
        for key in ring:
            marker = (
                f"current: {signing_keys.PURPOSES[key.kind]}"
                if current.get(key.kind) == key.kid
                else "verify only"
            )
            self.stdout.write(f"{key.kid}  {key.kind}  {key.source}  {marker}")
