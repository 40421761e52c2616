"""W3C Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite, and the JSON-LD document
loader they canonicalise with.

Canonicalisation is RDFC-1.0 (URDNA2015) by pyld. The document loader knows only the contexts
bundled in `certificates/jsonld/`; any other URL raises, so nothing is ever fetched."""

import copy
import hashlib
import json
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature

from .signing_keys import base58btc, base58btc_decode

JSONLD_DIR = Path(__file__).resolve().parent / "jsonld"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://w3id.org/security/data-integrity/v2": "security-data-integrity-v2.json",
    "https://w3id.org/security/multikey/v1": "security-multikey-v1.json",
}
PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"


class UnknownContext(Exception):
    """A JSON-LD document named a context that is not bundled (nothing is fetched)."""


class ProofInvalid(Exception):
    """The document carries no valid eddsa-rdfc-2022 proof."""


@cache
def _context(url):
    return json.loads((JSONLD_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(url, options=None):
    """pyld document loader restricted to the bundled contexts."""
    from pyld.jsonld import JsonLdError

    if url not in CONTEXT_FILES:
        raise JsonLdError(
            f"The context {url} is not bundled with this application; nothing is fetched.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(_context(url))}


def canonicalize(document):
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document (UnknownContext for an unbundled context)."""
    from pyld import jsonld

    try:
        return jsonld.normalize(
            document,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader},
        )
    except jsonld.JsonLdError as exc:
        raise UnknownContext(str(exc)) from None


def _hash_data(unsecured, proof_config):
    transformed = canonicalize(unsecured)
    canonical_config = canonicalize(proof_config)
    return hashlib.sha256(canonical_config.encode()).digest() + hashlib.sha256(transformed.encode()).digest()


def _proof_config(document, *, verification_method, created):
    return {
        "@context": document["@context"],
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }


def proof_add(document, *, private_key, verification_method, created):
    """A copy of `document` with an embedded DataIntegrityProof (eddsa-rdfc-2022, assertionMethod)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = _proof_config(unsecured, verification_method=verification_method, created=created)
    signature = private_key.sign(_hash_data(unsecured, config))
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = "z" + base58btc(signature)
    return {**unsecured, "proof": proof}


def proof_verify(document, public_key_for):
    """Check the document's eddsa-rdfc-2022 proof. `public_key_for(verification_method)` returns the
    Ed25519 public key that method names, or None. Returns the proof; ProofInvalid otherwise."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict):
        raise ProofInvalid("The document carries no proof.")
    if (proof.get("type"), proof.get("cryptosuite"), proof.get("proofPurpose")) != (
        PROOF_TYPE,
        CRYPTOSUITE,
        PROOF_PURPOSE,
    ):
        raise ProofInvalid("The proof is not an eddsa-rdfc-2022 assertion proof.")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofInvalid("The proof value is not base58btc multibase.")
    public_key = public_key_for(proof.get("verificationMethod"))
    if public_key is None:
        raise ProofInvalid("The proof names a key that is not ours.")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {"@context": unsecured.get("@context"), **{k: v for k, v in proof.items() if k != "proofValue"}}
    try:
        signature = base58btc_decode(value[1:])
        public_key.verify(signature, _hash_data(unsecured, config))
    except (InvalidSignature, ValueError) as exc:
        raise ProofInvalid(f"The signature does not verify{': ' + str(exc) if str(exc) else ''}.") from None
    except UnknownContext as exc:
        raise ProofInvalid(str(exc)) from None
    return proof
