"""An invigilator's extra time reaches the candidate's countdown within seconds, and a void takes
the page to the result, without the candidate doing anything."""

import re

import pytest
from playwright.sync_api import expect

from exams import services
from exams.models import Attempt
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _start(page, base, registration, learner):
    sign_in(page, base, learner.email)
    page.goto(f"{base}/exams/sittings/{registration.sitting_id}/")
    page.get_by_label("I will follow the rules above").check()
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/exams/attempts/**")
    return Attempt.objects.get(user=learner, state="in_progress")


def test_extra_time_reaches_the_countdown_within_five_seconds(
    page, live_server, registration, learner, trainer
):
    attempt = _start(page, live_server.url, registration, learner)
    timer = page.locator("#timer-value")
    expect(timer).to_have_text(re.compile(r"^(9|10):\d\d$"))  # a 10-minute exam
    page.wait_for_timeout(4500)  # idle: no answer save brings the news, only the clock poll
    services.attempt_extend(attempt=attempt, minutes=5, reason="Fire alarm", actor=trainer)
    expect(timer).to_have_text(re.compile(r"^(14|15):\d\d$"), timeout=6000)
    expect(page.locator("#timer-announce")).to_contain_text("extended")


def test_a_void_takes_the_page_to_the_result(page, live_server, registration, learner, trainer):
    attempt = _start(page, live_server.url, registration, learner)
    services.attempt_void(attempt=attempt, actor=trainer, reason="Phone on the desk", now=attempt.started_at)
    page.wait_for_url(f"**/exams/attempts/{attempt.pk}/result/", timeout=7000)
