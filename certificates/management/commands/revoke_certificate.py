from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from certificates.selectors import certificate_lookup
from certificates.services import certificate_revoke


class Command(BaseCommand):
    help = "Revoke a certificate with a public reason (audited; the holder is e-mailed)."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--reason", required=True, help="Public reason (page, API, lists, e-mail).")
        parser.add_argument("--internal-reason", default="", help="Internal reason (examiners only).")
        parser.add_argument("--by", help="E-mail of the examiner revoking (recorded in the audit log).")

    def handle(self, *args, code, reason, by=None, internal_reason="", **options):
        certificate, mistyped = certificate_lookup(code)
        if certificate is None:
            raise CommandError(
                "That code is mistyped (check character)." if mistyped else "No certificate has that code."
            )
        actor = None
        if by:
            actor = get_user_model().objects.filter(email=by.lower()).first()
            if actor is None:
                raise CommandError(f"No account with e-mail {by}.")
        try:
            certificate_revoke(
                certificate=certificate, actor=actor, reason=reason, internal_reason=internal_reason
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Certificate {certificate.display_code} is revoked."))
