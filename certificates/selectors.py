import unicodedata

from django.utils import timezone

from .codes import code_is_well_formed, code_normalise
from .models import Certificate


def holds_valid_certificate(user, certification):
    """The answer to exams.hooks: a revoked, suspended or expired certificate does not count."""
    today = timezone.localdate()
    return (
        Certificate.objects.filter(
            user=user, certification=certification, revoked_at__isnull=True, suspended_at__isnull=True
        )
        .exclude(expires_on__lt=today)
        .exists()
    )


def holder_did(user):
    from .models import HolderIdentity

    return HolderIdentity.objects.filter(user=user).values_list("did", flat=True).first()


def certificate_lookup(raw_code):
    """(certificate or None, mistyped: bool) for a code as a person typed it."""
    code = code_normalise(raw_code)
    certificate = Certificate.objects.select_related("certification").filter(code=code).first()
    if certificate is not None:
        return certificate, False
    return None, not code_is_well_formed(code)


def certificates_of(user):
    return Certificate.objects.filter(user=user).select_related("certification").order_by("-issued_at")


_NOT_DECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
    }
)


def _name_key(value):
    """Case- and accent-insensitive form of a family name."""
    decomposed = unicodedata.normalize("NFKD", (value or "").translate(_NOT_DECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def certificate_find(*, code, family_name):
    """The register search: a certificate whose code and holder family name both match."""
    certificate, _ = certificate_lookup(code)
    if certificate and _name_key(certificate.holder_family_name) == _name_key(family_name):
        return certificate
    return None


def certificates_search(*, query=""):
    """Examiner search: by certificate number (dashes and case ignored) or part of the holder's name."""
    from django.db.models import Q

    rows = Certificate.objects.select_related("certification", "user").order_by("-issued_at")
    query = (query or "").strip()
    if query:
        rows = rows.filter(
            Q(code=code_normalise(query)) | Q(holder_name__icontains=query) | Q(user__email__iexact=query)
        )
    return rows


def certificate_history(*, certificate):
    """The audit entries of one certificate, newest first."""
    from accounts.models import AuditEntry

    return AuditEntry.objects.filter(
        target_type=Certificate._meta.label_lower, target_id=str(certificate.pk)
    ).select_related("actor")
