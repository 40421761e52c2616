"""An invigilator voids an attempt on a phone: the candidate table fits 390 px (and a 768 px
tablet) without sideways scrolling of the page, and Void asks for a reason on its own page."""

import pytest

from exams.models import Attempt
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = """() => { const d = document.documentElement, box = document.getElementById('monitor');
    return {page: d.scrollWidth - d.clientWidth, table: box.scrollWidth - box.clientWidth}; }"""


@pytest.mark.parametrize("width", [390, 768])
def test_the_invigilator_voids_an_attempt_on_a_narrow_screen(
    browser, live_server, trainer, sitting, attempt, width
):
    trainer.first_name, trainer.last_name = "Tara", "Trainer"
    trainer.save()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, live_server.url, trainer.email)
        page.goto(f"{live_server.url}/invigilate/{sitting.pk}/")
        region = page.get_by_role("region", name="Candidates")
        assert region.is_visible()
        overflow = page.evaluate(FITS)
        assert overflow == {"page": 0, "table": 0}, overflow
        # The stacked row names each value.
        assert "Time left" in region.inner_text() and "Lena Learner" in region.inner_text()

        page.get_by_role("link", name="Void… the attempt of Lena Learner").click()
        page.wait_for_url("**/void/")
        assert (
            page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
        )
        assert Attempt.objects.get(pk=attempt.pk).state == "in_progress"  # showing the form changed nothing

        page.get_by_role("button", name="Yes, void this attempt").click()
        assert page.locator(".has-error").count() == 2  # reason and confirmation both missing
        assert Attempt.objects.get(pk=attempt.pk).state == "in_progress"

        page.get_by_label("Reason").fill("Phone on the desk")
        page.get_by_label("I confirm that this attempt is void").check()
        page.get_by_role("button", name="Yes, void this attempt").click()
        page.wait_for_url(f"**/invigilate/{sitting.pk}/")
        assert "Voided the attempt of Lena Learner" in page.locator(".messages").inner_text()
        assert "Voided" in page.get_by_role("region", name="Candidates").inner_text()
        assert Attempt.objects.get(pk=attempt.pk).state == "voided"
    finally:
        context.close()
