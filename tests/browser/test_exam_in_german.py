"""A candidate picks Deutsch in the lobby, answers in German, shows one question of an Advanced
exam in English and back, and passes: the answers count on the German versions drawn."""

import pytest
from playwright.sync_api import expect

from exams.models import Attempt, AttemptEvent, AttemptItem, Question
from tests.browser.conftest import sign_in
from tests.conftest import correct_key
from tests.exams.languages import translate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_sits_an_advanced_exam_in_german_and_switches_one_question(
    page, live_server, registration, learner
):
    certification = registration.sitting.certification
    certification.english_switch_allowed = True  # as for the Advanced exams
    certification.save()
    translate(Question.objects.filter(certification=certification, purpose="exam"))
    base = live_server.url
    sign_in(page, base, learner.email)
    page.goto(f"{base}/exams/sittings/{registration.sitting_id}/")
    page.locator("#language-de").check()
    page.get_by_label("I will follow the rules above").check()
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/exams/attempts/**")

    attempt = Attempt.objects.get(user=learner, state="in_progress")
    assert attempt.language == "de"
    items = {
        i.position: i
        for i in AttemptItem.objects.filter(attempt=attempt).select_related(
            "question_version__question__current_version"
        )
    }
    first = items[1]
    stem = page.locator("#q-1 .q-stem")
    expect(stem).to_have_text(first.question_version.stem)
    expect(page.locator("#q-1 fieldset")).to_have_attribute("lang", "de")

    # Question 1 in English: the English wording, the same letters, then back to German.
    option_a = page.locator('label[for="opt-1-A"]')
    german_a = option_a.inner_text()
    page.locator("#display-1").click()
    expect(stem).to_have_text(first.question_version.question.current_version.stem)
    expect(page.locator("#q-1 fieldset")).to_have_attribute("lang", "en")
    english_a = option_a.inner_text()
    assert english_a != german_a and english_a.startswith("A")
    page.locator(f"#opt-1-{correct_key(first)}").check()  # answered while shown in English
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.locator("#display-1").click()
    expect(stem).to_have_text(first.question_version.stem)
    expect(option_a).to_have_text(german_a)

    for position in range(2, len(items) + 1):
        page.locator(f'.nav-q[data-position="{position}"]').click()
        page.locator(f"#opt-{position}-{correct_key(items[position])}").check()
        expect(page.locator("#save-status")).to_have_text("Saved")
    page.get_by_role("button", name="Save and review answers").click()
    page.wait_for_url("**/submit/")
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url("**/result/")

    attempt.refresh_from_db()
    assert attempt.correct == len(items) and attempt.passed
    switches = AttemptEvent.objects.filter(attempt=attempt, kind=AttemptEvent.Kind.DISPLAY_LANGUAGE)
    assert [e.data["language"] for e in switches.order_by("at", "id")] == ["en", "de"]
