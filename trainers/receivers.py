"""Reactions to other apps' signals."""

from django.dispatch import receiver

from certificates.signals import certificate_revoked

from .services.accreditations import accreditations_suspend_without_certificate


@receiver(certificate_revoked, dispatch_uid="trainers_suspend_on_certificate_revoked")
def suspend_accreditations_of_revoked_holder(sender, certificate, **kwargs):
    """Runs inside the revoking transaction: the suspension commits or rolls back with it."""
    accreditations_suspend_without_certificate(
        user=certificate.user,
        certification=certificate.certification,
        reason=f"The trainer's {certificate.certification_name} certificate {certificate.code} was revoked.",
    )
