from datetime import date

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema

from .selectors import certificate_lookup

router = Router(tags=["certificates"])


class CertificationOut(Schema):
    code: str
    name: str


class CertificateOut(Schema):
    code: str
    status: str  # valid, suspended, revoked or expired
    holder_name: str
    certification: CertificationOut
    issued_on: date
    expires_on: date | None
    revoked_on: date | None
    revocation_reason: str | None
    suspended_on: date | None
    organisation: str | None
    verify_url: str
    pdf_sha256: str | None
    ob2_assertion_url: str | None
    ob3_credential_url: str | None


@router.get("/certificates/{code}", response=CertificateOut, auth=None)
def certificate_detail(request, code: str):
    certificate, _ = certificate_lookup(code)
    if certificate is None:
        raise Http404
    revoked = certificate.revoked_at is not None
    return {
        "code": certificate.code,
        "status": certificate.status_on(timezone.localdate()),
        "holder_name": certificate.holder_name,
        "certification": {"code": certificate.certification.code, "name": certificate.certification_name},
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "revoked_on": timezone.localdate(certificate.revoked_at) if revoked else None,
        # The public reason only: the internal one is for examiners.
        "revocation_reason": certificate.revocation_reason if revoked else None,
        "suspended_on": timezone.localdate(certificate.suspended_at) if certificate.suspended_at else None,
        "organisation": certificate.organisation_name or None,
        "verify_url": f"{settings.SITE_URL}/verify/{certificate.code}/",
        "pdf_sha256": certificate.pdf_sha256 or None,
        "ob2_assertion_url": f"{settings.SITE_URL}/ob/v2/assertions/{certificate.uuid}",
        "ob3_credential_url": f"{settings.SITE_URL}/ob/v3/credentials/{certificate.uuid}.jwt",
    }
