from django.utils import timezone

from .codes import code_is_well_formed, code_normalise
from .models import Certificate


def holds_valid_certificate(user, certification):
    today = timezone.localdate()
    return (
        Certificate.objects.filter(user=user, certification=certification, revoked_at__isnull=True)
        .exclude(expires_on__lt=today)
        .exists()
    )


def certificate_lookup(raw_code):
    """(certificate or None, mistyped: bool) for a code as a person typed it."""
    code = code_normalise(raw_code)
    certificate = Certificate.objects.select_related("certification").filter(code=code).first()
    if certificate is not None:
        return certificate, False
    return None, not code_is_well_formed(code)


def certificates_of(user):
    return Certificate.objects.filter(user=user).select_related("certification").order_by("-issued_at")
