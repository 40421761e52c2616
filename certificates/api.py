from datetime import date
from typing import Literal

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


class SubjectOut(Schema):
    type: Literal["organisation"]
    name: str
    slug: str
    country: str | None
    register_url: str


class LevelOut(Schema):
    code: str
    name: str


class OrganisationCertificateOut(Schema):
    """An organisation's certificate (FitSM Essentials, FitSM Plus): the subject is the provider."""

    code: str
    status: str  # valid, suspended, revoked or expired
    subject: SubjectOut
    level: LevelOut
    scope_statement: str
    issued_on: date
    expires_on: date
    revoked_on: date | None
    revocation_reason: str | None
    suspended_on: date | None
    verify_url: str
    pdf_url: str
    pdf_sha256: str | None
    ob2_assertion_url: str
    ob3_credential_url: str


def _organisation_detail(certificate):
    from .organisation_badges import credential_id, ob2_assertion_id, provider_url, verify_url

    revoked = certificate.revoked_at is not None
    return {
        "code": certificate.code,
        "status": certificate.status_on(timezone.localdate()),
        "subject": {
            "type": "organisation",
            "name": certificate.organisation_name,
            "slug": certificate.organisation_slug,
            "country": certificate.organisation_country or None,
            "register_url": provider_url(certificate),
        },
        "level": {"code": certificate.level_code, "name": certificate.level_name},
        "scope_statement": certificate.scope_statement,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "revoked_on": timezone.localdate(certificate.revoked_at) if revoked else None,
        "revocation_reason": certificate.revocation_reason if revoked else None,
        "suspended_on": timezone.localdate(certificate.suspended_at) if certificate.suspended_at else None,
        "verify_url": verify_url(certificate),
        "pdf_url": f"{verify_url(certificate)}certificate.pdf",
        "pdf_sha256": certificate.pdf_sha256 or None,
        "ob2_assertion_url": ob2_assertion_id(certificate),
        "ob3_credential_url": f"{credential_id(certificate)}.jwt",
    }


@router.get(
    "/certificates/{code}",
    response=CertificateOut | OrganisationCertificateOut,
    auth=None,
    summary="A certificate of a person or of an organisation",
    description=(
        "Public. A person's certificate answers with `holder_name` and `certification`; an "
        "organisation's certificate (FitSM Essentials, FitSM Plus) with "
        '`subject` (`{"type": "organisation", "name": …}`), `level` and `scope_statement`. '
        "404 for a number no certificate carries."
    ),
)
def certificate_detail(request, code: str):
    certificate, _ = certificate_lookup(code)
    if certificate is None:
        from .organisation_selectors import organisation_certificate_lookup

        organisation_certificate, _ = organisation_certificate_lookup(code)
        if organisation_certificate is None:
            raise Http404
        return _organisation_detail(organisation_certificate)
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
