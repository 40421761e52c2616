"""Open Badges 2.0, hosted verification: issuer profile, one BadgeClass per
certification, one Assertion per certificate, a revocation list, and badge
images with the assertion baked in (openbadges-bakery)."""

import hashlib
import io
import json
import re
from email.utils import parseaddr

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from .levels import attests
from .models import Certificate

SUSPENDED_REASON = "Suspended pending an investigation."

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
LEVEL_COLOURS = {"FND": "#0b5cad", "SOC": "#116b2f", "SPD": "#8a3ffc", "EXP": "#a4161a"}


def _url(path):
    return f"{settings.SITE_URL}{path}"


def issuer_id():
    return _url("/ob/v2/issuer")


def issuer_profile():
    return {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": issuer_id(),
        "name": settings.ISSUING_BODY,
        "url": settings.SITE_URL,
        "email": parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
        "revocationList": _url("/ob/v2/revocations"),
    }


def criteria_narrative(certification):
    """How the badge is earned, in the active language."""
    if not certification.is_exam:
        return gettext("Hold the certifications %(codes)s.") % {
            "codes": ", ".join(certification.prerequisite_codes)
        }
    values = {
        "name": certification.name,
        "count": certification.question_count,
        "mark": certification.pass_mark,
    }
    if certification.closed_book:
        return (
            gettext("Pass the closed-book %(name)s exam (%(count)s questions, pass mark %(mark)s %%).")
            % values
        )
    return gettext("Pass the open-book %(name)s exam (%(count)s questions, pass mark %(mark)s %%).") % values


def badge_class(certification):
    """The hosted BadgeClass: in English whoever asks (Open Badges 2.0 has no language of its own,
    and verifiers compare what they fetch)."""
    with translation.override("en"):
        return _badge_class(certification)


def _badge_class(certification):
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": _url(f"/ob/v2/badges/{certification.code}"),
        "name": certification.name,
        "description": attests(certification),
        "image": _url(f"/ob/v2/badges/{certification.code}.png"),
        "criteria": {
            "id": _url(f"/ob/v2/badges/{certification.code}#criteria"),
            "narrative": criteria_narrative(certification),
        },
        "issuer": issuer_id(),
    }


def recipient_salt(certificate):
    return certificate.uuid.hex[:16]


def recipient_identity(email, salt):
    return "sha256$" + hashlib.sha256((email.lower() + salt).encode()).hexdigest()


def assertion_id(certificate):
    return _url(f"/ob/v2/assertions/{certificate.uuid}")


def assertion(certificate):
    salt = recipient_salt(certificate)
    data = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_id(certificate),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": salt,
            "identity": recipient_identity(certificate.user.email, salt),
        },
        "badge": _url(f"/ob/v2/badges/{certificate.certification.code}"),
        "verification": {"type": "hosted"},
        "issuedOn": certificate.issued_at.isoformat(),
        "evidence": _url(f"/verify/{certificate.code}/"),
    }
    if certificate.expires_on:
        data["expires"] = f"{certificate.expires_on.isoformat()}T23:59:59+00:00"
    return data


def is_revoked(certificate):
    """Open Badges 2.0 has no suspension: a suspended badge is shown as revoked while it lasts."""
    return bool(certificate.revoked_at or certificate.suspended_at)


def public_revocation_reason(certificate):
    return certificate.revocation_reason if certificate.revoked_at else SUSPENDED_REASON


def revoked_assertion(certificate):
    return {
        "id": assertion_id(certificate),
        "revoked": True,
        "revocationReason": public_revocation_reason(certificate),
    }


def revocation_list():
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    revoked = (
        Certificate.objects.filter(Q(revoked_at__isnull=False) | Q(suspended_at__isnull=False))
        .annotate(since=Coalesce("revoked_at", "suspended_at"))
        .order_by("since", "pk")
    )
    return {
        "@context": OB2_CONTEXT,
        "type": "RevocationList",
        "id": _url("/ob/v2/revocations"),
        "issuer": issuer_id(),
        "revokedAssertions": [
            {"id": assertion_id(c), "revocationReason": public_revocation_reason(c)} for c in revoked
        ]
        + _organisation_entries(),
    }


def _organisation_entries():
    """Organisations' certificates have assertions of the same issuer: their revoked ones too."""
    from .organisation_badges import ob2_revoked_entries

    return ob2_revoked_entries()


def badge_png(certification, size=400):
    """The badge image of a level (PNG rendering of badge_svg; drawn, no external assets)."""
    from .levels import badge_png as draw

    return draw(certification, size)


def baked_png(certificate):
    from openbadges_bakery import bake

    source = io.BytesIO(badge_png(certificate.certification))
    out = io.BytesIO()
    bake(source, json.dumps(assertion(certificate)), out)
    return out.getvalue()


def badge_svg(certification, size=400):
    """The badge image of a level as SVG (designed per level, see certificates.levels)."""
    from .levels import badge_svg as draw

    return draw(certification, size)


def baked_svg(certificate):
    """The SVG badge with the assertion baked in, per the Open Badges 2.0 baking specification:
    an `openbadges:assertion` element, first child of the root, with the JSON in CDATA."""
    data = json.dumps(assertion(certificate))
    svg = badge_svg(certificate.certification)
    head, _, tail = svg.partition(">")
    baked = (
        f'<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify="{assertion_id(certificate)}">'
        f"<![CDATA[{data.replace(']]>', ']]]]><![CDATA[>')}]]></openbadges:assertion>"
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head} xmlns:openbadges="http://openbadges.org">{baked}{tail}'


SVG_ASSERTION = re.compile(
    r"<openbadges:assertion\b(?P<attrs>[^>]*)>(?P<body>.*?)</openbadges:assertion>", re.S
)
SVG_VERIFY = re.compile(r"\bverify\s*=\s*[\"'](?P<url>[^\"']*)[\"']")


def unbake_svg(text):
    """(verify URL or None, assertion JSON text or None) of a baked SVG; (None, None) when unbaked."""
    match = SVG_ASSERTION.search(text)
    if match is None:
        return None, None
    body = match.group("body").strip()
    cdata = re.findall(r"<!\[CDATA\[(.*?)\]\]>", body, re.S)
    body = "".join(cdata) if cdata else body
    verify = SVG_VERIFY.search(match.group("attrs"))
    return (verify.group("url") if verify else None), body or None
