"""Open Badges 2.0 and 3.0 for organisations' certificates: the subject is the certified service
provider, the achievement is the level of organisational certification (FitSM Essentials, FitSM
Plus). Same issuer, same keys and the same secured forms as personal certificates
(certificates.openbadges, certificates.openbadges_v3); organisations have status lists of their own
(`/ob/v3/organisations/status/{revocation,suspension}`), so the personal lists stay as they are.

How the organisation is named in Open Badges 3.0: the OB 3.0.3 JSON-LD context gives
`AchievementSubject` no `profile` member, and a term no context defines would be dropped from the
signed dataset (so Data Integrity verifiers refuse it). The subject therefore names the
organisation with what the contexts define: `id` (its page in our providers register), `name` and
`url` (schema.org terms of the OB context) and an `IdentityObject` of `identityType` "name"."""

import json
from datetime import UTC, datetime, time

from django.conf import settings
from django.utils import timezone

from . import openbadges, openbadges_v3
from .levels import badge_png as draw_png
from .levels import badge_svg as draw_svg
from .models import OrganisationCertificate

BADGE_CODES = {"essentials": "ESS", "plus": "PLUS"}
STATUS_PATH = "/ob/v3/organisations/status/"


class LevelBadge:
    """What the level artwork of certificates.levels needs: a short code and a name."""

    def __init__(self, level_code, level_name):
        self.code = BADGE_CODES.get(level_code, (level_code or "").upper()[:4])
        self.name = level_name


def _url(path):
    return f"{settings.SITE_URL}{path}"


def badge(certificate):
    return LevelBadge(certificate.level_code, certificate.level_name)


def provider_url(certificate_or_slug):
    slug = getattr(certificate_or_slug, "organisation_slug", certificate_or_slug)
    return _url(f"/providers/{slug}/")


def verify_url(certificate):
    return _url(f"/verify/{certificate.code}/")


def level_image_url(level_code):
    return _url(f"/ob/v2/organisations/badges/{level_code}.png")


def level_png(level_code, level_name, size=400):
    return draw_png(LevelBadge(level_code, level_name), size)


def level_svg(level_code, level_name, size=400):
    return draw_svg(LevelBadge(level_code, level_name), size)


def level_of(level_code):
    """The newest certificate of a level, which carries the level's name and summary (None when
    no organisation was ever certified at it)."""
    return OrganisationCertificate.objects.filter(level_code=level_code).order_by("-issued_at", "-pk").first()


def criteria_narrative(level_name):
    return (
        f"An accredited auditor audits the organisation's service management system against FitSM-1, "
        f"and an examiner of {settings.ISSUING_BODY} who took no part in the audit decides that it "
        f"meets the {level_name} criteria of the certification scheme."
    )


def attests(certificate):
    """What the certificate attests, in plain words."""
    summary = (certificate.level_summary or "").strip()
    text = (
        f"{certificate.organisation_name} runs a service management system that an audit against FitSM-1 "
        f"found to meet the {certificate.level_name} criteria, within the scope stated on the certificate."
    )
    return f"{text} {summary}" if summary else text


# --- Open Badges 2.0 ----------------------------------------------------------------------------


def ob2_badge_class_id(level_code):
    return _url(f"/ob/v2/organisations/badges/{level_code}")


def ob2_assertion_id(certificate):
    return _url(f"/ob/v2/organisations/assertions/{certificate.uuid}")


def ob2_badge_class(level):
    """The BadgeClass of a level, from `level` (a certificate of it: see level_of)."""
    return {
        "@context": openbadges.OB2_CONTEXT,
        "type": "BadgeClass",
        "id": ob2_badge_class_id(level.level_code),
        "name": level.level_name,
        "description": (level.level_summary or "").strip()
        or f"Organisational certification at the level {level.level_name}.",
        "image": level_image_url(level.level_code),
        "criteria": {
            "id": ob2_badge_class_id(level.level_code) + "#criteria",
            "narrative": criteria_narrative(level.level_name),
        },
        "issuer": openbadges.issuer_id(),
    }


def ob2_assertion(certificate):
    """The hosted assertion: the recipient is the organisation, named by the URL of its page in
    the providers register (not hashed: the register is public)."""
    return {
        "@context": openbadges.OB2_CONTEXT,
        "type": "Assertion",
        "id": ob2_assertion_id(certificate),
        "recipient": {"type": "url", "hashed": False, "identity": provider_url(certificate)},
        "badge": ob2_badge_class_id(certificate.level_code),
        "verification": {"type": "hosted"},
        "issuedOn": certificate.issued_at.isoformat(),
        "expires": f"{certificate.expires_on.isoformat()}T23:59:59+00:00",
        "narrative": f"Scope: {certificate.scope_statement}",
        "evidence": verify_url(certificate),
    }


def ob2_is_revoked(certificate):
    """Open Badges 2.0 has no suspension: a suspended badge answers as revoked while it lasts."""
    return bool(certificate.revoked_at or certificate.suspended_at)


def ob2_revoked_assertion(certificate):
    return {
        "id": ob2_assertion_id(certificate),
        "revoked": True,
        "revocationReason": certificate.revocation_reason
        if certificate.revoked_at
        else openbadges.SUSPENDED_REASON,
    }


def ob2_revoked_entries():
    """The organisations' revoked (and suspended) assertions, for the issuer's revocation list."""
    from django.db.models import Q

    rows = OrganisationCertificate.objects.filter(
        Q(revoked_at__isnull=False) | Q(suspended_at__isnull=False)
    ).order_by("pk")
    return [
        {"id": ob2_assertion_id(c), "revocationReason": ob2_revoked_assertion(c)["revocationReason"]}
        for c in rows
    ]


def ob2_baked_png(certificate):
    import io

    from openbadges_bakery import bake

    out = io.BytesIO()
    bake(
        io.BytesIO(level_png(certificate.level_code, certificate.level_name)),
        json.dumps(ob2_assertion(certificate)),
        out,
    )
    return out.getvalue()


# --- Open Badges 3.0 ----------------------------------------------------------------------------


def credential_id(certificate):
    return _url(f"/ob/v3/organisations/credentials/{certificate.uuid}")


def status_list_url(purpose="revocation"):
    return _url(f"{STATUS_PATH}{purpose}")


def achievement_id(level_code):
    return _url(f"/ob/v3/organisations/achievements/{level_code}")


def achievement(level):
    return {
        "id": achievement_id(level.level_code),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": level.level_name,
        "description": (level.level_summary or "").strip()
        or f"Organisational certification at the level {level.level_name}.",
        "criteria": {
            "id": achievement_id(level.level_code) + "#criteria",
            "narrative": criteria_narrative(level.level_name),
        },
        "image": {
            "id": level_image_url(level.level_code),
            "type": "Image",
            "caption": f"{level.level_name} badge",
        },
        "humanCode": level.level_code.upper(),
        "inLanguage": openbadges_v3.LANGUAGE,
        "creator": {
            "id": openbadges_v3.issuer_id(),
            "type": ["Profile"],
            "name": settings.ISSUING_BODY,
            "url": settings.SITE_URL,
        },
    }


def achievement_document(level):
    return {"@context": [openbadges_v3.VC_CONTEXT, openbadges_v3.OB3_CONTEXT], **achievement(level)}


def expires_at(certificate):
    return datetime.combine(certificate.expires_on, time(23, 59, 59), tzinfo=UTC)


def status_entry(certificate, purpose):
    return {
        "id": f"{status_list_url(purpose)}#{certificate.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(certificate.status_index),
        "statusListCredential": status_list_url(purpose),
    }


def credential_subject(certificate):
    subject = {
        "id": provider_url(certificate),
        "type": ["AchievementSubject"],
        "name": certificate.organisation_name,
    }
    if certificate.organisation_website:
        subject["url"] = certificate.organisation_website
    subject["identifier"] = [
        {
            "type": "IdentityObject",
            "identityHash": certificate.organisation_name,
            "identityType": "name",
            "hashed": False,
        }
    ]
    subject["achievement"] = achievement(certificate)
    return subject


def credential(certificate):
    """The unsecured OpenBadgeCredential of an organisation's certificate."""
    iso = openbadges_v3._iso
    return {
        "@context": list(openbadges_v3.CREDENTIAL_CONTEXT),
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.level_name}: {certificate.organisation_name}",
        "description": attests(certificate),
        "image": {
            "id": level_image_url(certificate.level_code),
            "type": "Image",
            "caption": f"{certificate.level_name} badge",
        },
        "issuer": openbadges_v3.issuer_profile(with_context=False),
        "validFrom": iso(certificate.issued_at),
        "validUntil": iso(expires_at(certificate)),
        "credentialSubject": credential_subject(certificate),
        "credentialStatus": [status_entry(certificate, p) for p in openbadges_v3.STATUS_PURPOSES],
        "credentialSchema": [{"id": openbadges_v3.SCHEMA_ID, "type": openbadges_v3.SCHEMA_TYPE}],
        "evidence": [
            {
                "id": verify_url(certificate),
                "type": ["Evidence"],
                "name": f"Certificate {certificate.display_code}",
                "description": "The public verification page of the certificate.",
                "narrative": f"Scope: {certificate.scope_statement}",
            }
        ],
    }


def credential_jwt_claims(certificate):
    vc = credential(certificate)
    return {
        **vc,
        "iss": vc["issuer"]["id"],
        "jti": vc["id"],
        "sub": vc["credentialSubject"]["id"],
        "nbf": int(certificate.issued_at.timestamp()),
        "exp": int(expires_at(certificate).timestamp()),
    }


def credential_jwt(certificate):
    """The credential as a VC-JWT signed RS256 with the current RSA key."""
    return openbadges_v3._sign_jwt(credential_jwt_claims(certificate))


def credential_with_proof(certificate, now=None):
    """The credential with an embedded eddsa-rdfc-2022 proof by the issuer's Ed25519 key."""
    return openbadges_v3._add_proof(credential(certificate), now=now or certificate.issued_at)


def baked_png(certificate):
    """The level image with the VC-JWT in an iTXt chunk `openbadgecredential`."""
    from .png_text import png_text_write

    return png_text_write(
        level_png(certificate.level_code, certificate.level_name),
        openbadges_v3.PNG_KEYWORD,
        credential_jwt(certificate),
    )


# --- Status lists -------------------------------------------------------------------------------


def status_bitstring(purpose):
    """One bit per organisation certificate's status index; set = revoked (or suspended)."""
    if purpose not in openbadges_v3.STATUS_PURPOSES:
        raise ValueError(f"unknown status purpose {purpose!r}")
    highest = (
        OrganisationCertificate.objects.order_by("-status_index")
        .values_list("status_index", flat=True)
        .first()
    )
    size = max(openbadges_v3.STATUS_LIST_MIN_BITS, ((highest or 0) // 8 + 1) * 8)
    bits = bytearray(size // 8)
    rows = OrganisationCertificate.objects.filter(
        **({"revoked_at__isnull": False} if purpose == "revocation" else {"suspended_at__isnull": False})
    )
    for index in rows.values_list("status_index", flat=True):
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def status_list_credential(purpose="revocation", now=None):
    now = now or timezone.now()
    url = status_list_url(purpose)
    iso = openbadges_v3._iso
    return {
        "@context": [openbadges_v3.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": openbadges_v3.issuer_id(),
        "validFrom": iso(now),
        "validUntil": iso(now + openbadges_v3.STATUS_LIST_LIFETIME),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": openbadges_v3.encode_list(status_bitstring(purpose)),
        },
    }


def status_list_with_proof(purpose="revocation", now=None):
    now = now or timezone.now()
    return openbadges_v3._add_proof(status_list_credential(purpose, now), now=now)


def status_list_jwt(purpose="revocation", now=None):
    now = now or timezone.now()
    vc = status_list_credential(purpose, now)
    lifetime = openbadges_v3.STATUS_LIST_LIFETIME
    return openbadges_v3._sign_jwt(
        {
            **vc,
            "iss": vc["issuer"],
            "jti": vc["id"],
            "sub": vc["credentialSubject"]["id"],
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int((now + lifetime).timestamp()),
        }
    )
