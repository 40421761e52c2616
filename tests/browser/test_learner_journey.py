"""A learner signs in, opens a course, enrols, reads a lesson, passes its knowledge check, and
sees the progress move on the course page and on My learning. No JavaScript is needed for any step."""

import pytest

from courses.models import Enrolment, LessonCompletion
from tests.browser.conftest import sign_in
from tests.courses.conftest import build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_learner_enrols_passes_a_knowledge_check_and_sees_progress(sized_page, live_server, learner):
    page = sized_page
    tree = build_course()
    base = live_server.url
    sign_in(page, base, learner.email)

    page.goto(f"{base}{tree.course.url}")
    page.get_by_role("button", name="Enrol in this course").click()
    page.wait_for_selector("text=You are enrolled")
    assert Enrolment.objects.filter(user=learner, course=tree.course).exists()
    assert "0 % (0 of 2 lessons)" in page.inner_text("main")
    assert page.get_by_label("Course progress").get_attribute("value") == "0"

    # Read the second lesson and answer its knowledge check: first with a mistake, then right.
    page.get_by_role("link", name="Checked lesson").first.click()
    page.wait_for_selector("h1:has-text('Checked lesson')")
    q1 = page.get_by_role("group", name="Who is accountable for a process?")
    q2 = page.get_by_role("group", name="What does a configuration item belong to?")
    q1.get_by_label("The process manager").check()
    q2.get_by_label("The CMDB").check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_selector("text=1 of 2 right")
    assert "The manager runs it day to day." in page.inner_text("main")
    assert not LessonCompletion.objects.filter(user=learner).exists()

    page.get_by_role("group", name="Who is accountable for a process?").get_by_label(
        "The process owner"
    ).check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_selector("text=Lesson complete")
    assert "One owner per process." in page.inner_text("main")
    assert LessonCompletion.objects.filter(user=learner, lesson=tree.checked).exists()

    page.goto(f"{base}{tree.course.url}")
    assert "50 % (1 of 2 lessons)" in page.inner_text("main")
    assert page.get_by_label("Course progress").get_attribute("value") == "50"

    page.get_by_role("link", name="My learning").click()
    page.wait_for_url("**/me/learning/")
    card = page.locator(".card", has_text="Test course")
    assert "50 % (1 of 2 lessons)" in card.inner_text()
    card.get_by_role("link", name="Continue where you left off").click()
    page.wait_for_selector("h1:has-text('Reading lesson')")
    page.get_by_role("button", name="Mark as complete").click()
    page.wait_for_selector("text=Lesson complete")
    page.goto(f"{base}/me/learning/")
    completed = page.locator("section", has=page.locator("#done-h"))
    assert "100 % (2 of 2 lessons)" in completed.inner_text()
