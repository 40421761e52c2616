"""During a running attempt the page keeps the candidate on the exam: on a phone (390 px) and on a
desktop the timer stays in view when they scroll to the end of the last question, and the header
shows the platform's name only, with no links away (skip link and landmarks kept)."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _in_view(page, selector):
    return page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
            return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""",
        selector,
    )


@pytest.mark.parametrize("width, height", [(390, 560), (1366, 500)])
def test_the_timer_stays_in_view_and_no_links_lead_away(
    page, live_server, registration, learner, width, height
):
    base = live_server.url
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, base, learner.email)
    page.goto(f"{base}/exams/sittings/{registration.sitting_id}/")
    assert page.locator("header.site-header nav").count() == 1  # the lobby still has the site's navigation
    page.get_by_label("I will follow the rules above").check()
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/exams/attempts/**")

    header = page.locator("header.site-header")
    assert header.locator("a, nav, form").count() == 0
    assert "FitSM Academy" in header.inner_text()
    assert page.locator("footer a").count() == 0
    assert page.locator("a.skip-link[href='#main']").count() == 1
    assert page.locator("main#main").count() == 1 and page.get_by_role("banner").count() == 1

    last = page.locator(".nav-q").last
    last.click()
    assert last.get_attribute("aria-current") is not None
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 0")
    assert page.evaluate("window.scrollY") > 100, "the page should be long enough to scroll"
    assert _in_view(page, ".exam-timer"), "the timer scrolled out of view"
    assert _in_view(page, "#timer-value")
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    page.get_by_role("button", name="Save and review answers").click()
    page.wait_for_url("**/submit/")
    assert page.locator("header.site-header a, header.site-header nav").count() == 0
