"""A service provider's owner in a real browser: registers the organisation, invites a colleague
(accepted in-process), creates a self-assessment, sets scope and targets, scores items on the
scoring page (saved by the script as each radio is chosen), reloads and finds them kept, and sees
the results."""

import pytest

from assessments import services
from assessments.models import ProviderInvitation, Score
from content.fitsm.loader import instrument_load, levels_load
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_registers_invites_assesses_and_sees_results(page, live_server):
    instrument_load()
    levels_load()
    owner = UserFactory(email="owner@journey.example")
    base = live_server.url
    sign_in(page, base, owner.email)
    page.goto(f"{base}/assessments/")
    page.get_by_role("link", name="Register a service provider").click()
    page.get_by_label("Organisation name").fill("Journey Hosting")
    page.get_by_label("Country code").fill("NL")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"{base}/assessments/providers/journey-hosting/")

    page.get_by_label("E-mail address").fill("colleague@journey.example")
    page.get_by_label("Role").last.select_option("assessor")
    page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_text("Invitation sent to colleague@journey.example").is_visible()
    invitation = ProviderInvitation.objects.get(email="colleague@journey.example")
    colleague = UserFactory(email="colleague@journey.example")
    services.provider_invitation_accept(token=invitation.token, user=colleague)
    page.reload()
    assert page.get_by_role("row", name="colleague@journey.example").is_visible()

    page.get_by_role("link", name="Start a new self-assessment").click()
    page.get_by_label("Title").fill("Journey baseline")
    page.get_by_role("button", name="Create the assessment").click()
    page.wait_for_url("**/scope/")
    page.get_by_label("PR4 in scope").uncheck()
    page.get_by_label("Reason if out of scope (PR4)").fill("Our host keeps the configuration records")
    page.get_by_label("Target level (PR3)").select_option("4")
    page.get_by_role("button", name="Save scope and targets").click()
    page.get_by_role("row", name="PR4").get_by_text("out of scope").wait_for()

    page.get_by_role("link", name="PR3 Service Reporting Management").click()
    for code, value in (("PR3.1", "4"), ("PR3.2", "2")):
        group = page.get_by_role("group", name=f"Score for {code}")
        group.get_by_label(f"{value} —").check()
        group.get_by_role("status").filter(has_text="Saved").wait_for()
    assert dict(Score.objects.values_list("item__code", "score")) == {"PR3.1": 4, "PR3.2": 2}
    page.reload()
    assert page.get_by_role("group", name="Score for PR3.1").get_by_label("4 —").is_checked()
    assert page.get_by_role("group", name="Score for PR3.2").get_by_label("2 —").is_checked()

    page.goto(page.url.split("/requirements/")[0] + "/results/")
    assert page.get_by_role("heading", name="Results: Journey baseline").is_visible()
    assert page.get_by_role("img").first.is_visible()
    row = page.get_by_role("row", name="PR3 Service Reporting Management")
    assert "not met" in row.inner_text() and "PR3.2" in row.inner_text()
    assert page.get_by_text("FitSM Essentials: not ready yet").is_visible()
