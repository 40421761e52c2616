"""A German- or French-speaking candidate signs in, sits the exam in their language and reads the
result and the certificate without meeting an English word of the interface: each page's visible
text holds none of the catalogue's English texts, `<html lang>` is the language, and the exam
page's script speaks it too (its texts come from /jsi18n/<language>/)."""

import gettext

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from exams.models import Attempt, AttemptItem, Question
from tests.browser.conftest import sign_in
from tests.browser.english_left import english_left
from tests.conftest import correct_key
from tests.exams.languages import translate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _t(language, text):
    with translation.override(language):
        return translation.gettext(text)


def _js(language, text):
    """`text` as the scripts' catalogue (djangojs) translates it."""
    catalogue = gettext.translation("djangojs", localedir=str(settings.LOCALE_PATHS[0]), languages=[language])
    return catalogue.gettext(text)


def _read_in(page, language):
    expect(page.locator("html")).to_have_attribute("lang", language)
    left = english_left(page.inner_text("body"), language)
    assert left == [], f"English on {page.url}: {left[:10]}"


@pytest.mark.parametrize("language", ["de", "fr"])
def test_a_candidate_sits_the_exam_and_gets_the_certificate_in_their_language(
    page, live_server, registration, learner, language
):
    learner.language = language
    learner.save(update_fields=["language"])
    certification = registration.sitting.certification
    translate(Question.objects.filter(certification=certification, purpose="exam"), language)
    base = live_server.url

    sign_in(page, base, learner.email)
    _read_in(page, language)
    page.goto(f"{base}/exams/sittings/{registration.sitting_id}/")
    _read_in(page, language)
    expect(page.locator(f"#language-{language}")).to_be_checked()  # the profile's language first
    page.locator("#declaration").check()
    page.get_by_role("button", name=_t(language, "Start the exam")).click()
    page.wait_for_url("**/exams/attempts/**")

    attempt = Attempt.objects.get(user=learner, state="in_progress")
    assert attempt.language == language
    items = {
        i.position: i for i in AttemptItem.objects.filter(attempt=attempt).select_related("question_version")
    }
    _read_in(page, language)
    # The script's own texts: the timer toggle and the save status.
    toggle = page.locator(".timer-toggle")
    toggle.click()
    expect(toggle).to_have_text(_js(language, "Show timer"))
    assert _js(language, "Show timer") != "Show timer"
    toggle.click()
    for position in range(1, len(items) + 1):
        page.locator(f'.nav-q[data-position="{position}"]').click()
        page.locator(f"#opt-{position}-{correct_key(items[position])}").check()
        expect(page.locator("#save-status")).to_have_text(_js(language, "Saved"))
    assert page.title().startswith(_js(language, "Question %(position)s of %(count)s").split("%")[0].strip())
    _read_in(page, language)
    page.get_by_role("button", name=_t(language, "Save and review answers")).click()
    page.wait_for_url("**/submit/")
    _read_in(page, language)
    page.get_by_role("button", name=_t(language, "Submit my answers")).click()
    page.wait_for_url("**/result/")
    _read_in(page, language)

    page.goto(f"{base}/me/certificates/")
    _read_in(page, language)
    page.goto(f"{base}/me/exams/")
    _read_in(page, language)


@pytest.fixture
def foundation_in_every_language(tmp_path):
    """The FitSM Foundation course and glossary in English, German and French (content/), loaded."""
    import shutil

    from content.course_loader import courses_load
    from content.loader import CONTENT_DIR, certifications_load
    from tests.courses.conftest import site_root

    shutil.copytree(CONTENT_DIR / "pages", tmp_path / "pages")
    for name in ("glossary.yaml", "glossary.de.yaml", "glossary.fr.yaml"):
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    shutil.copytree(CONTENT_DIR / "courses" / "fnd", tmp_path / "courses" / "fnd")
    certifications_load()
    site_root()
    courses_load(tmp_path)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_a_visitor_signs_up_and_studies_foundation_in_their_language(
    page, live_server, learner, foundation_in_every_language, language
):
    base = live_server.url
    page.context.clear_cookies()  # a visitor: no language cookie, only what the browser asks for
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(f"{base}/accounts/signup/")
    _read_in(page, language)
    page.goto(f"{base}/")
    _read_in(page, language)

    learner.language = language
    learner.save(update_fields=["language"])
    sign_in(page, base, learner.email)
    page.goto(f"{base}/courses/fitsm-foundation/")
    _read_in(page, language)
    # The first lesson at its English address: the reader is taken to their language's version.
    page.goto(f"{base}/courses/fitsm-foundation/fnd-itsm-and-fitsm-basics/what-is-it-service-management/")
    assert "what-is-it-service-management" not in page.url
    _read_in(page, language)
    page.goto(f"{base}/glossary/")
    _read_in(page, language)
