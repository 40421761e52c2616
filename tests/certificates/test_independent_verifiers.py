"""Our credentials checked by openbadgeslib, an Open Badges 3.0 verifier we did not write, in
process: its fetches are answered by the Django test client (nothing leaves the machine). The
CI script .ci/verifiers.sh runs it, and a second verifier, against a real server."""

import jwt
import pytest

from certificates import openbadges
from certificates.models import Certificate, HolderIdentity
from certificates.services import certificate_revoke, certificate_suspend, certificate_unsuspend

pytest.importorskip("openbadgeslib")

from openbadgeslib.ob3.ldp import OB3LdpVerifier  # noqa: E402
from openbadgeslib.ob3.verifier import OB3VerificationError, OB3Verifier  # noqa: E402

DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"


@pytest.fixture
def certificate(passed_attempt):
    HolderIdentity.objects.create(user=passed_attempt.user, did=DID)
    return Certificate.objects.select_related("user", "certification").get()


def jwt_verifier(client, token):
    """Trust the key the JWT's kid URL answers with, as a verifier of OB 3.0 §8.2 does."""
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = client.get(kid.split("127.0.0.1:8000", 1)[1]).json()
    return OB3Verifier(pubkey_pem=jwt.PyJWK(jwk).key)


def check_jwt(client, served_by, certificate):
    token = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    return jwt_verifier(client, token).verify(
        token,
        expected_recipient=DID,
        check_status=True,
        verify_status_list=True,
        download=served_by("application/vc+jwt"),
    )


def check_data_integrity(client, served_by, certificate):
    from certificates.openbadges_v3 import issuer_did

    document = client.get(f"/ob/v3/credentials/{certificate.uuid}.json").content
    return OB3LdpVerifier.for_issuer_did(issuer_did()).verify(
        document, expected_recipient=DID, check_status=True, verify_status_list=False, download=served_by()
    )


@pytest.mark.django_db
def test_openbadgeslib_accepts_both_forms_and_follows_their_status(
    client, certificate, signing_key, examiner, served_by
):
    for check in (check_jwt, check_data_integrity):
        credential = check(client, served_by, certificate)
        assert credential.issuer.id == "did:web:127.0.0.1%3A8000" and credential.recipient_id == DID
    certificate_suspend(certificate=certificate, actor=examiner, reason="Investigation")
    for check in (check_jwt, check_data_integrity):
        with pytest.raises(OB3VerificationError, match="suspension"):
            check(client, served_by, certificate)
    certificate_unsuspend(certificate=certificate, actor=examiner, reason="Cleared")
    for check in (check_jwt, check_data_integrity):
        check(client, served_by, certificate)
    certificate_revoke(certificate=certificate, actor=examiner, reason="Misconduct")
    for check in (check_jwt, check_data_integrity):
        with pytest.raises(OB3VerificationError, match="revocation"):
            check(client, served_by, certificate)


@pytest.mark.django_db
def test_openbadgeslib_checks_the_recipient_and_the_hashed_email(client, certificate, signing_key, served_by):
    from openbadgeslib.util import hash_email

    credential = check_jwt(client, served_by, certificate)
    token = client.get(f"/ob/v3/credentials/{certificate.uuid}.jwt").content.decode()
    with pytest.raises(OB3VerificationError, match="Recipient mismatch"):
        jwt_verifier(client, token).verify(token, expected_recipient="did:key:z6MkSomeoneElse")
    identity = jwt.decode(token, options={"verify_signature": False})["credentialSubject"]["identifier"][0]
    assert (
        identity["identityHash"] == "sha256$" + hash_email(certificate.user.email, identity["salt"]).decode()
    )
    assert identity["identityHash"] == openbadges.recipient_identity(certificate.user.email, identity["salt"])
    assert credential.recipient_id == DID


@pytest.mark.django_db
def test_openbadgeslib_refuses_an_altered_data_integrity_credential(
    client, certificate, signing_key, served_by
):
    from certificates.openbadges_v3 import issuer_did

    document = client.get(f"/ob/v3/credentials/{certificate.uuid}.json").content.decode()
    altered = document.replace(certificate.certification_name, "Something else")
    with pytest.raises(OB3VerificationError):
        OB3LdpVerifier.for_issuer_did(issuer_did()).verify(altered, download=served_by())


@pytest.mark.django_db
def test_openbadgeslib_reads_the_credential_baked_in_our_images(client, certificate, signing_key, served_by):
    from certificates.openbadges_v3 import issuer_did

    png = client.get(f"/ob/v3/credentials/{certificate.uuid}.png").content
    token = OB3Verifier.extract_token_from_png(png)
    assert jwt_verifier(client, token).verify(token).recipient_id == DID
    svg = client.get(f"/ob/v3/credentials/{certificate.uuid}.svg").content
    token = OB3Verifier.extract_token_from_svg(svg)
    assert jwt_verifier(client, token).verify(token).recipient_id == DID
    svg = client.get(f"/ob/v3/credentials/{certificate.uuid}.svg?proof=di").content
    document = OB3Verifier.extract_token_from_svg(svg)
    assert (
        OB3LdpVerifier.for_issuer_did(issuer_did()).verify(document, download=served_by()).recipient_id == DID
    )


@pytest.mark.django_db
def test_openbadgeslib_accepts_a_certificate_in_german(client, certificate, signing_key, served_by):
    """The credential in another language (its achievement at /ob/v3/achievements/<code>/de) is
    as verifiable as an English one."""
    Certificate.objects.filter(pk=certificate.pk).update(language="de")
    certificate.refresh_from_db()
    for check in (check_jwt, check_data_integrity):
        credential = check(client, served_by, certificate)
        assert credential.recipient_id == DID
