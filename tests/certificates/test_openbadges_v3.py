"""Our Open Badges 3.0 credentials, verified the way an outside verifier would: the keys come
from our published JWKS, the revocation bit from our signed status list."""

import hashlib
import io
import json
from datetime import timedelta
from urllib.parse import urlsplit

import jwt
import pytest

from certificates.models import Certificate
from certificates.openbadges_v3 import OB3_CONTEXT, VC_CONTEXT, decode_list
from certificates.png_text import png_text_read
from certificates.services import certificate_revoke


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.select_related("user", "certification").get()


def published_keys(client):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    return {jwk["kid"]: jwt.PyJWK(jwk) for jwk in response.json()["keys"]}


def verify(client, token, **options):
    """Verify a JWT against the key its header names in our JWKS (KeyError when it is not there)."""
    key = published_keys(client)[jwt.get_unverified_header(token)["kid"]]
    return jwt.decode(token, key, algorithms=["EdDSA"], options={"verify_exp": False, **options})


def status_bit(client, index):
    token = client.get("/ob/v3/status/revocation").content.decode()
    claims = verify(client, token)
    subject = claims["vc"]["credentialSubject"]
    bits = decode_list(subject["encodedList"])
    assert len(bits) * 8 >= 131072
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


@pytest.mark.django_db
def test_credential_is_a_signed_open_badge_credential(client, certificate, signing_key, settings):
    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt")
    assert response.status_code == 200
    token = response.content.decode()
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": signing_key.kid, "typ": "JWT"}
    claims = verify(client, token, require=["iss", "jti", "sub", "nbf", "vc"])
    vc = claims["vc"]
    assert vc["@context"] == [VC_CONTEXT, OB3_CONTEXT]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == vc["issuer"]["id"] == f"{settings.SITE_URL}/ob/v3/issuer"
    assert claims["jti"] == vc["id"] == f"{settings.SITE_URL}/ob/v3/credentials/{certificate.uuid}"
    assert claims["nbf"] == int(certificate.issued_at.timestamp()) and "exp" not in claims
    assert {"id", "type", "name", "url"} <= set(vc["issuer"]) and vc["validFrom"].endswith("Z")
    subject = vc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    identity = subject["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    expected = hashlib.sha256((certificate.user.email + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == claims["sub"] == f"sha256${expected}"
    assert certificate.user.email not in token and certificate.user.email not in json.dumps(vc)
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == "Test exam"
    assert {"id", "description", "criteria", "image"} <= set(achievement)
    status = vc["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert status["statusListIndex"] == str(certificate.status_index)
    assert status["statusListCredential"] == f"{settings.SITE_URL}/ob/v3/status/revocation"
    decoded = client.get(f"/ob/v3/credentials/{certificate.uuid}.json").json()
    assert decoded == vc


@pytest.mark.django_db
def test_exp_is_where_the_certificate_expires(client, certificate, signing_key):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=certificate.issued_on + timedelta(days=365)
    )
    token = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    claims = verify(client, token)
    certificate.refresh_from_db()
    assert claims["exp"] > claims["nbf"]
    assert claims["vc"]["validUntil"].startswith(certificate.expires_on.isoformat())


@pytest.mark.django_db
def test_revocation_flips_the_status_bit_at_once_and_the_credential_still_serves(
    client, certificate, signing_key, examiner
):
    assert status_bit(client, certificate.status_index) is False
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    assert status_bit(client, certificate.status_index) is True
    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt")
    assert response.status_code == 200 and verify(client, response.content.decode())["vc"]["id"]
    listing = client.get("/ob/v3/status/revocation.json").json()
    assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listing["credentialSubject"]["statusPurpose"] == "revocation"
    assert client.get("/ob/v3/status/revocation")["Cache-Control"] == "no-cache"


@pytest.mark.django_db
def test_only_revoked_certificates_have_their_bit_set(client, certificate, signing_key, examiner):
    from certificates.openbadges_v3 import revocation_bitstring

    other = Certificate.objects.create(
        code="ABCDEFGHJK2",
        status_index=certificate.status_index + 9,
        user=examiner,
        certification=certificate.certification,
        holder_name="Erik",
        certification_name="Test exam",
        issued_on=certificate.issued_on,
    )
    certificate_revoke(certificate=other, actor=examiner, reason="Fraud")
    bits = revocation_bitstring()
    assert status_bit(client, other.status_index) and not status_bit(client, certificate.status_index)
    assert sum(bin(b).count("1") for b in bits) == 1


@pytest.mark.django_db
def test_status_indexes_are_allocated_in_turn_and_unique(certificate):
    from django.db import IntegrityError

    from certificates.services import _next_status_index

    assert _next_status_index() == certificate.status_index + 1
    with pytest.raises(IntegrityError):
        Certificate.objects.create(
            code="ABCDEFGHJK2",
            status_index=certificate.status_index,
            user=certificate.user,
            certification=certificate.certification,
            holder_name="x",
            certification_name="x",
            issued_on=certificate.issued_on,
            revoked_at=certificate.issued_at,
            revocation_reason="test",
        )


@pytest.mark.django_db
def test_a_key_not_in_our_jwks_is_rejected(client, certificate, signing_key):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from certificates.openbadges_v3 import CredentialInvalid, credential, credential_jwt_verify

    forged = jwt.encode(
        {"iss": "x", "jti": "y", "vc": credential(certificate)},
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": "not-our-key"},
    )
    with pytest.raises(KeyError):
        verify(client, forged)
    with pytest.raises(CredentialInvalid):
        credential_jwt_verify(forged)
    # Our kid on a foreign signature: the signature check refuses it.
    impostor = jwt.encode(
        {"iss": "x", "jti": "y", "vc": {}},
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": signing_key.kid},
    )
    with pytest.raises(jwt.InvalidSignatureError):
        verify(client, impostor)
    with pytest.raises(CredentialInvalid):
        credential_jwt_verify(impostor)


@pytest.mark.django_db
def test_baked_png_carries_the_signed_credential(client, certificate, signing_key):
    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    token = png_text_read(response.content, "openbadgecredential")
    assert verify(client, token)["jti"].endswith(str(certificate.uuid))
    from PIL import Image

    assert Image.open(io.BytesIO(response.content)).size == (400, 400)


@pytest.mark.django_db
def test_without_a_key_the_signed_endpoints_answer_503(client, certificate, keys_dir):
    for path in (
        f"/ob/v3/credentials/{certificate.uuid}.jwt",
        f"/ob/v3/credentials/{certificate.uuid}.json",
        f"/ob/v3/credentials/{certificate.uuid}.png",
        "/ob/v3/status/revocation",
        "/ob/v3/status/revocation.json",
    ):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "No signing key is configured" in response.json()["detail"]
    assert client.get("/.well-known/jwks.json").json() == {"keys": []}


@pytest.mark.django_db
def test_an_unreadable_key_file_makes_the_signed_endpoints_503_not_500(client, certificate, keys_dir):
    keys_dir.mkdir(parents=True)
    (keys_dir / "20260101T000000000000Z-broken.pem").write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n")
    for path in (
        f"/ob/v3/credentials/{certificate.uuid}.jwt",
        "/ob/v3/status/revocation",
        "/.well-known/jwks.json",
    ):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "cannot be read" in response.json()["detail"]


@pytest.mark.django_db
def test_unknown_credentials_are_404_and_the_api_links_the_credential(client, certificate, signing_key):
    assert client.get("/ob/v3/credentials/00000000-0000-0000-0000-000000000000.jwt").status_code == 404
    body = client.get(f"/api/v1/certificates/{certificate.code}").json()
    assert body["ob3_credential_url"].endswith(f"/ob/v3/credentials/{certificate.uuid}.jwt")
    assert client.get(urlsplit(body["ob3_credential_url"]).path).status_code == 200


@pytest.mark.django_db
def test_issuer_and_achievement_documents_are_served(client, certificate):
    issuer = client.get("/ob/v3/issuer").json()
    assert issuer["type"] == ["Profile"] and issuer["name"]
    achievement = client.get(f"/ob/v3/achievements/{certificate.certification.code}").json()
    assert achievement["type"] == ["Achievement"] and achievement["name"] == "Test exam"
    assert client.get("/ob/v3/achievements/NOPE").status_code == 404
