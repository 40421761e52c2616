"""The key ring that signs Open Badges 3.0 credentials and the status lists.

Two kinds of key, each with its own job:

- **RSA** (2048 bits or more) signs the VC-JWT form (RS256, the algorithm every Open Badges 3.0
  verifier must accept). A JWT names its key by a `kid` URL that answers with that one public JWK.
- **Ed25519** signs the Data Integrity form (`eddsa-rdfc-2022`). The keys are the issuer DID's
  assertion methods (Multikey). Ed25519 keys also verify the VC-JWTs signed with EdDSA before RSA
  keys existed, so those credentials keep verifying.

Private keys live outside the database and the repository: either PEM files in
`CERTIFICATE_KEYS_DIR` (one key per file, named by creation time; per kind the newest signs), or the
`CERTIFICATE_SIGNING_KEYS` variable (PEM blocks or a JSON list of PEM strings; per kind the last one
signs). Every key of the ring stays published (JWKS, DID document), so a credential signed before a
rotation still verifies. A key's id is its RFC 7638 JWK thumbprint."""

import base64
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, generate_private_key
from django.conf import settings
from django.utils import timezone

PEM_BLOCK = re.compile(r"-----BEGIN (?:RSA )?PRIVATE KEY-----.+?-----END (?:RSA )?PRIVATE KEY-----", re.S)

RSA = "rsa"
ED25519 = "ed25519"
KINDS = (RSA, ED25519)
RSA_MIN_BITS = 2048
RSA_BITS = 3072
ALGORITHMS = {RSA: "RS256", ED25519: "EdDSA"}
PURPOSES = {RSA: "signs VC-JWT credentials (RS256)", ED25519: "signs Data Integrity proofs (eddsa-rdfc-2022)"}


class SigningKeyUnavailable(Exception):
    """No signing key (of the kind needed) is configured: signed credentials cannot be served."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey | RSAPrivateKey
    source: str

    @property
    def kind(self):
        return RSA if isinstance(self.private_key, RSAPrivateKey) else ED25519

    @property
    def algorithm(self):
        return ALGORITHMS[self.kind]

    @property
    def public_key(self):
        return self.private_key.public_key()

    @property
    def public_jwk(self):
        return public_jwk(self.private_key, self.kid)

    @property
    def public_multibase(self):
        """Multikey `publicKeyMultibase` of an Ed25519 key: base58btc of 0xed01 + the raw key."""
        raw = self.public_key.public_bytes(
            encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
        )
        return "z" + base58btc(b"\xed\x01" + raw)


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc(data):
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58btc_decode(text):
    number = 0
    for char in text:
        number = number * 58 + _B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64url(value):
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _public_x(private_key):
    raw = private_key.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return _b64url(raw)


def _required_members(private_key):
    """The RFC 7638 required members of the public JWK, in lexicographic order."""
    if isinstance(private_key, RSAPrivateKey):
        numbers = private_key.public_key().public_numbers()
        return {"e": _int_b64url(numbers.e), "kty": "RSA", "n": _int_b64url(numbers.n)}
    return {"crv": "Ed25519", "kty": "OKP", "x": _public_x(private_key)}


def key_thumbprint(private_key):
    """RFC 7638: sha256 of the canonical JSON of the required public members."""
    canonical = json.dumps(_required_members(private_key), separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def public_jwk(private_key, kid):
    kind = RSA if isinstance(private_key, RSAPrivateKey) else ED25519
    return {**_required_members(private_key), "kid": kid, "alg": ALGORITHMS[kind], "use": "sig"}


def _load_pem(text, source):
    key = serialization.load_pem_private_key(text.encode() if isinstance(text, str) else text, password=None)
    if isinstance(key, RSAPrivateKey):
        if key.key_size < RSA_MIN_BITS:
            raise ValueError(
                f"{source} is an RSA key of {key.key_size} bits; at least {RSA_MIN_BITS} are needed."
            )
    elif not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{source} is neither an RSA nor an Ed25519 private key.")
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
    """Every configured key of both kinds, oldest first. A key that cannot be read makes signing
    unavailable (SigningKeyUnavailable naming it) rather than a server error."""
    try:
        if settings.CERTIFICATE_SIGNING_KEYS:
            return _from_variable(settings.CERTIFICATE_SIGNING_KEYS)
        directory = keys_dir()
        if directory is None or not directory.is_dir():
            return []
        return [_load_pem(path.read_bytes(), path.name) for path in sorted(directory.glob("*.pem"))]
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise SigningKeyUnavailable(f"A configured signing key cannot be read: {exc}") from None


def keys_of(kind):
    return [key for key in key_ring() if key.kind == kind]


def key_current(kind=RSA):
    """The key of `kind` that signs now (the newest of that kind)."""
    ring = keys_of(kind)
    if not ring:
        raise SigningKeyUnavailable(
            f"No {kind.upper() if kind == RSA else 'Ed25519'} signing key is configured for Open Badges 3.0 "
            "credentials (set CERTIFICATE_KEYS_DIR or CERTIFICATE_SIGNING_KEYS, then run "
            "`manage.py certificate_keys create --if-missing`)."
        )
    return ring[-1]


def signed_badges_available():
    try:
        return all(keys_of(kind) for kind in KINDS)
    except SigningKeyUnavailable:
        return False


def key_find(kid):
    return next((key for key in key_ring() if key.kid == kid), None)


def jwks():
    """The public half of every key still in the ring (never a private member)."""
    return {"keys": [key.public_jwk for key in key_ring()]}


def _generate(kind):
    if kind == RSA:
        return generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    if kind == ED25519:
        return Ed25519PrivateKey.generate()
    raise ValueError(f"Unknown key kind {kind!r}; use one of {', '.join(KINDS)}.")


def key_create(*, kind=RSA, now=None):
    """Write a new key of `kind` into CERTIFICATE_KEYS_DIR; it signs from now on. Older keys stay."""
    if settings.CERTIFICATE_SIGNING_KEYS:
        raise ValueError(
            "The keys come from CERTIFICATE_SIGNING_KEYS; add the new key to that variable instead."
        )
    directory = keys_dir()
    if directory is None:
        raise ValueError("Set CERTIFICATE_KEYS_DIR to the directory that holds the signing keys.")
    private_key = _generate(kind)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = now or timezone.now()
    pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    # The name sorts by creation time; the thumbprint tells two keys of one instant apart.
    path = directory / f"{now:%Y%m%dT%H%M%S%f}Z-{kind}-{key_thumbprint(private_key)[:8]}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return SigningKey(kid=key_thumbprint(private_key), private_key=private_key, source=path.name)


def keys_create_missing():
    """Create one key of every kind the ring lacks. Returns the new keys (empty when complete)."""
    return [key_create(kind=kind) for kind in KINDS if not keys_of(kind)]


def key_ensure():
    """Create the missing kinds when the directory is configured (development set-up).
    Returns the last new key, or None when the ring is complete or keys are not kept in a directory."""
    if settings.CERTIFICATE_SIGNING_KEYS or keys_dir() is None:
        return None
    created = keys_create_missing()
    return created[-1] if created else None
