"""A learner whose profile says German opens the FitSM Foundation course and a lesson in German,
passes its knowledge check, switches to English with the footer's language switcher and finds the
same lesson, in English, with the progress kept."""

import shutil

import pytest

from content.course_loader import courses_load
from content.loader import CONTENT_DIR, certifications_load
from courses.models import Enrolment, LessonCompletion, LessonPage
from tests.browser.conftest import sign_in
from tests.courses.conftest import site_root

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The right options of the first lesson's knowledge check, as the German lesson words them.
RIGHT_IN_GERMAN = [
    "Der Kunde",
    "Sie ist ein logischer Teil eines Service, der auf CIs beruht",
    "Ein unterzeichnetes Service Level Agreement",
]


@pytest.fixture
def foundation_in_german(tmp_path):
    """The FitSM Foundation course in English and German (the files of content/), loaded."""
    shutil.copytree(CONTENT_DIR / "pages", tmp_path / "pages")
    shutil.copy(CONTENT_DIR / "glossary.yaml", tmp_path / "glossary.yaml")
    shutil.copy(CONTENT_DIR / "glossary.de.yaml", tmp_path / "glossary.de.yaml")
    shutil.copytree(
        CONTENT_DIR / "courses" / "fnd",
        tmp_path / "courses" / "fnd",
        ignore=lambda folder, names: [n for n in names if folder.endswith("locale") and n != "de"],
    )
    certifications_load()
    site_root()
    courses_load(tmp_path)


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def test_a_german_learner_reads_a_lesson_in_german_and_keeps_the_progress_in_english(
    page, live_server, learner, foundation_in_german
):
    learner.language = "de"
    learner.save(update_fields=["language"])
    base = live_server.url
    sign_in(page, base, learner.email)

    page.goto(f"{base}/courses/fitsm-foundation/")
    assert html_lang(page) == "de"
    assert "Ein zugänglicher Einstieg in schlankes IT-Service-Management" in page.inner_text("main")
    page.locator("main form[action$='/enrol/'] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert Enrolment.objects.filter(user=learner, course__locale__language_code="en").exists()

    page.get_by_role("link", name="Was IT-Service-Management ist").first.click()
    page.wait_for_selector("h1:has-text('Was IT-Service-Management ist')")
    assert html_lang(page) == "de"
    assert page.url.endswith("/was-ist-it-service-management/")
    assert "In Services denken" in page.inner_text("main")

    for option in RIGHT_IN_GERMAN:
        page.get_by_label(option, exact=True).check()
    page.locator("form.kc-form button[type=submit]").click()
    page.wait_for_selector(".kc-result.status-ok")
    assert "Die Fakultät gibt den Service in Auftrag" in page.inner_text("main")
    english = LessonPage.objects.get(slug="what-is-it-service-management", locale__language_code="en")
    assert LessonCompletion.objects.filter(user=learner, lesson=english).exists()

    page.select_option("#language-switcher-select", "en")
    page.locator("form.language-switcher button[type=submit]").click()
    page.wait_for_selector("h1:has-text('What IT service management is')")
    assert html_lang(page) == "en"
    assert page.url.endswith("/what-is-it-service-management/")
    assert page.locator(".kc-result.status-ok").is_visible()
    assert "The faculty commissions the service" in page.inner_text("main")
    learner.refresh_from_db()
    assert learner.language == "en"

    page.goto(f"{base}/courses/fitsm-foundation/")
    row = page.locator("main li", has=page.get_by_role("link", name="What IT service management is"))
    assert row.locator(".status-ok").count() == 1
    assert page.get_by_label("Course progress").get_attribute("value") == "11"  # 1 of 9 lessons
