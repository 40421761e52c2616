"""Our Open Badges 3.0 credentials, checked the way an outside verifier would: the keys come from
what we publish (the `kid` URL, the JWKS, the DID document), the status from our signed lists,
and every credential against the bundled Open Badges 3.0 JSON schema."""

import base64
import hashlib
import io
import json
from datetime import timedelta

import jwt
import pytest

from certificates import data_integrity, openbadges_v3
from certificates.models import Certificate
from certificates.openbadges_v3 import OB3_CONTEXT, VC_CONTEXT, decode_list
from certificates.png_text import png_text_read
from certificates.services import certificate_revoke, certificate_suspend, certificate_unsuspend


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.select_related("user", "certification").get()


def key_by_kid(client, settings, header):
    """Dereference a JWT header's `kid` over HTTP, as OB 3.0 §8.2 says a verifier does."""
    prefix = f"{settings.SITE_URL}/ob/v3/keys/"
    assert header["kid"].startswith(prefix)
    response = client.get(header["kid"][len(settings.SITE_URL) :])
    assert response.status_code == 200 and response["Content-Type"] == "application/jwk+json"
    return response.json()


def verify(client, settings, token, **options):
    header = jwt.get_unverified_header(token)
    jwk = key_by_kid(client, settings, header)
    return jwt.decode(
        token, jwt.PyJWK(jwk), algorithms=[header["alg"]], options={"verify_exp": False, **options}
    )


def status_bit(client, settings, purpose, index):
    """The bit of the Data Integrity status list (verified against the DID document) and of the
    VC-JWT one (verified by its kid); they must agree."""
    listing = client.get(f"/ob/v3/status/{purpose}").json()
    check_proof(client, listing)
    token = client.get(f"/ob/v3/status/{purpose}", HTTP_ACCEPT="application/vc+jwt").content.decode()
    claims = verify(client, settings, token)
    bits = []
    for subject in (listing["credentialSubject"], claims["credentialSubject"]):
        assert subject["statusPurpose"] == purpose
        raw = decode_list(subject["encodedList"])
        assert len(raw) * 8 >= 131072
        bits.append(bool(raw[index // 8] & (0x80 >> (index % 8))))
    assert bits[0] == bits[1]
    return bits[0]


def check_proof(client, document):
    """Verify a Data Integrity proof with the key the DID document (fetched over HTTP) lists."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from certificates.signing_keys import base58btc_decode

    did = client.get("/.well-known/did.json").json()

    def key_for(method):
        if method not in did["assertionMethod"]:
            return None
        entry = next(m for m in did["verificationMethod"] if m["id"] == method)
        raw = base58btc_decode(entry["publicKeyMultibase"][1:])
        assert raw[:2] == b"\xed\x01"
        return Ed25519PublicKey.from_public_bytes(raw[2:])

    return data_integrity.proof_verify(document, key_for)


@pytest.mark.django_db
def test_the_jwt_is_the_credential_itself_signed_rs256_with_a_dereferenceable_kid(
    client, certificate, signing_key, settings
):
    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    assert header["kid"] == f"{settings.SITE_URL}/ob/v3/keys/{signing_key.kid}"
    assert header["jwk"] == key_by_kid(client, settings, header) == signing_key.public_jwk
    assert header["jwk"]["kty"] == "RSA" and "d" not in header["jwk"]
    assert len(base64.urlsafe_b64decode(header["jwk"]["n"] + "==")) * 8 >= 2048
    claims = verify(client, settings, token, require=["iss", "jti", "nbf"])
    assert "vc" not in claims  # OB 3.0: no VC 1.1 wrapper
    assert claims["@context"] == [VC_CONTEXT, OB3_CONTEXT, openbadges_v3.OB3_EXTENSIONS_CONTEXT]
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == claims["issuer"]["id"] == "did:web:127.0.0.1%3A8000"
    assert claims["jti"] == claims["id"] == f"{settings.SITE_URL}/ob/v3/credentials/{certificate.uuid}"
    assert claims["nbf"] == int(certificate.issued_at.timestamp())
    assert "exp" not in claims and "validUntil" not in claims
    assert "sub" not in claims  # the subject has no id unless the holder gave a DID
    issuer = claims["issuer"]
    assert {"id", "type", "name", "url", "email", "image", "description"} <= set(issuer)
    assert issuer["name"] == settings.ISSUING_BODY and issuer["url"] == settings.SITE_URL
    subject = claims["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    identity = subject["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    expected = hashlib.sha256((certificate.user.email + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert certificate.user.email not in token and certificate.user.email not in json.dumps(claims)
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == "Test exam"
    assert achievement["achievementType"] == "Certification" and achievement["inLanguage"] == "en"
    assert {"id", "description", "criteria", "image"} <= set(achievement)
    assert [s["statusPurpose"] for s in claims["credentialStatus"]] == ["revocation", "suspension"]
    for entry in claims["credentialStatus"]:
        assert entry["type"] == "BitstringStatusListEntry"
        assert entry["statusListIndex"] == str(certificate.status_index)
        assert entry["statusListCredential"] == f"{settings.SITE_URL}/ob/v3/status/{entry['statusPurpose']}"
    assert claims["credentialSchema"] == [
        {"id": openbadges_v3.SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}
    ]


@pytest.mark.django_db
def test_every_credential_we_serve_validates_against_the_bundled_schema(client, certificate, signing_key):
    from certificates.models import HolderIdentity

    token = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    claims = jwt.decode(token, options={"verify_signature": False})
    registered = {"iss", "jti", "sub", "nbf", "exp"}
    assert openbadges_v3.schema_errors({k: v for k, v in claims.items() if k not in registered}) == []
    assert openbadges_v3.schema_errors(client.get(f"/ob/v3/credentials/{certificate.uuid}.json").json()) == []
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=certificate.issued_on + timedelta(days=30)
    )
    HolderIdentity.objects.create(
        user=certificate.user, did="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    )
    assert openbadges_v3.schema_errors(client.get(f"/ob/v3/credentials/{certificate.uuid}.json").json()) == []


@pytest.mark.django_db
def test_the_schema_check_fails_when_a_required_member_is_missing(certificate, signing_key):
    """The bundled schema is really applied: break what it requires and it says so."""
    vc = openbadges_v3.credential(certificate)
    assert openbadges_v3.schema_errors(vc) == []
    for member in ("validFrom", "issuer", "credentialSubject", "name"):
        broken = {k: v for k, v in vc.items() if k != member}
        assert any(member in e for e in openbadges_v3.schema_errors(broken)), member
    del vc["credentialSubject"]["achievement"]["criteria"]
    assert openbadges_v3.schema_errors(vc)
    schema = openbadges_v3.credential_schema()
    assert schema["$id"] == openbadges_v3.SCHEMA_ID


@pytest.mark.django_db
def test_the_holders_did_is_the_subject_and_the_sub_claim(client, certificate, signing_key, settings):
    did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    client.force_login(certificate.user)
    response = client.post("/me/certificates/", {"did": "not a did"})
    assert response.status_code == 400 and "A DID starts with did:" in response.content.decode()
    assert client.post("/me/certificates/", {"did": did}).status_code == 302
    claims = verify(
        client, settings, client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    )
    assert claims["sub"] == claims["credentialSubject"]["id"] == did
    assert claims["credentialSubject"]["identifier"][0]["identityType"] == "emailAddress"
    assert client.post("/me/certificates/", {"did": ""}).status_code == 302
    claims = verify(
        client, settings, client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    )
    assert "sub" not in claims and "id" not in claims["credentialSubject"]


@pytest.mark.django_db
def test_exp_and_valid_until_are_where_the_certificate_expires(client, certificate, signing_key, settings):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=certificate.issued_on + timedelta(days=365)
    )
    token = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    claims = verify(client, settings, token)
    certificate.refresh_from_db()
    assert claims["exp"] > claims["nbf"]
    assert claims["validUntil"] == f"{certificate.expires_on.isoformat()}T23:59:59Z"
    assert (
        client.get(f"/ob/v3/credentials/{certificate.uuid}.json").json()["validUntil"] == claims["validUntil"]
    )


@pytest.mark.django_db
def test_the_data_integrity_credential_is_the_same_credential_with_an_eddsa_rdfc_2022_proof(
    client, certificate, signing_key, ed25519_key, settings
):
    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    document = response.json()
    proof = check_proof(client, document)
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == f"did:web:127.0.0.1%3A8000#{ed25519_key.kid}"
    token = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    claims = jwt.decode(token, options={"verify_signature": False})
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    assert unsecured == {k: v for k, v in claims.items() if k not in {"iss", "jti", "nbf", "sub", "exp"}}
    assert openbadges_v3.credential_document_verify(document) == document
    # One changed character and the proof no longer verifies.
    tampered = json.loads(json.dumps(document).replace("Test exam", "Test exan"))
    with pytest.raises(data_integrity.ProofInvalid):
        check_proof(client, tampered)
    with pytest.raises(openbadges_v3.CredentialInvalid):
        openbadges_v3.credential_document_verify(tampered)


@pytest.mark.django_db
def test_the_did_document_lists_every_ed25519_key_as_a_multikey_assertion_method(
    client, signing_key, ed25519_key, settings
):
    from certificates.signing_keys import key_create

    newer = key_create(kind="ed25519")
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    did = response.json()
    assert did["id"] == "did:web:127.0.0.1%3A8000"
    ids = [f"{did['id']}#{ed25519_key.kid}", f"{did['id']}#{newer.kid}"]
    assert [m["id"] for m in did["verificationMethod"]] == ids == did["assertionMethod"]
    for method in did["verificationMethod"]:
        assert method["type"] == "Multikey" and method["controller"] == did["id"]
        assert method["publicKeyMultibase"].startswith("z6Mk")
    settings.SITE_URL = "https://academy.example.org"
    assert openbadges_v3.issuer_did() == "did:web:academy.example.org"
    settings.SITE_URL = "https://example.org/fitsm"
    assert openbadges_v3.issuer_did() == "did:web:example.org:fitsm"


@pytest.mark.django_db
def test_jwks_publishes_every_key_and_each_kid_dereferences_to_one_bare_jwk(client, signing_key, ed25519_key):
    keys = client.get("/.well-known/jwks.json").json()["keys"]
    assert {k["kid"] for k in keys} == {signing_key.kid, ed25519_key.kid}
    for jwk in keys:
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(jwk)
        assert client.get(f"/ob/v3/keys/{jwk['kid']}").json() == jwk
    assert client.get("/ob/v3/keys/unknown").status_code == 404


@pytest.mark.django_db
def test_a_credential_signed_before_rsa_keys_still_verifies(client, certificate, keys_dir, settings):
    """The earlier VC-JWT (EdDSA, credential under `vc`, bare thumbprint kid) keeps verifying: its
    Ed25519 key stays published and our verifier accepts it."""
    from certificates.signing_keys import key_create

    old = key_create(kind="ed25519")
    legacy = jwt.encode(
        {
            "iss": f"{settings.SITE_URL}/ob/v3/issuer",
            "jti": openbadges_v3.credential_id(certificate),
            "nbf": int(certificate.issued_at.timestamp()),
            "vc": {
                "id": openbadges_v3.credential_id(certificate),
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
            },
        },
        old.private_key,
        algorithm="EdDSA",
        headers={"kid": old.kid, "typ": "JWT"},
    )
    key_create(kind="rsa")
    claims = openbadges_v3.credential_jwt_verify(legacy)
    assert openbadges_v3.credential_of_claims(claims)["id"].endswith(str(certificate.uuid))
    published = {k["kid"]: k for k in client.get("/.well-known/jwks.json").json()["keys"]}
    assert jwt.decode(legacy, jwt.PyJWK(published[old.kid]), algorithms=["EdDSA"])["jti"] == claims["jti"]
    new = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    assert jwt.get_unverified_header(new)["alg"] == "RS256"
    assert openbadges_v3.credential_jwt_verify(new)["jti"] == claims["jti"]


@pytest.mark.django_db
def test_a_key_not_in_our_ring_is_rejected(client, certificate, signing_key, settings):
    from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

    from certificates.openbadges_v3 import CredentialInvalid, credential_jwt_claims, credential_jwt_verify

    stranger = generate_private_key(public_exponent=65537, key_size=2048)
    claims = credential_jwt_claims(certificate)
    forged = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": "not-our-key"})
    with pytest.raises(CredentialInvalid):
        credential_jwt_verify(forged)
    impostor = jwt.encode(
        claims,
        stranger,
        algorithm="RS256",
        headers={"kid": f"{settings.SITE_URL}/ob/v3/keys/{signing_key.kid}"},
    )
    with pytest.raises(jwt.InvalidSignatureError):
        verify(client, settings, impostor)
    with pytest.raises(CredentialInvalid):
        credential_jwt_verify(impostor)
    # Our key, but the algorithm of another kind of key: refused before any signature check.
    confused = jwt.encode(claims, "secret", algorithm="HS256", headers={"kid": signing_key.kid})
    with pytest.raises(CredentialInvalid):
        credential_jwt_verify(confused)


@pytest.mark.django_db
def test_revocation_and_suspension_flip_their_own_bit_at_once(
    client, certificate, signing_key, examiner, settings
):
    index = certificate.status_index
    assert not status_bit(client, settings, "revocation", index)
    assert not status_bit(client, settings, "suspension", index)
    certificate_suspend(certificate=certificate, actor=examiner, reason="Investigation of the sitting")
    assert status_bit(client, settings, "suspension", index)
    assert not status_bit(client, settings, "revocation", index)
    certificate_unsuspend(certificate=certificate, actor=examiner, reason="Cleared")
    assert not status_bit(client, settings, "suspension", index)
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    assert status_bit(client, settings, "revocation", index)
    assert not status_bit(client, settings, "suspension", index)
    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt")
    assert response.status_code == 200 and verify(client, settings, response.content.decode())["id"]


@pytest.mark.django_db
def test_status_lists_are_signed_current_and_never_cached(client, signing_key, settings):
    for purpose in ("revocation", "suspension"):
        for path, accept in (
            (f"/ob/v3/status/{purpose}", None),
            (f"/ob/v3/status/{purpose}", "application/vc+jwt"),
            (f"/ob/v3/status/{purpose}.json", None),
            (f"/ob/v3/status/{purpose}.jwt", None),
        ):
            response = client.get(path, **({"HTTP_ACCEPT": accept} if accept else {}))
            assert response.status_code == 200, path
            assert "no-store" in response["Cache-Control"], path
        listing = client.get(f"/ob/v3/status/{purpose}.json").json()
        assert listing["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
        assert listing["issuer"] == openbadges_v3.issuer_did()
        assert listing["credentialSubject"]["type"] == "BitstringStatusList"
        check_proof(client, listing)
        token = client.get(f"/ob/v3/status/{purpose}.jwt").content.decode()
        assert verify(client, settings, token)["credentialSubject"]["statusPurpose"] == purpose
    assert client.get("/ob/v3/status/other").status_code == 404


@pytest.mark.django_db
def test_only_revoked_certificates_have_their_bit_set(client, certificate, signing_key, examiner, settings):
    from certificates.openbadges_v3 import status_bitstring

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
    assert status_bit(client, settings, "revocation", other.status_index)
    assert not status_bit(client, settings, "revocation", certificate.status_index)
    assert sum(bin(b).count("1") for b in status_bitstring("revocation")) == 1
    assert sum(bin(b).count("1") for b in status_bitstring("suspension")) == 0


@pytest.mark.django_db
def test_status_indexes_are_allocated_in_turn_and_unique(certificate):
    from django.db import IntegrityError

    from certificates.status_index import status_index_next

    assert (
        status_index_next() > certificate.status_index
    )  # a sequence on PostgreSQL, the next free bit elsewhere
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
def test_baked_png_carries_either_secured_form(client, certificate, signing_key, settings):
    from PIL import Image

    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    token = png_text_read(response.content, "openbadgecredential")
    assert verify(client, settings, token)["jti"].endswith(str(certificate.uuid))
    assert Image.open(io.BytesIO(response.content)).size == (400, 400)
    baked = client.get(f"/ob/v3/credentials/{certificate.uuid}.png?proof=di").content
    document = json.loads(png_text_read(baked, "openbadgecredential"))
    assert check_proof(client, document)["cryptosuite"] == "eddsa-rdfc-2022"
    assert client.get(f"/ob/v3/credentials/{certificate.uuid}.png?proof=other").status_code == 404


@pytest.mark.django_db
def test_baked_svg_carries_the_credential_in_the_ob3_namespace(client, certificate, signing_key, settings):
    from defusedxml import ElementTree

    ns = "{https://purl.imsglobal.org/ob/v3p0}credential"
    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(response.content)
    element = root.find(ns)
    assert element is not None and list(root)[0] is element
    assert verify(client, settings, element.get("verify"))["id"].endswith(str(certificate.uuid))
    assert openbadges_v3.unbake_svg(response.content.decode()) == element.get("verify")
    di = ElementTree.fromstring(client.get(f"/ob/v3/credentials/{certificate.uuid}.svg?proof=di").content)
    document = json.loads(di.find(ns).text)
    assert check_proof(client, document)["type"] == "DataIntegrityProof"
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Test exam"


@pytest.mark.django_db
def test_without_keys_the_signed_endpoints_answer_503(client, certificate, keys_dir):
    from certificates.signing_keys import key_create

    paths = (
        f"/ob/v3/credentials/{certificate.uuid}.jwt",
        f"/ob/v3/credentials/{certificate.uuid}.json",
        f"/ob/v3/credentials/{certificate.uuid}.png",
        f"/ob/v3/credentials/{certificate.uuid}.svg",
        "/ob/v3/status/revocation",
        "/ob/v3/status/suspension.json",
    )
    for path in paths:
        response = client.get(path)
        assert response.status_code == 503, path
        assert "signing key is configured" in response.json()["detail"]
    assert client.get("/.well-known/jwks.json").json() == {"keys": []}
    key_create(kind="ed25519")  # Data Integrity works; VC-JWT still needs an RSA key
    assert client.get(f"/ob/v3/credentials/{certificate.uuid}.json").status_code == 200
    response = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt")
    assert response.status_code == 503 and "No RSA signing key" in response.json()["detail"]


@pytest.mark.django_db
def test_the_document_loader_knows_only_the_bundled_contexts():
    from pyld.jsonld import JsonLdError

    for url in data_integrity.CONTEXT_FILES:
        assert data_integrity.document_loader(url)["document"]["@context"]
    with pytest.raises(JsonLdError):
        data_integrity.document_loader("https://example.org/context.json")
    with pytest.raises(data_integrity.UnknownContext):
        data_integrity.canonicalize({"@context": "https://example.org/other.jsonld", "name": "x"})


@pytest.mark.django_db
def test_issuer_profile_and_achievements_are_published(client, certificate):
    issuer = client.get("/ob/v3/issuer").json()
    assert issuer["id"] == openbadges_v3.issuer_did() and issuer["type"] == ["Profile"]
    assert client.get("/ob/v3/issuer.svg")["Content-Type"] == "image/svg+xml"
    achievement = client.get("/ob/v3/achievements/TST").json()
    assert (
        achievement["@context"] == [VC_CONTEXT, OB3_CONTEXT]
        and achievement["achievementType"] == "Certification"
    )
    assert client.get("/ob/v3/achievements/NOPE").status_code == 404
