"""What /verify/file/ needs to recognise an organisation's certificate: its PDF by number, its
Open Badges 2.0 assertion and 3.0 credential by their addresses, the documents we serve for it,
and the badge picture of its level. certificates.file_check asks here when a file names no
personal certificate; the rules of the check are file_check's."""

import re
from uuid import UUID

from django.conf import settings

from . import organisation_badges as badges
from .models import OrganisationCertificate
from .organisation_selectors import organisation_certificate_lookup

UUID_PATTERN = r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"


def _by_uuid(value):
    try:
        return OrganisationCertificate.objects.filter(uuid=UUID(str(value))).first()
    except ValueError:
        return None


def _by_url(path, url):
    if not isinstance(url, str):
        return None
    match = re.fullmatch(re.escape(settings.SITE_URL) + re.escape(path) + UUID_PATTERN, url)
    return _by_uuid(match.group(1)) if match else None


def by_code(code):
    return organisation_certificate_lookup(code)[0]


def by_ob2_assertion_url(url):
    return _by_url("/ob/v2/organisations/assertions/", url)


def by_ob3_credential(document_or_claims):
    return _by_url(
        "/ob/v3/organisations/credentials/",
        str(document_or_claims.get("id") or document_or_claims.get("jti") or ""),
    )


def is_organisation(certificate):
    return isinstance(certificate, OrganisationCertificate)


def ob2_assertion(certificate):
    return badges.ob2_assertion(certificate)


def ob2_assertion_id(certificate):
    return badges.ob2_assertion_id(certificate)


def ob3_credential(certificate):
    return badges.credential(certificate)


def badge(certificate):
    """What the level artwork is drawn from (certificates.levels)."""
    return badges.badge(certificate)
