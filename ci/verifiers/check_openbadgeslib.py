"""openbadgeslib checks one of our credentials against a running server, in both forms:

- VC-JWT: the key the JOSE header's `kid` URL answers with; signature, recipient (the DID),
  validity window, structure, and both status entries with the status lists' own JWT signatures.
- Data Integrity: the key the issuer's did:web document lists for the proof; signature, recipient,
  validity window, structure, and both status entries.

Both are also validated against the bundled Open Badges 3.0 JSON schema, and the hashed e-mail
identity is recomputed. Usage: check_openbadgeslib.py BASE_URL UUID EMAIL DID EXPECTED
(EXPECTED: valid, revoked or suspended). Exits non-zero when the outcome is not the expected one.
The only shim: fetches of https://HOST go to http://HOST for the test server (did:web assumes
HTTPS); anything not on the test server is refused."""

import json
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import jsonschema
import jwt
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier
from openbadgeslib.util import hash_email

SCHEMA = (
    Path(__file__).resolve().parents[2]
    / "certificates"
    / "schemas"
    / "ob_v3p0_achievementcredential_schema.json"
)
REGISTERED = {"iss", "jti", "sub", "nbf", "exp", "iat"}


def fetcher(base, accept=None):
    server = urlsplit(base)

    def download(url):
        parts = urlsplit(url)
        if parts.netloc != server.netloc:
            raise ValueError(f"refused: {url} is not the test server")
        request = urllib.request.Request(urlunsplit(("http", *parts[1:])))  # noqa: S310 - the test server only
        if accept:
            request.add_header("Accept", accept)
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.read()

    return download


def schema_check(document):
    validator = jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text()))
    errors = [e.message for e in validator.iter_errors(document)]
    if errors:
        raise SystemExit(f"schema: {errors}")


def identity_check(subject, email):
    identity = subject["identifier"][0]
    expected = "sha256$" + hash_email(email, identity["salt"]).decode()
    if identity["identityHash"] != expected:
        raise SystemExit("the hashed e-mail identity does not match the holder")


def check_jwt(base, uuid, email, did):
    token = fetcher(base)(f"{base}/ob/v3/credentials/{uuid}.jwt").decode()
    header = jwt.get_unverified_header(token)
    jwk = json.loads(fetcher(base)(header["kid"]))
    payload = jwt.decode(token, options={"verify_signature": False})
    schema_check({k: v for k, v in payload.items() if k not in REGISTERED})
    identity_check(payload["credentialSubject"], email)
    verifier = OB3Verifier(pubkey_pem=jwt.PyJWK(jwk).key)
    return verifier.verify(
        token,
        expected_recipient=did,
        check_status=True,
        verify_status_list=True,
        download=fetcher(base, accept="application/vc+jwt"),
    )


def check_data_integrity(base, uuid, email, did):
    raw = fetcher(base)(f"{base}/ob/v3/credentials/{uuid}.json")
    document = json.loads(raw)
    schema_check(document)
    identity_check(document["credentialSubject"], email)
    verifier = OB3LdpVerifier.for_issuer_did(document["issuer"]["id"])
    # The status lists' own signatures are checked in the JWT run (both forms name the same lists).
    return verifier.verify(
        raw, expected_recipient=did, check_status=True, verify_status_list=False, download=fetcher(base)
    )


def main(base, uuid, email, did, expected):
    failed = False
    for name, check in (("VC-JWT", check_jwt), ("Data Integrity", check_data_integrity)):
        try:
            credential = check(base, uuid, email, did)
            outcome, detail = "valid", f"issuer {credential.issuer.id}, recipient {credential.recipient_id}"
        except OB3VerificationError as exc:
            message = str(exc)
            outcome = (
                "revoked"
                if "'revocation'" in message
                else "suspended"
                if "'suspension'" in message
                else "invalid"
            )
            detail = message
        ok = outcome == expected
        failed |= not ok
        print(
            f"openbadgeslib {name:15} expected {expected:9} got {outcome:9} {'OK ' if ok else 'FAIL'} {detail}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
