"""Open Badges 3.0: each certificate as a signed OpenBadgeCredential (VC-JWT, EdDSA),
and one signed BitstringStatusList credential that carries the revocation bit of every
certificate. A revoked certificate's credential keeps verifying as a signature; its bit
in the status list is what tells a verifier it is revoked, at once."""

import base64
import gzip
from datetime import UTC, datetime, time, timedelta

import jwt
from django.conf import settings
from django.utils import timezone

from . import openbadges, signing_keys
from .models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_MIN_BITS = 131_072  # 16 KB: the smallest list the Bitstring Status List spec allows
ALGORITHM = "EdDSA"
STATUS_LIST_LIFETIME = timedelta(minutes=10)


class CredentialInvalid(Exception):
    """A JWT that is not one of our credentials (bad signature, unknown key, malformed)."""


def _url(path):
    return f"{settings.SITE_URL}{path}"


def _iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_id():
    return _url("/ob/v3/issuer")


def status_list_url():
    return _url("/ob/v3/status/revocation")


def credential_id(certificate):
    return _url(f"/ob/v3/credentials/{certificate.uuid}")


def issuer_profile():
    return {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.ISSUING_BODY,
        "url": settings.SITE_URL,
        "email": openbadges.issuer_profile()["email"],
    }


def achievement(certification):
    ob2 = openbadges.badge_class(certification)
    return {
        "id": _url(f"/ob/v3/achievements/{certification.code}"),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": certification.name,
        "description": ob2["description"],
        "criteria": {"id": ob2["criteria"]["id"], "narrative": ob2["criteria"]["narrative"]},
        "image": {"id": ob2["image"], "type": "Image", "caption": f"{certification.code} badge"},
        "creator": {"id": issuer_id(), "type": ["Profile"], "name": settings.ISSUING_BODY},
    }


def achievement_document(certification):
    return {"@context": [VC_CONTEXT, OB3_CONTEXT], **achievement(certification)}


def expires_at(certificate):
    """The end of the last day the certificate is valid (UTC), or None."""
    if certificate.expires_on is None:
        return None
    return datetime.combine(certificate.expires_on, time(23, 59, 59), tzinfo=UTC)


def identity_hash(certificate):
    return openbadges.recipient_identity(certificate.user.email, openbadges.recipient_salt(certificate))


def credential(certificate):
    """The unsigned OpenBadgeCredential of a certificate."""
    data = {
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.certification_name,
        "issuer": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": settings.ISSUING_BODY,
            "url": settings.SITE_URL,
        },
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(certificate),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": openbadges.recipient_salt(certificate),
                }
            ],
            "achievement": achievement(certificate.certification),
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(),
        },
        "evidence": [{"id": _url(f"/verify/{certificate.code}/"), "type": ["Evidence"]}],
    }
    expires = expires_at(certificate)
    if expires:
        data["validUntil"] = _iso(expires)
    return data


def _sign(claims):
    key = signing_keys.key_current()
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": "JWT"})


def credential_jwt(certificate):
    """The credential as a VC-JWT signed with the current key (SigningKeyUnavailable without one)."""
    vc = credential(certificate)
    claims = {
        "iss": issuer_id(),
        "jti": vc["id"],
        "sub": identity_hash(certificate),
        "nbf": int(certificate.issued_at.timestamp()),
        "iat": int(certificate.issued_at.timestamp()),
        "vc": vc,
    }
    expires = expires_at(certificate)
    if expires:
        claims["exp"] = int(expires.timestamp())
    return _sign(claims)


def credential_jwt_verify(token):
    """The claims of a JWT we signed, checked against our key ring; CredentialInvalid otherwise.
    An expired credential still verifies here: its status is read from the certificate."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise CredentialInvalid(f"not a JWT: {exc}") from None
    key = signing_keys.key_find(header.get("kid"))
    if key is None or header.get("alg") != ALGORITHM:
        raise CredentialInvalid("it was not signed with one of our keys")
    try:
        return jwt.decode(
            token,
            key.private_key.public_key(),
            algorithms=[ALGORITHM],
            issuer=issuer_id(),
            options={"verify_exp": False, "require": ["iss", "jti", "vc"]},
        )
    except jwt.PyJWTError as exc:
        raise CredentialInvalid(f"the signature or claims do not verify: {exc}") from None


def revocation_bitstring():
    """One bit per status index (index 0 is the leftmost bit of the first byte); set = revoked."""
    highest = Certificate.objects.order_by("-status_index").values_list("status_index", flat=True).first()
    size = max(STATUS_LIST_MIN_BITS, ((highest or 0) // 8 + 1) * 8)
    bits = bytearray(size // 8)
    for index in Certificate.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True):
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode_list(bits):
    """Multibase base64url (prefix "u", no padding) of the GZIP-compressed bitstring."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).rstrip(b"=").decode()


def decode_list(encoded):
    if not encoded.startswith("u"):
        raise ValueError("the encoded list is not multibase base64url")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def status_list_credential(now=None):
    now = now or timezone.now()
    return {
        "@context": [VC_CONTEXT],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": _iso(now),
        "validUntil": _iso(now + STATUS_LIST_LIFETIME),
        "credentialSubject": {
            "id": f"{status_list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(revocation_bitstring()),
        },
    }


def status_list_jwt(now=None):
    now = now or timezone.now()
    vc = status_list_credential(now)
    return _sign(
        {
            "iss": issuer_id(),
            "jti": vc["id"],
            "sub": vc["credentialSubject"]["id"],
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int((now + STATUS_LIST_LIFETIME).timestamp()),
            "vc": vc,
        }
    )


def baked_png(certificate):
    """The level image with the signed credential in an iTXt chunk `openbadgecredential`."""
    from .png_text import png_text_write

    return png_text_write(
        openbadges.badge_png(certificate.certification), "openbadgecredential", credential_jwt(certificate)
    )
