"""Open Badges 3.0: each certificate as an OpenBadgeCredential on the Verifiable Credentials Data
Model 2.0, in two secured forms that carry the same credential:

- **VC-JWT** (OB 3.0 §8.2): the credential's own members are the JWT payload, beside the
  registered claims `iss`, `jti`, `sub` (when the subject has an id), `nbf` and `exp`. Signed
  RS256; the JOSE header has `alg`, `typ`, `kid` (a URL answering with that one public JWK) and
  the public key as `jwk`.
- **Data Integrity**: the credential with an embedded `DataIntegrityProof` (`eddsa-rdfc-2022`,
  `assertionMethod`) made with an Ed25519 key of the issuer's `did:web` DID.

Two Bitstring Status List credentials (`revocation`, `suspension`), rendered from the certificate
rows on every request and never cached, carry one bit per certificate each; every credential
names its bit in both. A revoked or suspended certificate's credential keeps verifying as a
signature: its bit is what tells a verifier, at once. Credentials are rendered on request from
the certificate row, so nothing signed is stored and the current format is always what is served."""

import base64
import gzip
import json
import re
from datetime import UTC, datetime, time, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit

import jwt
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import data_integrity, openbadges, signing_keys
from .levels import attests
from .models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines 1EdTechJsonSchemaValidator2019, the credentialSchema type; without it the term would be
# undefined in JSON-LD and a Data Integrity verifier rejects the credential.
OB3_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CREDENTIAL_CONTEXT = [VC_CONTEXT, OB3_CONTEXT, OB3_EXTENSIONS_CONTEXT]
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
SCHEMA_TYPE = "1EdTechJsonSchemaValidator2019"
SCHEMA_FILE = Path(__file__).resolve().parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"
STATUS_LIST_MIN_BITS = 131_072  # 16 KB: the smallest list the Bitstring Status List spec allows
STATUS_PURPOSES = ("revocation", "suspension")
ALGORITHM = "RS256"
LEGACY_ALGORITHM = "EdDSA"  # VC-JWTs signed before RSA keys existed
STATUS_LIST_LIFETIME = timedelta(minutes=10)
LANGUAGE = "en"
UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


class CredentialInvalid(Exception):
    """A credential that is not one of ours (bad signature, unknown key, malformed)."""


def _url(path):
    return f"{settings.SITE_URL}{path}"


def _iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Identifiers ------------------------------------------------------------------------------


def issuer_did():
    """did:web of SITE_URL: the host, `%3A` and the port when there is one, then any path segments."""
    parts = urlsplit(settings.SITE_URL)
    host = parts.hostname or ""
    if parts.port:
        host += quote(f":{parts.port}", safe="")
    segments = [quote(s, safe="") for s in parts.path.strip("/").split("/") if s]
    return ":".join(["did:web", host, *segments])


def issuer_id():
    """The issuer's id in every credential and status list: its DID, so the Data Integrity proof's
    key is controlled by the issuer it names."""
    return issuer_did()


def legacy_issuer_id():
    """The issuer id credentials carried before the DID (still accepted when verifying them)."""
    return _url("/ob/v3/issuer")


def did_document_url():
    parts = urlsplit(settings.SITE_URL)
    path = parts.path.strip("/")
    return f"{parts.scheme}://{parts.netloc}/{path + '/' if path else '.well-known/'}did.json"


def verification_method(key):
    return f"{issuer_did()}#{key.kid}"


def key_url(kid):
    return _url(f"/ob/v3/keys/{kid}")


def status_list_url(purpose="revocation"):
    return _url(f"/ob/v3/status/{purpose}")


def credential_id(certificate):
    return _url(f"/ob/v3/credentials/{certificate.uuid}")


# --- Documents --------------------------------------------------------------------------------


def _image(url, caption):
    return {"id": url, "type": "Image", "caption": caption}


def issuer_profile(*, with_context=True):
    """The issuer as a full Profile (its id is the issuer DID; `url` is the website)."""
    profile = {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.ISSUING_BODY,
        "url": settings.SITE_URL,
        "email": openbadges.issuer_profile()["email"],
        "description": (
            f"{settings.ISSUING_BODY} certifies knowledge of FitSM, the lightweight standard for IT "
            "service management, by closed-book exams."
        ),
        "image": _image(_url("/ob/v3/issuer.svg"), f"{settings.ISSUING_BODY} logo"),
    }
    return {"@context": [VC_CONTEXT, OB3_CONTEXT], **profile} if with_context else profile


def achievement_id(certification, language=LANGUAGE):
    """The achievement of a certification in a language: English at /ob/v3/achievements/FND, each
    other language its own document (/ob/v3/achievements/FND/de), since Open Badges 3.0 gives an
    achievement one `inLanguage` and one name, not a name per language."""
    suffix = "" if language == LANGUAGE else f"/{language}"
    return _url(f"/ob/v3/achievements/{certification.code}{suffix}")


def achievement(certification, language=LANGUAGE):
    ob2 = openbadges.badge_class(certification)
    with translation.override(language):
        return {
            "id": achievement_id(certification, language),
            "type": ["Achievement"],
            "achievementType": "Certification",
            "name": certification.name,
            "description": attests(certification),
            "criteria": {
                "id": ob2["criteria"]["id"],
                "narrative": openbadges.criteria_narrative(certification),
            },
            "image": _image(ob2["image"], gettext("%(name)s badge") % {"name": certification.name}),
            "humanCode": certification.code,
            "inLanguage": language,
            "creator": {
                "id": issuer_id(),
                "type": ["Profile"],
                "name": settings.ISSUING_BODY,
                "url": settings.SITE_URL,
            },
        }


def achievement_document(certification, language=LANGUAGE):
    return {"@context": [VC_CONTEXT, OB3_CONTEXT], **achievement(certification, language)}


def expires_at(certificate):
    """The end of the last day the certificate is valid (UTC), or None."""
    if certificate.expires_on is None:
        return None
    return datetime.combine(certificate.expires_on, time(23, 59, 59), tzinfo=UTC)


def identity_hash(certificate):
    return openbadges.recipient_identity(certificate.user.email, openbadges.recipient_salt(certificate))


def subject_did(certificate):
    from .selectors import holder_did

    return holder_did(certificate.user)


def status_entry(certificate, purpose):
    return {
        "id": f"{status_list_url(purpose)}#{certificate.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(certificate.status_index),
        "statusListCredential": status_list_url(purpose),
    }


def credential(certificate):
    """The unsecured OpenBadgeCredential of a certificate (both secured forms carry exactly this),
    in the certificate's language."""
    with translation.override(certificate.language):
        return _credential(certificate)


def _credential(certificate):
    subject = {"type": ["AchievementSubject"]}
    did = subject_did(certificate)
    if did:
        subject["id"] = did
    subject["identifier"] = [
        {
            "type": "IdentityObject",
            "identityHash": identity_hash(certificate),
            "identityType": "emailAddress",
            "hashed": True,
            "salt": openbadges.recipient_salt(certificate),
        }
    ]
    subject["achievement"] = achievement(certificate.certification, certificate.language)
    data = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.certification_name,
        "description": f"{certificate.certification_name}: {attests(certificate.certification)}",
        "image": _image(
            _url(f"/ob/v2/badges/{certificate.certification.code}.png"),
            gettext("%(name)s badge") % {"name": certificate.certification_name},
        ),
        "issuer": issuer_profile(with_context=False),
        "validFrom": _iso(certificate.issued_at),
        "credentialSubject": subject,
        "credentialStatus": [status_entry(certificate, purpose) for purpose in STATUS_PURPOSES],
        "credentialSchema": [{"id": SCHEMA_ID, "type": SCHEMA_TYPE}],
        "evidence": [
            {
                "id": _url(f"/verify/{certificate.code}/"),
                "type": ["Evidence"],
                "name": gettext("Certificate %(code)s") % {"code": certificate.display_code},
                "description": gettext("The public verification page of the certificate."),
            }
        ],
    }
    expires = expires_at(certificate)
    if expires:
        data["validUntil"] = _iso(expires)
    return data


@cache
def credential_schema():
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def schema_errors(document):
    """Messages of every way `document` breaks the bundled Open Badges 3.0 JSON schema (empty: valid)."""
    import jsonschema

    validator = jsonschema.Draft201909Validator(
        credential_schema(), format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in validator.iter_errors(document)
    ]


# --- VC-JWT -------------------------------------------------------------------------------------


def _jwt_header(key):
    return {"kid": key_url(key.kid), "typ": "JWT", "jwk": key.public_jwk}


def _sign_jwt(claims):
    key = signing_keys.key_current(signing_keys.RSA)
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers=_jwt_header(key))


def credential_jwt_claims(certificate):
    vc = credential(certificate)
    claims = {**vc, "iss": vc["issuer"]["id"], "jti": vc["id"], "nbf": int(certificate.issued_at.timestamp())}
    if "id" in vc["credentialSubject"]:
        claims["sub"] = vc["credentialSubject"]["id"]
    expires = expires_at(certificate)
    if expires:
        claims["exp"] = int(expires.timestamp())
    return claims


def credential_jwt(certificate):
    """The credential as a VC-JWT signed RS256 with the current RSA key (SigningKeyUnavailable without one)."""
    return _sign_jwt(credential_jwt_claims(certificate))


def _kid_of(header):
    """The key id a JWT header names: a bare thumbprint (older tokens) or our key URL."""
    kid = header.get("kid")
    if not isinstance(kid, str):
        return None
    prefix = key_url("")
    return kid[len(prefix) :] if kid.startswith(prefix) else kid


def credential_jwt_verify(token):
    """The claims of a VC-JWT we signed, checked against our key ring; CredentialInvalid otherwise.
    Accepts the current form (RS256, credential members at the top) and the earlier one (EdDSA,
    the credential under `vc`). An expired credential still verifies here: its status is read
    from the certificate."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise CredentialInvalid(f"not a JWT: {exc}") from None
    key = signing_keys.key_find(_kid_of(header))
    if key is None or header.get("alg") != key.algorithm:
        raise CredentialInvalid("it was not signed with one of our keys")
    try:
        claims = jwt.decode(
            token,
            key.public_key,
            algorithms=[key.algorithm],
            options={"verify_exp": False, "verify_nbf": False, "require": ["iss", "jti"]},
        )
    except jwt.PyJWTError as exc:
        raise CredentialInvalid(f"the signature or claims do not verify: {exc}") from None
    if claims["iss"] not in (issuer_id(), legacy_issuer_id()):
        raise CredentialInvalid("it names another issuer")
    return claims


def credential_of_claims(claims):
    """The credential a verified VC-JWT carries, in either form."""
    return claims["vc"] if isinstance(claims.get("vc"), dict) else claims


# --- Data Integrity ----------------------------------------------------------------------------


def _ed25519_public_key_for(method):
    if not isinstance(method, str) or not method.startswith(issuer_did() + "#"):
        return None
    key = signing_keys.key_find(method.partition("#")[2])
    return key.public_key if key is not None and key.kind == signing_keys.ED25519 else None


def _add_proof(document, now=None):
    key = signing_keys.key_current(signing_keys.ED25519)
    return data_integrity.proof_add(
        document,
        private_key=key.private_key,
        verification_method=verification_method(key),
        created=_iso(now or timezone.now()),
    )


def credential_with_proof(certificate, now=None):
    """The credential with an embedded eddsa-rdfc-2022 proof (SigningKeyUnavailable without an Ed25519 key)."""
    return _add_proof(credential(certificate), now=now or certificate.issued_at)


def credential_document_verify(document):
    """A Data Integrity credential we signed, checked against our key ring: returns the document
    (parsed when given as text); CredentialInvalid otherwise. Used by file checks of baked images."""
    if isinstance(document, bytes | str):
        try:
            document = json.loads(document)
        except ValueError:
            raise CredentialInvalid("the credential is not JSON") from None
    if not isinstance(document, dict):
        raise CredentialInvalid("the credential is not a JSON object")
    try:
        data_integrity.proof_verify(document, _ed25519_public_key_for)
    except data_integrity.ProofInvalid as exc:
        raise CredentialInvalid(str(exc)) from None
    issuer = document.get("issuer")
    if (issuer.get("id") if isinstance(issuer, dict) else issuer) != issuer_id():
        raise CredentialInvalid("it names another issuer")
    return document


def certificate_of_credential(document_or_claims):
    """The certificate a verified credential (either form) names, or None."""
    match = re.fullmatch(
        re.escape(_url("/ob/v3/credentials/")) + f"({UUID_PATTERN})",
        str(document_or_claims.get("id") or document_or_claims.get("jti") or ""),
    )
    if match is None:
        return None
    return Certificate.objects.select_related("certification", "user").filter(uuid=match.group(1)).first()


def did_document():
    """The issuer DID's document: every Ed25519 key of the ring as a Multikey assertion method."""
    did = issuer_did()
    methods = [
        {
            "id": verification_method(key),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_multibase,
        }
        for key in signing_keys.keys_of(signing_keys.ED25519)
    ]
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "alsoKnownAs": [settings.SITE_URL],
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


# --- Status lists --------------------------------------------------------------------------------


def status_bitstring(purpose):
    """One bit per status index (index 0 is the leftmost bit of the first byte); set = revoked or
    suspended, read from the rows now."""
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"unknown status purpose {purpose!r}")
    highest = Certificate.objects.order_by("-status_index").values_list("status_index", flat=True).first()
    size = max(STATUS_LIST_MIN_BITS, ((highest or 0) // 8 + 1) * 8)
    bits = bytearray(size // 8)
    rows = Certificate.objects.filter(
        **({"revoked_at__isnull": False} if purpose == "revocation" else {"suspended_at__isnull": False})
    )
    for index in rows.values_list("status_index", flat=True):
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def revocation_bitstring():
    return status_bitstring("revocation")


def encode_list(bits):
    """Multibase base64url (prefix "u", no padding) of the GZIP-compressed bitstring."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).rstrip(b"=").decode()


def decode_list(encoded):
    if not encoded.startswith("u"):
        raise ValueError("the encoded list is not multibase base64url")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def status_list_credential(purpose="revocation", now=None):
    now = now or timezone.now()
    url = status_list_url(purpose)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(),
        "validFrom": _iso(now),
        "validUntil": _iso(now + STATUS_LIST_LIFETIME),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(status_bitstring(purpose)),
        },
    }


def status_list_with_proof(purpose="revocation", now=None):
    now = now or timezone.now()
    return _add_proof(status_list_credential(purpose, now), now=now)


def status_list_jwt(purpose="revocation", now=None):
    now = now or timezone.now()
    vc = status_list_credential(purpose, now)
    return _sign_jwt(
        {
            **vc,
            "iss": vc["issuer"],
            "jti": vc["id"],
            "sub": vc["credentialSubject"]["id"],
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int((now + STATUS_LIST_LIFETIME).timestamp()),
        }
    )


# --- Baked images ----------------------------------------------------------------------------------

SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
PNG_KEYWORD = "openbadgecredential"


def _signed(certificate, proof):
    if proof == "jwt":
        return credential_jwt(certificate)
    if proof == "di":
        return json.dumps(credential_with_proof(certificate), ensure_ascii=False)
    raise ValueError(f"unknown proof format {proof!r}")


def baked_png(certificate, proof="jwt"):
    """The level image with the secured credential in an iTXt chunk `openbadgecredential`:
    the compact JWS (proof="jwt") or the JSON with its embedded proof (proof="di")."""
    from .png_text import png_text_write

    return png_text_write(
        openbadges.badge_png(certificate.certification), PNG_KEYWORD, _signed(certificate, proof)
    )


def baked_svg(certificate, proof="jwt"):
    """The level SVG with an `openbadges:credential` element (namespace SVG_NAMESPACE), first child
    of the root: the JWS in its `verify` attribute, or the JSON credential in CDATA."""
    from django.utils.html import escape

    value = _signed(certificate, proof)
    if proof == "jwt":
        element = f'<openbadges:credential verify="{escape(value)}"></openbadges:credential>'
    else:
        element = (
            "<openbadges:credential><![CDATA["
            + value.replace("]]>", "]]]]><![CDATA[>")
            + "]]></openbadges:credential>"
        )
    svg = openbadges.badge_svg(certificate.certification)
    head, _, tail = svg.partition(">")
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{head} xmlns:openbadges="{SVG_NAMESPACE}">{element}{tail}'
    )


SVG_CREDENTIAL = re.compile(
    r"<openbadges:credential\b(?P<attrs>[^>]*)>(?P<body>.*?)</openbadges:credential>", re.S
)
SVG_VERIFY = re.compile(r"\bverify\s*=\s*[\"'](?P<jws>[^\"']*)[\"']")


def unbake_svg(text):
    """The secured credential an SVG carries: the compact JWS or the JSON text; None when unbaked."""
    from html import unescape

    match = SVG_CREDENTIAL.search(text)
    if match is None:
        return None
    verify = SVG_VERIFY.search(match.group("attrs"))
    if verify:
        return unescape(verify.group("jws")).strip() or None
    body = match.group("body").strip()
    cdata = re.findall(r"<!\[CDATA\[(.*?)\]\]>", body, re.S)
    return ("".join(cdata) if cdata else unescape(body)).strip() or None
