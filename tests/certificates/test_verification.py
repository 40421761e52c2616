from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from certificates.models import Certificate


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.get()


def _typo(code):
    return code[:3] + ("A" if code[3] != "A" else "B") + code[4:]


@pytest.mark.django_db
def test_verification_page_shows_valid_and_every_printed_field(client, certificate):
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert (
        "VALID" in page
        and "Lena Learner" in page
        and "Test exam" in page
        and certificate.display_code in page
    )
    assert 'property="og:title"' in page


@pytest.mark.django_db
def test_dashed_lowercase_code_redirects_to_the_canonical_page(client, certificate):
    response = client.get(f"/verify/{certificate.display_code.lower()}/")
    assert response.status_code == 302 and response["Location"] == f"/verify/{certificate.code}/"


@pytest.mark.django_db
def test_unknown_and_mistyped_codes_are_told_apart(client, certificate):
    from certificates.codes import code_generate

    unknown = client.get(f"/verify/{code_generate()}/")
    assert unknown.status_code == 404 and "No certificate has this number" in unknown.content.decode()
    typo = client.get(f"/verify/{_typo(certificate.code)}/")
    assert typo.status_code == 404 and "mistyped" in typo.content.decode()


@pytest.mark.django_db
def test_expired_certificate_is_shown_expired(client, certificate, now):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=(now - timedelta(days=1)).date())
    assert "EXPIRED" in client.get(f"/verify/{certificate.code}/").content.decode()
    assert client.get(f"/api/v1/certificates/{certificate.code}").json()["status"] == "expired"


@pytest.mark.django_db
def test_revocation_shows_everywhere_at_once(client, certificate):
    call_command("revoke_certificate", certificate.code, "--reason", "Exam misconduct", stdout=StringIO())
    page = client.get(f"/verify/{certificate.code}/")
    assert (
        page.status_code == 200
        and "REVOKED" in page.content.decode()
        and "Exam misconduct" in page.content.decode()
    )
    body = client.get(f"/api/v1/certificates/{certificate.code}").json()
    assert (
        body["status"] == "revoked" and body["revocation_reason"] == "Exam misconduct" and body["revoked_on"]
    )
    with pytest.raises(CommandError, match="already revoked"):
        call_command("revoke_certificate", certificate.code, "--reason", "again", stdout=StringIO())
    with pytest.raises(CommandError, match="mistyped"):
        call_command("revoke_certificate", _typo(certificate.code), "--reason", "x", stdout=StringIO())


@pytest.mark.django_db
def test_api_contract_without_an_account(client, certificate):
    body = client.get(f"/api/v1/certificates/{certificate.code}").json()
    assert set(body) == {
        "code",
        "status",
        "holder_name",
        "certification",
        "issued_on",
        "expires_on",
        "revoked_on",
        "revocation_reason",
        "suspended_on",
        "organisation",
        "verify_url",
        "pdf_sha256",
        "ob2_assertion_url",
        "ob3_credential_url",
    }
    assert body["certification"] == {"code": "TST", "name": "Test exam"} and body["status"] == "valid"
    assert body["verify_url"].endswith(f"/verify/{certificate.code}/")
    assert body["ob3_credential_url"].endswith(f"/ob/v3/credentials/{certificate.uuid}.jwt")
    assert client.get("/api/v1/certificates/NOPE").status_code == 404


@pytest.mark.django_db
def test_register_search_by_code_and_family_name(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(holder_family_name="Łukasiéwicz")
    ok = client.post("/verify/", {"code": certificate.display_code, "family_name": "lukasiewicz"})
    assert ok.status_code == 302 and ok["Location"] == f"/verify/{certificate.code}/"
    wrong = client.post("/verify/", {"code": certificate.code, "family_name": "Smith"})
    assert wrong.status_code == 404 and "No certificate matches" in wrong.content.decode()
    assert client.post("/verify/", {"code": certificate.code}).status_code == 400


@pytest.mark.django_db
def test_register_search_is_rate_limited_per_client(client, certificate):
    from django.core.cache import cache

    cache.clear()
    codes = [client.post("/verify/", {"code": "AAAA", "family_name": "x"}).status_code for _ in range(11)]
    assert codes[:10] == [404] * 10 and codes[10] == 429
    cache.clear()


@pytest.mark.django_db
def test_markup_in_a_name_is_printed_as_text(client, learner, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(holder_name='<script>alert("x")</script> Ada')
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


@pytest.mark.django_db
def test_wallet_lists_only_the_holders_certificates(client, learner, other_learner, certificate):
    assert client.get("/me/certificates/").status_code == 302
    client.force_login(learner)
    page = client.get("/me/certificates/").content.decode()
    assert certificate.display_code in page and "linkedin.com/profile/add" in page
    client.force_login(other_learner)
    assert certificate.display_code not in client.get("/me/certificates/").content.decode()


@pytest.mark.django_db
def test_wallet_shows_both_badges_the_signed_credential_and_the_share_link(
    client, learner, certificate, settings, tmp_path
):
    from certificates.signing_keys import key_create

    settings.CERTIFICATE_KEYS_DIR = str(tmp_path / "keys")
    client.force_login(learner)
    page = client.get("/me/certificates/").content.decode()
    assert (
        f"/ob/v2/assertions/{certificate.uuid}.png" in page
        and f"/ob/v3/credentials/{certificate.uuid}" not in page
    )
    key_create(kind="rsa")
    page = client.get("/me/certificates/").content.decode()
    assert f"/ob/v3/credentials/{certificate.uuid}" not in page  # both kinds of key are needed
    key_create(kind="ed25519")
    page = client.get("/me/certificates/").content.decode()
    for part in (
        f"/ob/v2/assertions/{certificate.uuid}.png",
        f"/ob/v2/assertions/{certificate.uuid}.svg",
        f"/ob/v3/credentials/{certificate.uuid}.png",
        f"/ob/v3/credentials/{certificate.uuid}.jwt",
        f"/ob/v3/credentials/{certificate.uuid}.json",
        f"/ob/v3/credentials/{certificate.uuid}.png?proof=di",
        f"/ob/v3/credentials/{certificate.uuid}.svg?proof=di",
        f"/ob/v3/credentials/{certificate.uuid}.svg",
        f'value="{settings.SITE_URL}/verify/{certificate.code}/"',
    ):
        assert part in page, part


@pytest.mark.django_db
def test_share_page_has_open_graph_tags_with_the_badge_image(client, certificate, settings):
    import re

    page = client.get(f"/verify/{certificate.code}/").content.decode()
    tags = dict(re.findall(r'<meta property="(og:[a-z:_]+)" content="([^"]*)"', page))
    assert {
        "og:type",
        "og:title",
        "og:description",
        "og:url",
        "og:site_name",
        "og:image",
        "og:image:alt",
    } <= set(tags)
    assert tags["og:url"] == f"{settings.SITE_URL}/verify/{certificate.code}/"
    assert tags["og:image"] == f"{settings.SITE_URL}/ob/v2/badges/TST.png"
    assert client.get("/ob/v2/badges/TST.png")["Content-Type"] == "image/png"
    assert "VALID" in tags["og:description"]


@pytest.mark.django_db
def test_linkedin_link_carries_every_certification_field(client, learner, certificate, settings):
    import html
    import re
    from urllib.parse import parse_qs, urlsplit

    client.force_login(learner)
    page = client.get("/me/certificates/").content.decode()
    link = html.unescape(re.search(r'href="(https://www.linkedin.com/profile/add\?[^"]+)"', page).group(1))
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Test exam",
        "organizationName": settings.ISSUING_BODY,
        "issueYear": str(certificate.issued_on.year),
        "issueMonth": str(certificate.issued_on.month),
        "certUrl": f"{settings.SITE_URL}/verify/{certificate.code}/",
        "certId": certificate.code,
    }


@pytest.mark.django_db
def test_register_search_tells_a_mistyped_number_from_an_unknown_one(client, certificate):
    code = certificate.code
    wrong_check = code[:-1] + ("A" if code[-1] != "A" else "B")
    mistyped = client.post("/verify/", {"code": wrong_check, "family_name": "Learner"}).content.decode()
    assert "probably mistyped" in mistyped
    unknown = client.post("/verify/", {"code": code, "family_name": "Somebody"}).content.decode()
    assert "No certificate matches" in unknown and "mistyped" not in unknown


@pytest.mark.django_db
def test_the_wallet_offers_no_sharing_for_a_revoked_certificate_and_says_how_to_appeal(
    client, learner, certificate
):
    from django.utils import timezone

    client.force_login(learner)
    valid = client.get("/me/certificates/").content.decode()
    assert "Share link" in valid and "Copy link" in valid
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=timezone.now(), revocation_reason="Exam misconduct"
    )
    revoked = client.get("/me/certificates/").content.decode()
    assert "Share link" not in revoked and "linkedin.com" not in revoked
    assert "Exam misconduct" in revoked and "appeal" in revoked and 'href="/candidate-handbook/"' in revoked
