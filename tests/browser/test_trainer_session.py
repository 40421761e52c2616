"""A trainer publishes a session (after confirming), sees a participant and opens the exam sitting, in a
real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.trainers import conftest as training_world
from trainers import services
from trainers.models import TrainingSession

# The small training world of tests/trainers (organisations, admin, accredited trainer).
admin_a = training_world.admin_a
examiner_user = training_world.examiner_user
org_a = training_world.org_a
trainer_a = training_world.trainer_a

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_trainer_publishes_enrols_and_opens_the_sitting(
    sized_page, live_server, trainer_a, org_a, certification, learner
):
    page = sized_page
    start = timezone.now() - timedelta(hours=1)
    session = services.session_create(
        organisation=org_a,
        certification=certification,
        trainers=[trainer_a],
        actor=trainer_a.user,
        title="Browser course",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        meeting_link="https://meet.example/browser",
    )
    base = live_server.url
    sign_in(page, base, trainer_a.user.email)
    page.get_by_role("link", name="Training", exact=True).click()
    page.get_by_role("link", name="Browser course").click()
    page.get_by_role("link", name="Publish…").click()
    page.get_by_role("button", name="Yes, publish the session").click()
    assert "published in the course calendar" in page.locator(".messages").inner_text()

    # The learner accepts an invitation (the whole invitation journey: test_session_invitation_journey).
    invitation = services.session_invitation_create(
        session=session, email=learner.email, actor=trainer_a.user
    )
    services.session_invitation_accept(token=invitation.token, user=learner)
    page.reload()
    row = page.get_by_role("row", name=learner.email)
    assert "Enrolled" in row.inner_text()

    page.get_by_role("button", name="Open the exam sitting").click()
    page.wait_for_url("**/invigilate/**")
    session.refresh_from_db()
    assert session.status == TrainingSession.Status.PUBLISHED and session.sitting.state == "open"
    assert learner.printed_name in page.content()
    assert session.sitting.registrations.filter(user=learner).exists()
