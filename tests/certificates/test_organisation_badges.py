"""Open Badges for organisations' certificates: the 2.0 hosted assertion and the 3.0 credential
with the organisation as its subject, checked like personal ones — against the bundled schema, by
our own verifiers and status lists, and by openbadgeslib, a verifier we did not write."""

import json

import jwt
import pytest

from certificates import openbadges_v3
from certificates import organisation_badges as badges
from certificates import organisation_services as services
from certificates.png_text import png_text_read
from tests.certificates.organisation_helpers import issue
from tests.certificates.test_openbadges_v3 import check_proof, verify

pytestmark = pytest.mark.django_db

PROVIDER_URL = "http://127.0.0.1:8000/providers/harbour-cloud/"


@pytest.fixture
def certificate():
    return issue()


# --- Open Badges 2.0 ------------------------------------------------------------------------------


def test_the_ob2_assertion_names_the_organisation_and_its_level(client, certificate):
    response = client.get(f"/ob/v2/organisations/assertions/{certificate.uuid}")
    assertion = response.json()
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    assert assertion["type"] == "Assertion" and assertion["id"].endswith(str(certificate.uuid))
    assert assertion["recipient"] == {"type": "url", "hashed": False, "identity": PROVIDER_URL}
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["expires"].startswith("2029-03-09")
    assert "Rotterdam" in assertion["narrative"]
    badge = client.get(assertion["badge"].split("127.0.0.1:8000", 1)[1]).json()
    assert (badge["type"], badge["name"]) == ("BadgeClass", "FitSM Essentials")
    assert badge["issuer"] == "http://127.0.0.1:8000/ob/v2/issuer"
    image = client.get(badge["image"].split("127.0.0.1:8000", 1)[1])
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_the_ob2_assertion_is_gone_while_suspended_and_in_the_revocation_list(client, certificate, examiner):
    url = f"/ob/v2/organisations/assertions/{certificate.uuid}"
    services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason="Checking")
    response = client.get(url)
    assert response.status_code == 410 and response.json()["revoked"] is True
    listed = client.get("/ob/v2/revocations").json()["revokedAssertions"]
    assert any(entry["id"].endswith(str(certificate.uuid)) for entry in listed)
    services.organisation_certificate_unsuspend(certificate=certificate, actor=examiner, reason="Cleared")
    assert client.get(url).status_code == 200
    services.organisation_certificate_revoke(certificate=certificate, actor=examiner, reason="Withdrawn")
    assert client.get(url).json()["revocationReason"] == "Withdrawn"


def test_the_ob2_baked_png_carries_the_assertion(client, certificate):
    from io import BytesIO

    from openbadges_bakery import unbake

    png = client.get(f"/ob/v2/organisations/assertions/{certificate.uuid}.png").content
    assert json.loads(unbake(BytesIO(png)))["id"].endswith(str(certificate.uuid))


def test_unknown_badges_and_assertions_answer_404(client):
    assert client.get("/ob/v2/organisations/badges/essentials").status_code == 404  # nobody certified yet
    assert (
        client.get("/ob/v2/organisations/assertions/00000000-0000-4000-8000-000000000000").status_code == 404
    )
    assert (
        client.get("/ob/v3/organisations/credentials/00000000-0000-4000-8000-000000000000.jwt").status_code
        == 404
    )
    assert client.get("/ob/v3/organisations/achievements/plus").status_code == 404
    assert client.get("/ob/v3/organisations/status/other").status_code in (404, 503)


# --- Open Badges 3.0 ------------------------------------------------------------------------------


def test_the_credential_subject_is_the_organisation(certificate):
    subject = badges.credential(certificate)["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"] == PROVIDER_URL and subject["name"] == "Harbour Cloud Services"
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "identityHash": "Harbour Cloud Services",
            "identityType": "name",
            "hashed": False,
        }
    ]
    assert subject["achievement"]["name"] == "FitSM Essentials"
    assert subject["achievement"]["achievementType"] == "Certification"
    assert "profile" not in subject  # not a term of the OB 3.0.3 context: it would go unsigned


def test_every_term_of_the_credential_is_defined_by_its_contexts(certificate, signing_key):
    """Expanding the credential keeps every member: nothing is dropped from the signed dataset."""
    from pyld import jsonld

    from certificates.data_integrity import document_loader

    document = badges.credential(certificate)
    compacted = jsonld.compact(
        jsonld.expand(document, {"documentLoader": document_loader}),
        document["@context"],
        {"documentLoader": document_loader},
    )
    assert set(compacted["credentialSubject"]) == set(document["credentialSubject"])
    assert compacted["credentialSubject"]["name"] == "Harbour Cloud Services"


def test_the_credential_validates_against_the_bundled_schema(client, certificate, signing_key):
    assert openbadges_v3.schema_errors(badges.credential(certificate)) == []
    token = client.get(f"/ob/v3/organisations/credentials/{certificate.uuid}.jwt").content.decode()
    assert (
        openbadges_v3.schema_errors(
            openbadges_v3.credential_of_claims(jwt.decode(token, options={"verify_signature": False}))
        )
        == []
    )


def test_the_jwt_verifies_by_its_kid_and_carries_the_registered_claims(
    client, settings, certificate, signing_key
):
    response = client.get(f"/ob/v3/organisations/credentials/{certificate.uuid}.jwt")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    claims = verify(client, settings, response.content.decode())
    assert claims["iss"] == openbadges_v3.issuer_did() and claims["sub"] == PROVIDER_URL
    assert claims["jti"] == badges.credential_id(certificate)
    assert claims["validUntil"] == "2029-03-09T23:59:59Z" and claims["exp"] > claims["nbf"]
    assert openbadges_v3.credential_jwt_verify(response.content.decode())["credentialSubject"]["name"] == (
        "Harbour Cloud Services"
    )


def test_the_data_integrity_proof_verifies_and_breaks_when_altered(client, certificate, signing_key):
    document = client.get(f"/ob/v3/organisations/credentials/{certificate.uuid}.json").json()
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    check_proof(client, document)
    assert openbadges_v3.credential_document_verify(document) == document
    document["credentialSubject"]["name"] = "Someone Else Ltd"
    with pytest.raises(openbadges_v3.CredentialInvalid):
        openbadges_v3.credential_document_verify(document)


def _org_status_bit(client, settings, purpose, index):
    from certificates.openbadges_v3 import decode_list

    listing = client.get(f"/ob/v3/organisations/status/{purpose}").json()
    check_proof(client, listing)
    token = client.get(
        f"/ob/v3/organisations/status/{purpose}", HTTP_ACCEPT="application/vc+jwt"
    ).content.decode()
    claims = verify(client, settings, token)
    bits = []
    for subject in (listing["credentialSubject"], claims["credentialSubject"]):
        raw = decode_list(subject["encodedList"])
        assert len(raw) * 8 >= 131072 and subject["statusPurpose"] == purpose
        bits.append(bool(raw[index // 8] & (0x80 >> (index % 8))))
    assert bits[0] == bits[1]
    return bits[0]


def test_the_organisations_status_lists_flip_their_bit_at_once(
    client, settings, certificate, signing_key, examiner
):
    entries = badges.credential(certificate)["credentialStatus"]
    assert [e["statusListCredential"] for e in entries] == [
        "http://127.0.0.1:8000/ob/v3/organisations/status/revocation",
        "http://127.0.0.1:8000/ob/v3/organisations/status/suspension",
    ]
    index = certificate.status_index
    assert not _org_status_bit(client, settings, "revocation", index)
    services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason="Checking")
    assert _org_status_bit(client, settings, "suspension", index)
    assert not _org_status_bit(client, settings, "revocation", index)
    services.organisation_certificate_revoke(certificate=certificate, actor=examiner, reason="Withdrawn")
    assert _org_status_bit(client, settings, "revocation", index)
    assert not _org_status_bit(client, settings, "suspension", index)
    assert client.get("/ob/v3/organisations/status/revocation")["Cache-Control"] == "no-store, max-age=0"


def test_the_personal_status_lists_do_not_carry_organisations(client, certificate, signing_key, examiner):
    from certificates.openbadges_v3 import decode_list

    services.organisation_certificate_revoke(certificate=certificate, actor=examiner, reason="Withdrawn")
    raw = decode_list(client.get("/ob/v3/status/revocation").json()["credentialSubject"]["encodedList"])
    assert not any(raw)


def test_the_baked_png_carries_the_signed_credential(client, certificate, signing_key):
    png = client.get(f"/ob/v3/organisations/credentials/{certificate.uuid}.png").content
    token = png_text_read(png, "openbadgecredential")
    assert openbadges_v3.credential_jwt_verify(token)["jti"] == badges.credential_id(certificate)


def test_the_achievement_is_published(client, certificate):
    document = client.get("/ob/v3/organisations/achievements/essentials").json()
    assert document["id"] == badges.achievement_id("essentials") and document["name"] == "FitSM Essentials"


def test_without_keys_the_signed_endpoints_answer_503(client, certificate, keys_dir):
    assert client.get(f"/ob/v3/organisations/credentials/{certificate.uuid}.jwt").status_code == 503
    assert client.get("/ob/v3/organisations/status/revocation").status_code == 503


# --- openbadgeslib, an outside verifier -------------------------------------------------------------


def _jwt_check(client, served_by, certificate):
    from tests.certificates.test_independent_verifiers import jwt_verifier

    token = client.get(f"/ob/v3/organisations/credentials/{certificate.uuid}.jwt").content.decode()
    return jwt_verifier(client, token).verify(
        token,
        expected_recipient=PROVIDER_URL,
        check_status=True,
        verify_status_list=True,
        download=served_by("application/vc+jwt"),
    )


def _ldp_check(client, served_by, certificate):
    from openbadgeslib.ob3.ldp import OB3LdpVerifier

    document = client.get(f"/ob/v3/organisations/credentials/{certificate.uuid}.json").content
    return OB3LdpVerifier.for_issuer_did(openbadges_v3.issuer_did()).verify(
        document,
        expected_recipient=PROVIDER_URL,
        check_status=True,
        verify_status_list=False,
        download=served_by(),
    )


def test_openbadgeslib_accepts_both_forms_and_follows_their_status(
    client, certificate, signing_key, examiner, served_by
):
    pytest.importorskip("openbadgeslib")
    from openbadgeslib.ob3.verifier import OB3VerificationError

    for check in (_jwt_check, _ldp_check):
        credential = check(client, served_by, certificate)
        assert credential.issuer.id == openbadges_v3.issuer_did() and credential.recipient_id == PROVIDER_URL
    services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason="Checking")
    for check in (_jwt_check, _ldp_check):
        with pytest.raises(OB3VerificationError, match="suspension"):
            check(client, served_by, certificate)
    services.organisation_certificate_unsuspend(certificate=certificate, actor=examiner, reason="Cleared")
    for check in (_jwt_check, _ldp_check):
        check(client, served_by, certificate)
    services.organisation_certificate_revoke(certificate=certificate, actor=examiner, reason="Withdrawn")
    for check in (_jwt_check, _ldp_check):
        with pytest.raises(OB3VerificationError, match="revocation"):
            check(client, served_by, certificate)


def test_openbadgeslib_refuses_an_altered_organisation_credential(
    client, certificate, signing_key, served_by
):
    pytest.importorskip("openbadgeslib")
    from openbadgeslib.ob3.ldp import OB3LdpVerifier
    from openbadgeslib.ob3.verifier import OB3VerificationError

    document = client.get(f"/ob/v3/organisations/credentials/{certificate.uuid}.json").content.decode()
    altered = document.replace("Harbour Cloud Services", "Someone Else Ltd")
    with pytest.raises(OB3VerificationError):
        OB3LdpVerifier.for_issuer_did(openbadges_v3.issuer_did()).verify(altered, download=served_by())
