"""The trainer's first journey in a real browser, wide and narrow: create a session with what the
form fills in, publish it after confirming, invite a person by e-mail; the person (no account yet)
signs up with that address, confirms it, accepts the seat; the trainer then sees the participant.
No step needs JavaScript."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import sign_in
from tests.trainers import conftest as training_world
from trainers.models import SessionInvitation, TrainingSession

admin_a = training_world.admin_a
examiner_user = training_world.examiner_user
org_a = training_world.org_a
trainer_a = training_world.trainer_a

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1366, 390]


def _link(pattern):
    """The last link matching `pattern` in the e-mails sent so far, as a path."""
    for message in reversed(mail.outbox):
        found = re.search(pattern, message.body)
        if found:
            return "/" + found.group(0).split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"no e-mail with {pattern}: {[m.subject for m in mail.outbox]}")


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_trainer_creates_publishes_invites_and_the_invitee_signs_up_and_accepts(
    browser, live_server, trainer_a, org_a, certification, width
):
    base = live_server.url
    size = {"width": width, "height": 900}
    trainer = browser.new_context(viewport=size)
    invitee = browser.new_context(viewport=size)
    try:
        page = trainer.new_page()
        page.set_default_timeout(15000)
        sign_in(page, base, trainer_a.user.email)
        page.get_by_role("link", name="Training", exact=True).click()
        page.get_by_role("link", name="New training session").first.click()

        # The form has filled in the organisation, the trainer, the certification and the times.
        assert page.get_by_label("Organisation").input_value() == str(org_a.pk)
        assert page.get_by_label(trainer_a.display_name).is_checked()
        assert page.get_by_label("Language of the course").input_value() == "en"
        assert page.get_by_label("Starts (local time)").input_value().endswith("T09:00")
        page.get_by_label("Meeting link").fill("https://meet.example/journey")
        assert _fits(page)
        page.get_by_role("button", name="Create draft").click()
        page.wait_for_url("**/training/sessions/*/")
        session = TrainingSession.objects.get()
        assert session.status == "draft" and session.title == f"{certification.name} course"

        # Publishing asks first, on a page of its own.
        page.get_by_role("link", name="Publish…").click()
        page.wait_for_url("**/confirm/publish/")
        assert "public course calendar" in page.inner_text("main")
        session.refresh_from_db()
        assert session.status == "draft"
        page.get_by_role("button", name="Yes, publish the session").click()
        assert "published in the course calendar" in page.locator(".messages").inner_text()
        session.refresh_from_db()
        assert session.status == "published"

        # Inviting answers the same for anyone and shows the address only.
        page.get_by_label("E-mail address of the participant").fill("fresh@test.example")
        page.get_by_role("button", name="Send the invitation", exact=True).click()
        assert "Invitation sent to fresh@test.example" in page.locator(".messages").inner_text()
        row = page.get_by_role("row", name=re.compile("fresh@test.example"))
        assert "Invited, not yet accepted" in row.inner_text()
        assert _fits(page)

        # The invited person has no account: sign up from the invitation, confirm, sign in, accept.
        guest = invitee.new_page()
        guest.set_default_timeout(15000)
        guest.goto(base + _link(r"http://\S+/sessions/invitations/\S+/"))
        assert session.title in guest.inner_text("h1")
        guest.get_by_role("link", name="Sign up").last.click()
        guest.wait_for_url("**/accounts/signup/**")
        guest.fill("input[name=email]", "fresh@test.example")
        guest.fill("input[name=first_name]", "Fresh")
        guest.fill("input[name=last_name]", "Person")
        guest.fill("input[name=password1]", "a-long-new-password-7")
        guest.fill("input[name=password2]", "a-long-new-password-7")
        guest.locator("main form button[type=submit]").last.click()
        guest.wait_for_url(lambda url: "/accounts/signup" not in url)
        guest.goto(base + _link(r"http://\S+/accounts/confirm-email/\S+/"))
        guest.get_by_role("button", name="Confirm").click()
        guest.wait_for_load_state()
        if "/accounts/login" in guest.url:
            guest.fill("input[name=login]", "fresh@test.example")
            guest.fill("input[name=password]", "a-long-new-password-7")
            guest.locator("main form button[type=submit]").last.click()
            guest.wait_for_url(lambda url: "/accounts/login" not in url)
        if "/sessions/invitations/" not in guest.url:
            guest.get_by_role("link", name="review and accept the invitation").click()
        guest.wait_for_url("**/sessions/invitations/**")
        assert _fits(guest)
        guest.get_by_role("button", name="Accept the seat").click()
        guest.wait_for_url(f"**/sessions/{session.pk}/")
        assert "You have a seat" in guest.locator(".messages").inner_text()
        assert "Enrolled" in guest.inner_text("main")
        assert SessionInvitation.objects.get().status == "accepted"

        # The trainer now sees the participant by name.
        page.reload()
        row = page.get_by_role("row", name=re.compile("Fresh Person"))
        assert "fresh@test.example" in row.inner_text() and "Enrolled" in row.inner_text()
        assert page.get_by_role("row", name=re.compile("Invited, not yet accepted")).count() == 0
    finally:
        trainer.close()
        invitee.close()
