"""The key ring that signs Open Badges 3.0 credentials and the revocation status list.

Ed25519 private keys live outside the database and the repository: either PEM files in
`CERTIFICATE_KEYS_DIR` (one key per file, named by creation time, the newest signs), or
the `CERTIFICATE_SIGNING_KEYS` variable (PEM blocks or a JSON list of PEM strings, the
last one signs). Every key of the ring stays in the published JWKS, so a credential
signed before a rotation still verifies. A key's id is its RFC 7638 JWK thumbprint."""

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

PEM_BLOCK = re.compile(r"-----BEGIN PRIVATE KEY-----.+?-----END PRIVATE KEY-----", re.S)


class SigningKeyUnavailable(Exception):
    """No signing key is configured: signed credentials cannot be served."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey
    source: str

    @property
    def public_jwk(self):
        return public_jwk(self.private_key, self.kid)


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _public_x(private_key):
    raw = private_key.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return _b64url(raw)


def key_thumbprint(private_key):
    """RFC 7638: sha256 of the canonical JSON of the required public members."""
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": _public_x(private_key)}, separators=(",", ":")
    )
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def public_jwk(private_key, kid):
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _public_x(private_key),
        "kid": kid,
        "alg": "EdDSA",
        "use": "sig",
    }


def _load_pem(text, source):
    key = serialization.load_pem_private_key(text.encode() if isinstance(text, str) else text, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{source} is not an Ed25519 private key.")
    return SigningKey(kid=key_thumbprint(key), private_key=key, source=source)


def _from_variable(raw):
    raw = raw.strip()
    if raw.startswith("["):
        blocks = json.loads(raw)
    elif raw.startswith("{"):
        blocks = json.loads(raw)["keys"]
    else:
        blocks = PEM_BLOCK.findall(raw)
    return [_load_pem(block, f"CERTIFICATE_SIGNING_KEYS[{i}]") for i, block in enumerate(blocks)]


def keys_dir():
    return Path(settings.CERTIFICATE_KEYS_DIR) if settings.CERTIFICATE_KEYS_DIR else None


def key_ring():
    """Every configured key, oldest first; the last one signs. A key that cannot be read makes
    signing unavailable (SigningKeyUnavailable naming it) rather than a server error."""
    try:
        if settings.CERTIFICATE_SIGNING_KEYS:
            return _from_variable(settings.CERTIFICATE_SIGNING_KEYS)
        directory = keys_dir()
        if directory is None or not directory.is_dir():
            return []
        return [_load_pem(path.read_bytes(), path.name) for path in sorted(directory.glob("*.pem"))]
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise SigningKeyUnavailable(f"A configured signing key cannot be read: {exc}") from None


def key_current():
    ring = key_ring()
    if not ring:
        raise SigningKeyUnavailable(
            "No signing key is configured for Open Badges 3.0 credentials "
            "(set CERTIFICATE_KEYS_DIR or CERTIFICATE_SIGNING_KEYS)."
        )
    return ring[-1]


def signed_badges_available():
    try:
        return bool(key_ring())
    except SigningKeyUnavailable:
        return False


def key_find(kid):
    return next((key for key in key_ring() if key.kid == kid), None)


def jwks():
    """The public half of every key still in the ring (never a private member)."""
    return {"keys": [key.public_jwk for key in key_ring()]}


def key_create(*, now=None):
    """Write a new Ed25519 key into CERTIFICATE_KEYS_DIR; it signs from now on. Older keys stay."""
    if settings.CERTIFICATE_SIGNING_KEYS:
        raise ValueError(
            "The keys come from CERTIFICATE_SIGNING_KEYS; add the new key to that variable instead."
        )
    directory = keys_dir()
    if directory is None:
        raise ValueError("Set CERTIFICATE_KEYS_DIR to the directory that holds the signing keys.")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = now or timezone.now()
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    # The name sorts by creation time; the thumbprint tells two keys of one instant apart.
    path = directory / f"{now:%Y%m%dT%H%M%S%f}Z-{key_thumbprint(private_key)[:8]}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return SigningKey(kid=key_thumbprint(private_key), private_key=private_key, source=path.name)


def key_ensure():
    """Create a key when the directory is configured and holds none (development set-up).
    Returns the new key, or None when one exists or keys are not kept in a directory."""
    if settings.CERTIFICATE_SIGNING_KEYS or keys_dir() is None or key_ring():
        return None
    return key_create()
