"""A visitor checks a trainer in the public directory, in a real browser."""

import pytest

from tests.trainers import conftest as training_world
from trainers import services

# The small training world of tests/trainers (organisations, admin, accredited trainer).
examiner_user = training_world.examiner_user
org_a = training_world.org_a
trainer_a = training_world.trainer_a

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_checks_a_trainer_in_the_directory(sized_page, live_server, trainer_a, examiner_user):
    page = sized_page
    base = live_server.url
    page.goto(f"{base}/sessions/")
    page.get_by_role("link", name="Trainers").last.click()
    page.get_by_label("Certification").select_option("TST")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=trainer_a.display_name).click()
    banner = page.get_by_role("status")
    assert "ACCREDITED" in banner.inner_text()
    assert "Test exam (TST)" in page.get_by_role("table", name="Accreditations").inner_text()
    url = page.url

    services.accreditation_suspend(
        accreditation=trainer_a.accreditations.get(), actor=examiner_user, notes="Audit."
    )
    page.goto(url)
    assert "SUSPENDED" in page.get_by_role("status").inner_text()
    assert "Suspended" in page.get_by_role("table", name="Accreditations").inner_text()
