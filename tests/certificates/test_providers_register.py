"""The public register of certified service providers: /providers/ (each provider with its level
and status, searchable by name) and /providers/{slug}/ (its certifications, current and past,
withdrawn and expired ones shown as such)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from certificates import organisation_services as services
from tests.certificates.organisation_helpers import issue

pytestmark = pytest.mark.django_db


def _rows(page):
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in body.split("<tr>")[1:]]


@pytest.fixture
def providers(examiner):
    harbour = issue()
    delta = issue(
        organisation_name="Delta Data Centre",
        organisation_slug="delta-dc",
        organisation_country="de",
        level_code="plus",
        level_name="FitSM Plus",
    )
    withdrawn = issue(organisation_name="Alpine Ops", organisation_slug="alpine-ops")
    services.organisation_certificate_revoke(
        certificate=withdrawn, actor=examiner, reason="Audit obligations not met"
    )
    return harbour, delta, withdrawn


def test_the_register_lists_each_provider_with_level_and_status(client, providers):
    response = client.get("/providers/")
    page = response.content.decode()
    assert response.status_code == 200 and '<html lang="en"' in page
    assert "<h1>Certified service providers</h1>" in page
    rows = _rows(page)
    assert [r.split("</a>")[0].rsplit(">", 1)[1] for r in rows] == [
        "Alpine Ops",
        "Delta Data Centre",
        "Harbour Cloud Services",
    ]
    assert "FitSM Plus" in rows[1] and "Valid" in rows[1] and "Germany" in rows[1]
    assert "Withdrawn (revoked)" in rows[0]
    assert 'href="/providers/delta-dc/"' in rows[1]


def test_the_register_searches_by_part_of_the_name(client, providers):
    page = client.get("/providers/", {"q": "delta"}).content.decode()
    rows = _rows(page)
    assert len(rows) == 1 and "Delta Data Centre" in rows[0]
    assert 'value="delta"' in page and '<label for="providers-q">' in page
    nothing = client.get("/providers/", {"q": "nobody by this name"}).content.decode()
    assert "No certified provider matches." in nothing


def test_an_empty_register_says_so(client):
    assert "No provider is certified yet." in client.get("/providers/").content.decode()


def test_a_provider_with_a_certificate_in_force_shows_it_first(client, providers):
    harbour = providers[0]
    response = client.get("/providers/harbour-cloud/")
    page = response.content.decode()
    assert response.status_code == 200 and "<h1>Harbour Cloud Services</h1>" in page
    current = page.split('id="current-certifications"', 1)[1]
    assert "FitSM Essentials" in current and "Valid" in current and "Rotterdam" in current
    assert f'href="/verify/{harbour.code}/"' in page
    assert 'id="past-certifications"' not in page


def test_past_certifications_are_shown_as_expired_or_withdrawn(client, examiner):
    old = issue(granted_at=datetime(2019, 4, 1, 9, 0, tzinfo=ZoneInfo("UTC")))
    current = issue(level_code="plus", level_name="FitSM Plus")
    suspended = issue()
    services.organisation_certificate_suspend(certificate=suspended, actor=examiner, reason="Complaint")
    page = client.get("/providers/harbour-cloud/").content.decode()
    now_part, past_part = page.split('id="past-certifications"', 1)
    assert current.display_code in now_part and "FitSM Plus" in now_part
    assert old.display_code in past_part and "Expired" in past_part and "Expired on 31 Mar 2022" in past_part
    assert suspended.display_code in past_part and "pending an investigation" in past_part
    assert "Complaint" not in page  # the reason of a suspension is internal
    register = client.get("/providers/").content.decode()
    row = _rows(register)[0]
    assert "FitSM Plus" in row and "Valid" in row  # the certificate in force, not the newest


def test_a_withdrawn_certification_shows_its_public_reason(client, providers):
    page = client.get("/providers/alpine-ops/").content.decode()
    assert "No certificate of this provider is in force today." in page
    assert "Withdrawn (revoked)" in page and "Audit obligations not met" in page


def test_an_unknown_provider_answers_404(client, providers):
    assert client.get("/providers/nobody/").status_code == 404


def test_the_register_reads_certificates_only(client, providers, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get("/providers/").status_code == 200
