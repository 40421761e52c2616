"""Sitting and practising in a language: the languages offered, the attempt's language, the
switch of one question to English and back, scoring by the version drawn."""

import json

import pytest
from django.utils import timezone

from exams import errors, selectors, services
from exams.models import Attempt, AttemptEvent, AttemptItem, Question, QuestionOption
from tests.conftest import correct_key, login
from tests.exams.languages import translate

pytestmark = pytest.mark.django_db


def _german(certification, purpose="exam", status="reviewed"):
    translate(Question.objects.filter(certification=certification, purpose=purpose), status=status)


def test_a_language_is_offered_once_every_question_the_form_can_draw_has_a_reviewed_version(certification):
    assert selectors.languages_offered(certification) == [("en", "English")]
    questions = list(Question.objects.filter(certification=certification, purpose="exam"))
    translate(questions[:-1])
    translate(questions[-1:], status="translated")
    assert [code for code, _ in selectors.languages_offered(certification)] == ["en"]
    translate(questions[-1:])
    assert selectors.languages_offered(certification) == [("en", "English"), ("de", "Deutsch")]
    assert [code for code, _ in selectors.languages_offered(certification, "practice")] == ["en"]


def test_the_lobby_preselects_the_profile_language_when_offered(certification, learner):
    offered = [("en", "English"), ("de", "Deutsch")]
    learner.language = "de"
    assert selectors.language_default(user=learner, offered=offered) == "de"
    learner.language = "fr"
    assert selectors.language_default(user=learner, offered=offered) == "en"


def test_an_attempt_in_german_draws_every_question_in_its_german_version(registration, learner, now):
    certification = registration.sitting.certification
    _german(certification)
    ready = registration.attempts.get(state="ready")  # drawn in English when the candidate registered
    drawn = list(ready.items.values_list("question_version__question_id", flat=True).order_by("position"))
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now, language="de")
    assert attempt.pk == ready.pk and attempt.language == "de"
    items = list(attempt.items.select_related("question_version").order_by("position"))
    assert [i.question_version.question_id for i in items] == drawn  # the same draw and order
    assert {i.language for i in items} == {"de"} and {i.question_version.language for i in items} == {"de"}
    for item in items:
        assert set(item.option_order) == set(item.question_version.options.values_list("id", flat=True))


def test_the_options_keep_their_order_by_label_when_a_drawn_attempt_takes_a_language(
    registration, learner, now
):
    _german(registration.sitting.certification)
    ready = registration.attempts.get(state="ready")
    before = {
        i.position: [QuestionOption.objects.get(pk=o).label for o in i.option_order]
        for i in ready.items.all()
    }
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now, language="de")
    after = {
        i.position: [QuestionOption.objects.get(pk=o).label for o in i.option_order]
        for i in attempt.items.all()
    }
    assert after == before


def test_a_language_not_offered_is_refused(registration, learner, now):
    with pytest.raises(errors.LanguageNotOffered):
        services.attempt_begin(sitting=registration.sitting, user=learner, now=now, language="de")
    assert not Attempt.objects.filter(state="in_progress").exists()


def test_a_german_attempt_is_scored_by_the_german_versions_options(registration, learner, now):
    _german(registration.sitting.certification)
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now, language="de")
    items = list(attempt.items.select_related("question_version").order_by("position"))
    for n, item in enumerate(items, start=1):
        services.answer_save(attempt=attempt, position=item.position, key=correct_key(item), seq=n, now=now)
    attempt = services.attempt_submit(attempt=attempt, now=now)
    assert attempt.correct == len(items) and attempt.passed


def test_practice_in_german(certification, learner, now):
    _german(certification, "practice")
    attempt = services.practice_attempt_begin(
        user=learner, certification=certification, now=now, language="de"
    )
    assert attempt.language == "de" and set(attempt.items.values_list("language", flat=True)) == {"de"}
    with pytest.raises(errors.LanguageNotOffered):
        services.practice_attempt_begin(user=learner, certification=certification, now=now, language="fr")


@pytest.fixture
def german_attempt(registration, learner, now):
    certification = registration.sitting.certification
    certification.english_switch_allowed = True
    certification.save()
    _german(certification)
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now, language="de")
    return attempt


def _display(client, attempt, position, language):
    return client.post(
        f"/api/v1/attempts/{attempt.pk}/items/{position}/display",
        data=json.dumps({"language": language}),
        content_type="application/json",
    )


def test_the_api_serves_one_question_in_english_with_the_same_option_order(client, german_attempt, learner):
    login(client, learner)
    item = german_attempt.items.select_related("question_version__question__current_version").get(position=1)
    english = {o.label: o.text for o in item.question_version.question.current_version.options.all()}
    labels = [QuestionOption.objects.get(pk=o).label for o in item.option_order]
    response = _display(client, german_attempt, 1, "en")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["language"] == "en" and body["stem"] == item.question_version.question.current_version.stem
    assert [o["text"] for o in body["options"]] == [english[label] for label in labels]
    back = _display(client, german_attempt, 1, "de").json()
    assert back["language"] == "de" and back["stem"] == item.question_version.stem
    events = list(
        AttemptEvent.objects.filter(
            attempt=german_attempt, kind=AttemptEvent.Kind.DISPLAY_LANGUAGE
        ).values_list("data", flat=True)
    )
    assert [(e["position"], e["language"]) for e in events] == [(1, "en"), (1, "de")]
    detail = client.get(f"/api/v1/attempts/{german_attempt.pk}").json()
    assert detail["language"] == "de" and detail["english_switch"] is True


def test_an_answer_chosen_in_the_english_display_scores_on_the_drawn_version(
    client, german_attempt, learner, now
):
    login(client, learner)
    _display(client, german_attempt, 1, "en")
    item = AttemptItem.objects.get(attempt=german_attempt, position=1)
    services.answer_save(attempt=german_attempt, position=1, key=correct_key(item), seq=1, now=now)
    item.refresh_from_db()
    assert item.chosen_option.version_id == item.question_version_id and item.chosen_option.is_correct


def test_the_switch_is_refused_where_the_certification_does_not_allow_it(client, registration, learner, now):
    _german(registration.sitting.certification)
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now, language="de")
    login(client, learner)
    assert _display(client, attempt, 1, "en").status_code == 403
    assert not AttemptEvent.objects.filter(kind=AttemptEvent.Kind.DISPLAY_LANGUAGE).exists()


def test_the_switch_needs_the_candidates_own_attempt(client, german_attempt, other_learner):
    assert _display(client, german_attempt, 1, "en").status_code == 401
    login(client, other_learner)
    assert _display(client, german_attempt, 1, "en").status_code == 404


def test_the_switch_refuses_a_third_language_and_a_missing_position(client, german_attempt, learner):
    login(client, learner)
    assert _display(client, german_attempt, 1, "fr").status_code == 422
    assert _display(client, german_attempt, 99, "en").status_code == 422


def test_the_exam_page_switches_without_the_script(client, german_attempt, learner):
    login(client, learner)
    url = f"/exams/attempts/{german_attempt.pk}/"
    page = client.get(url).content.decode()
    assert 'lang="de"' in page and "Show this question in English" in page
    response = client.post(url, {"position": 1, "go": "show-en"})
    assert response.status_code == 302 and response["Location"].endswith("?q=1&show=en")
    item = AttemptItem.objects.select_related("question_version__question__current_version").get(
        attempt=german_attempt, position=1
    )
    page = client.get(url + "?q=1&show=en").content.decode()
    assert item.question_version.question.current_version.stem in page
    assert (
        AttemptEvent.objects.filter(attempt=german_attempt, kind=AttemptEvent.Kind.DISPLAY_LANGUAGE).count()
        == 1
    )


def test_the_lobby_offers_the_languages_and_starts_the_chosen_one(client, registration, learner):
    _german(registration.sitting.certification)
    learner.language = "de"
    learner.save()
    login(client, learner)
    url = f"/exams/sittings/{registration.sitting_id}/"
    page = client.get(url).content.decode()
    assert 'name="language" value="de" checked' in page and 'lang="de">Deutsch' in page
    response = client.post(url, {"declaration": "accepted", "language": "de"})
    assert response.status_code == 302
    assert Attempt.objects.get(registration=registration, state="in_progress").language == "de"


def test_the_lobby_refuses_a_language_not_offered(client, registration, learner):
    login(client, learner)
    response = client.post(
        f"/exams/sittings/{registration.sitting_id}/", {"declaration": "accepted", "language": "fr"}
    )
    assert response.status_code == 400 and "not offered in that language" in response.content.decode()


def test_the_lobby_is_for_registered_candidates_only(client, registration, other_learner):
    url = f"/exams/sittings/{registration.sitting_id}/"
    assert client.get(url).status_code == 302  # to the sign-in page
    login(client, other_learner)
    assert client.get(url).status_code == 404


def test_an_english_attempt_has_no_switch(client, registration, learner):
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=timezone.now())
    assert attempt.language == "en" and not selectors.english_switch_allowed(attempt)
    login(client, learner)
    assert (
        "Show this question in English" not in client.get(f"/exams/attempts/{attempt.pk}/").content.decode()
    )
