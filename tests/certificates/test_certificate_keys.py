"""The signing key ring: created and rotated by command, kept out of the repository,
published as public keys only, and every key of the ring still verifies."""

import json
from io import StringIO

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from certificates import signing_keys
from certificates.models import Certificate


def _pems_under_repository():
    root = django_settings.BASE_DIR
    return {p for p in root.rglob("*.pem") if ".venv" not in p.parts and "node_modules" not in p.parts}


def _pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _run(*args):
    out = StringIO()
    call_command("certificate_keys", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_list_and_rotate_keep_every_key_and_sign_with_the_newest(keys_dir):
    before = _pems_under_repository()
    assert "No signing key" in _run("list")
    _run("create")
    first_rsa, first_ed = signing_keys.key_current("rsa"), signing_keys.key_current("ed25519")
    assert first_rsa.private_key.key_size >= 2048
    _run("rotate", "--kind", "rsa")
    ring = signing_keys.key_ring()
    assert len(ring) == 3 and [k.kind for k in ring].count("rsa") == 2
    assert signing_keys.key_current("rsa").kid not in (first_rsa.kid, first_ed.kid)
    assert signing_keys.key_current("ed25519").kid == first_ed.kid
    listing = _run("list")
    assert first_rsa.kid in listing and "verify only" in listing and "current: signs VC-JWT" in listing
    assert "current: signs Data Integrity" in listing
    assert len(list(keys_dir.glob("*.pem"))) == 3
    assert all((p.stat().st_mode & 0o077) == 0 for p in keys_dir.glob("*.pem"))
    assert _pems_under_repository() == before


@pytest.mark.django_db
def test_create_if_missing_adds_only_the_missing_kinds(keys_dir):
    signing_keys.key_create(kind="ed25519")  # a ring from before RSA keys existed
    assert "New rsa signing key" in _run("create", "--if-missing")
    assert "skipping" in _run("create", "--if-missing")
    assert sorted(k.kind for k in signing_keys.key_ring()) == ["ed25519", "rsa"]


@pytest.mark.django_db
def test_jwks_publishes_public_keys_only(client, keys_dir):
    signing_keys.key_create(kind="rsa")
    signing_keys.key_create(kind="ed25519")
    body = client.get("/.well-known/jwks.json").json()
    assert len(body["keys"]) == 2
    for jwk in body["keys"]:
        if jwk["kty"] == "RSA":
            assert set(jwk) == {"kty", "n", "e", "kid", "alg", "use"} and jwk["alg"] == "RS256"
        else:
            assert set(jwk) == {"kty", "crv", "x", "kid", "alg", "use"} and jwk["crv"] == "Ed25519"
        assert jwk["kid"] == jwt.PyJWK(jwk).key_id


@pytest.mark.django_db
def test_a_credential_signed_before_rotation_still_verifies(client, passed_attempt, keys_dir):
    certificate = Certificate.objects.get()
    signing_keys.key_create(kind="ed25519")
    old = signing_keys.key_create(kind="rsa")
    token = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    new = signing_keys.key_create(kind="rsa")
    fresh = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    assert jwt.get_unverified_header(fresh)["kid"].endswith(f"/ob/v3/keys/{new.kid}")
    keys = {k["kid"]: jwt.PyJWK(k) for k in client.get("/.well-known/jwks.json").json()["keys"]}
    assert jwt.get_unverified_header(token)["kid"].endswith(f"/ob/v3/keys/{old.kid}")
    assert jwt.decode(token, keys[old.kid], algorithms=["RS256"])["jti"].endswith(str(certificate.uuid))
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, keys[new.kid], algorithms=["RS256"])


def test_the_thumbprint_is_rfc_7638():
    """RFC 7638 §3.1's example RSA key has this thumbprint."""
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
        "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5h"
        "ajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    e = 65537
    value = int.from_bytes(__import__("base64").urlsafe_b64decode(n + "=="), "big")

    class _Private:
        def public_key(self):
            return RSAPublicNumbers(e, value).public_key()

    import unittest.mock

    with unittest.mock.patch.object(signing_keys, "RSAPrivateKey", _Private):
        assert signing_keys.key_thumbprint(_Private()) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


@pytest.mark.django_db
def test_keys_can_come_from_the_environment_as_pem_or_json(settings):
    a, b = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.CERTIFICATE_KEYS_DIR = ""
    settings.CERTIFICATE_SIGNING_KEYS = _pem(a) + _pem(b)
    assert signing_keys.key_current("ed25519").kid == signing_keys.key_thumbprint(b)
    settings.CERTIFICATE_SIGNING_KEYS = json.dumps([_pem(b), _pem(a)])
    assert [k.kid for k in signing_keys.key_ring()] == [
        signing_keys.key_thumbprint(b),
        signing_keys.key_thumbprint(a),
    ]
    with pytest.raises(CommandError, match="CERTIFICATE_SIGNING_KEYS"):
        _run("create")


@pytest.mark.django_db
def test_create_refuses_without_a_configured_directory(settings):
    settings.CERTIFICATE_KEYS_DIR = ""
    settings.CERTIFICATE_SIGNING_KEYS = ""
    with pytest.raises(CommandError, match="CERTIFICATE_KEYS_DIR"):
        _run("create")
    assert signing_keys.key_ensure() is None


@pytest.mark.django_db
def test_the_demo_creates_a_key_once(keys_dir):
    from content.demo import demo_signing_key

    created = demo_signing_key()
    assert created is not None and demo_signing_key() is None
    ring = signing_keys.key_ring()
    assert sorted(k.kind for k in ring) == ["ed25519", "rsa"] and created.kid in [k.kid for k in ring]


@pytest.mark.django_db
def test_reissue_signs_and_checks_every_credential_in_the_current_format(passed_attempt, keys_dir):
    from accounts.models import AuditEntry

    with pytest.raises(CommandError, match="signing key"):
        call_command("reissue_credentials", stdout=StringIO())
    _run("create")
    out = StringIO()
    call_command("reissue_credentials", stdout=out)
    assert "1 credential(s)" in out.getvalue()
    assert AuditEntry.objects.filter(action="certificate.credentials_reissued").count() == 1
    call_command("reissue_credentials", "--dry-run", stdout=StringIO())
    assert AuditEntry.objects.filter(action="certificate.credentials_reissued").count() == 1
