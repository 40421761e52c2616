"""A candidate takes an exam in a real browser, loses the connection for a few
answers, reloads, and finishes: nothing answered is lost."""

import re

import pytest
from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem
from tests.browser.conftest import sign_in
from tests.conftest import correct_key

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_candidate_takes_an_exam_through_an_outage(sized_page, live_server, registration, learner):
    page = sized_page
    base = live_server.url
    sign_in(page, base, learner.email)
    page.goto(f"{base}/exams/sittings/{registration.sitting_id}/")
    page.get_by_label("I will follow the rules above").check()
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/exams/attempts/**")
    attempt = Attempt.objects.get(user=learner, state="in_progress")
    items = {
        i.position: i for i in AttemptItem.objects.filter(attempt=attempt).select_related("question_version")
    }
    keys = {p: correct_key(i) for p, i in items.items()}
    status = page.locator("#save-status")

    # Online: the first answer is saved at once.
    page.locator(f"#opt-1-{keys[1]}").check()
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.get_by_role("button", name="Save and next").click()

    # The server becomes unreachable: answers 2 and 3 stay on this device.
    page.route("**/api/v1/**", lambda route: route.abort())
    page.locator(f"#opt-2-{keys[2]}").check()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Offline"))
    page.get_by_role("button", name="Save and next").click()
    page.locator(f"#opt-3-{keys[3]}").check()
    page.locator("#flagged-3").check()
    # Each change is tried at once ("Saving…") and, the request failing, queued ("Offline…").
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Offline"))
    assert status.inner_text().startswith("Offline")
    assert AttemptItem.objects.filter(attempt=attempt, chosen_option__isnull=False).count() == 1

    # Reload while still cut off: the same attempt, same order, and the queued answers are shown.
    page.reload()
    page.goto(f"{base}/exams/attempts/{attempt.pk}/?q=3")
    assert page.locator(f"#opt-3-{keys[3]}").is_checked()
    assert page.locator("#q-3 .q-stem").inner_text() == items[3].question_version.stem

    # The connection returns: the queue is replayed in order, in one request.
    puts = []
    page.on("request", lambda request: puts.append(request.url) if request.method == "PUT" else None)
    page.unroute("**/api/v1/**")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#save-status")).to_have_text("Saved")
    assert puts == [f"{base}/api/v1/attempts/{attempt.pk}/answers"]
    saved = {i.position: i for i in AttemptItem.objects.filter(attempt=attempt)}
    assert all(saved[p].chosen_option_id is not None for p in (1, 2, 3))
    assert saved[3].flagged

    # Last question, then review and submit.
    page.locator('.nav-q[data-position="4"]').click()
    page.locator(f"#opt-4-{keys[4]}").check()
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.get_by_role("button", name="Save and review answers").click()
    page.wait_for_url("**/submit/")
    assert "1</strong> flagged" in page.content()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url("**/result/")
    assert "you passed" in page.inner_text("main") and "4 of 4 correct" in page.inner_text("main")
