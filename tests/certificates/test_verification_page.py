"""What an employer reads on the public verification page: the status in words for each state
(never by colour alone), the validity from the certificate's own dates, what the certification
attests and how it is earned (from the certification's row), the badge and the issuer's mark."""

import datetime
import re

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from certificates.mark import mark_path
from certificates.models import Certificate
from certificates.services import certificate_revoke, certificate_suspend
from tests.factories import CertificationFactory


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.select_related("certification").get()


def _page(client, certificate):
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    return response.content.decode()


def _banner(page):
    return re.search(r'<p class="result-banner[^"]*" role="status">(.*?)</p>', page, re.S).group(1)


def _status_row(page):
    return re.search(r'<dd class="status-words">(.*?)</dd>', page, re.S).group(1)


def _validity_row(page):
    return " ".join(re.search(r'<dd class="validity">(.*?)</dd>', page, re.S).group(1).split())


@pytest.mark.django_db
def test_a_valid_certificate_says_valid_in_words_and_that_it_does_not_expire(client, certificate):
    page = _page(client, certificate)
    assert _banner(page).startswith("<strong>VALID</strong>")
    assert _status_row(page) == "Valid"
    assert _validity_row(page) == "Does not expire"


@pytest.mark.django_db
def test_a_certificate_with_an_expiry_date_says_until_when_it_is_valid(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=datetime.date(2099, 12, 2))
    page = _page(client, certificate)
    assert _status_row(page) == "Valid" and _validity_row(page) == "Valid until 2 Dec 2099"


@pytest.mark.django_db
def test_an_expired_certificate_says_expired_and_since_when(client, certificate):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=yesterday)
    page = _page(client, certificate)
    assert _banner(page).startswith("<strong>EXPIRED</strong>")
    assert _status_row(page) == "Expired"
    assert _validity_row(page).startswith("Expired on ") and "Valid until" not in page


@pytest.mark.django_db
def test_a_suspended_certificate_says_suspended_and_keeps_the_reason_internal(client, certificate, examiner):
    certificate_suspend(certificate=certificate, actor=examiner, reason="Internal: complaint 17")
    page = _page(client, certificate)
    assert _banner(page).startswith("<strong>SUSPENDED</strong>") and "pending an investigation" in page
    assert _status_row(page) == "Suspended"
    assert "complaint 17" not in page


@pytest.mark.django_db
def test_a_revoked_certificate_says_revoked_with_the_public_reason(client, certificate, examiner):
    certificate_revoke(certificate=certificate, actor=examiner, reason="Exam misconduct")
    page = _page(client, certificate)
    banner = _banner(page)
    assert banner.startswith("<strong>REVOKED</strong>") and "Reason: Exam misconduct" in banner
    assert _status_row(page) == "Revoked"


@pytest.mark.django_db
def test_the_page_shows_the_badge_the_level_what_it_attests_and_how_it_is_earned(client, certificate):
    from certificates import levels

    certificate.certification.code = "FND"
    certificate.certification.save(update_fields=["code"])
    page = _page(client, certificate)
    assert 'src="/ob/v2/badges/FND.png"' in page and 'alt="Test exam badge"' in page
    assert "Level: Foundation" in page
    assert str(levels.LEVELS["FND"]["attests"]) in page
    assert "By passing the closed-book Test exam exam." in page


@pytest.mark.django_db
def test_how_it_is_earned_follows_the_certifications_row(client, certificate):
    certificate.certification.closed_book = False
    certificate.certification.save(update_fields=["closed_book"])
    assert "By passing the open-book Test exam exam." in _page(client, certificate)

    expert = CertificationFactory(code="EXP", name="FitSM Expert", earned_by="derived", question_count=0)
    expert.prerequisites.add(
        CertificationFactory(code="FND", name="FitSM Foundation", position=1),
        CertificationFactory(code="SOC", name="FitSM Advanced: SOC", position=2),
    )
    Certificate.objects.filter(pk=certificate.pk).update(certification=expert)
    page = _page(client, certificate)
    assert "By holding each of these certifications: FitSM Foundation, FitSM Advanced: SOC." in page
    assert "Level: Expert" in page


@pytest.mark.django_db
def test_a_certification_outside_the_schemes_levels_shows_no_level(client, certificate):
    assert "Level:" not in _page(client, certificate)


@pytest.mark.django_db
def test_the_issuers_mark_is_shown_with_its_name(client, certificate, settings):
    page = _page(client, certificate)
    assert f'src="/static/img/mark.svg" width="88" height="88" alt="Seal of {settings.ISSUING_BODY}"' in page


def test_the_mark_is_an_svg_of_our_own_that_names_the_platform():
    root = ElementTree.fromstring(mark_path().read_bytes())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("role") == "img"
    assert root.find(f"{ns}title").text == "FitSM Academy"
    assert not root.findall(f".//{ns}image") and not root.findall(f".//{ns}text")  # drawn, no font, no raster
    assert "href" not in mark_path().read_text()  # nothing fetched from elsewhere


@pytest.mark.django_db
def test_the_open_badges_issuer_image_is_the_same_mark(client):
    response = client.get("/ob/v3/issuer.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content == mark_path().read_bytes()
