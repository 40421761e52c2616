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
    first = signing_keys.key_current()
    _run("rotate")
    ring = signing_keys.key_ring()
    assert len(ring) == 2 and ring[0].kid == first.kid and signing_keys.key_current().kid == ring[1].kid
    listing = _run("list")
    assert f"{ring[0].kid}" in listing and "verify only" in listing and "current" in listing
    assert len(list(keys_dir.glob("*.pem"))) == 2
    assert all((p.stat().st_mode & 0o077) == 0 for p in keys_dir.glob("*.pem"))
    assert _pems_under_repository() == before


@pytest.mark.django_db
def test_create_if_missing_is_idempotent(keys_dir):
    _run("create", "--if-missing")
    assert "skipping" in _run("create", "--if-missing")
    assert len(signing_keys.key_ring()) == 1


@pytest.mark.django_db
def test_jwks_publishes_public_keys_only(client, keys_dir):
    signing_keys.key_create()
    signing_keys.key_create()
    body = client.get("/.well-known/jwks.json").json()
    assert len(body["keys"]) == 2
    for jwk in body["keys"]:
        assert set(jwk) == {"kty", "crv", "x", "kid", "alg", "use"}
        assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and "d" not in jwk


@pytest.mark.django_db
def test_a_credential_signed_before_rotation_still_verifies(client, passed_attempt, keys_dir):
    certificate = Certificate.objects.get()
    old = signing_keys.key_create()
    token = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    new = signing_keys.key_create()
    assert (
        jwt.get_unverified_header(client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode())[
            "kid"
        ]
        == new.kid
    )
    keys = {k["kid"]: jwt.PyJWK(k) for k in client.get("/.well-known/jwks.json").json()["keys"]}
    kid = jwt.get_unverified_header(token)["kid"]
    assert kid == old.kid
    assert jwt.decode(token, keys[kid], algorithms=["EdDSA"])["jti"].endswith(str(certificate.uuid))
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, keys[new.kid], algorithms=["EdDSA"])


@pytest.mark.django_db
def test_keys_can_come_from_the_environment_as_pem_or_json(settings):
    a, b = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings.CERTIFICATE_KEYS_DIR = ""
    settings.CERTIFICATE_SIGNING_KEYS = _pem(a) + _pem(b)
    assert signing_keys.key_current().kid == signing_keys.key_thumbprint(b)
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
    assert [k.kid for k in signing_keys.key_ring()] == [created.kid]
