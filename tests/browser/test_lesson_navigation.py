"""A learner works through lessons at desktop and phone widths: the outline marks where they are
and counts their progress, a passed knowledge check says "Lesson complete" and leads to the next
lesson, and the last lesson leads to the practice exam and the course page."""

import pytest

from courses.models import LessonPage, ModulePage
from courses.services import enrolment_create
from tests.browser.conftest import sign_in
from tests.courses.conftest import build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_learner_follows_the_outline_and_the_next_step_through_the_course(page, live_server, learner, width):
    tree = build_course()
    further = tree.course.add_child(instance=ModulePage(title="Further", slug="test-course-further"))
    closing = further.add_child(
        instance=LessonPage(
            title="Closing lesson", slug="test-course-closing", body=[{"type": "text", "value": "End."}]
        )
    )
    enrolment_create(user=learner, course=tree.course)
    page.set_viewport_size({"width": width, "height": 800})
    base = live_server.url
    sign_in(page, base, learner.email)

    page.goto(f"{base}{tree.checked.url}")
    outline = page.get_by_role("navigation", name="Course outline")
    assert outline.locator("[aria-current=page]").inner_text() == "Checked lesson"
    assert "0 % (0 of 3 lessons)" in outline.inner_text()
    assert _fits(page)

    page.get_by_role("group", name="Who is accountable for a process?").get_by_label(
        "The process owner"
    ).check()
    page.get_by_role("group", name="What does a configuration item belong to?").get_by_label(
        "The CMDB"
    ).check()
    page.get_by_role("button", name="Check my answers").click()
    check = page.locator(".knowledge-check")
    check.get_by_text("Lesson complete").wait_for()
    assert "33 % (1 of 3 lessons)" in page.get_by_role("navigation", name="Course outline").inner_text()
    assert _fits(page)

    check.get_by_role("link", name="Next lesson: Closing lesson").click()
    page.wait_for_url(f"**{closing.url}")
    assert page.get_by_role("navigation", name="Course outline").locator(
        "[aria-current=page]"
    ).inner_text() == ("Closing lesson")
    page.get_by_role("link", name="← Previous: Checked lesson").wait_for()
    page.get_by_role("button", name="Mark as complete").click()
    done = page.locator(".lesson-done")
    done.get_by_text("Lesson complete").wait_for()
    assert "This was the last lesson of the course." in done.inner_text()
    assert "66 % (2 of 3 lessons)" in page.get_by_role("navigation", name="Course outline").inner_text()
    done.get_by_role("link", name="Back to Test course").click()
    page.wait_for_url(f"**{tree.course.url}")
    page.go_back()
    page.locator(".lesson-done").get_by_role("button", name="Take a practice exam").click()
    page.wait_for_url("**/exams/**")
