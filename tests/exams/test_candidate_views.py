import pytest

from exams.models import Attempt, AttemptItem
from tests.conftest import correct_key


@pytest.mark.django_db
def test_pages_need_login(client, sitting):
    for path in ["/me/exams/", f"/exams/sittings/{sitting.pk}/"]:
        assert client.get(path).status_code == 302


@pytest.mark.django_db
def test_lobby_is_404_for_someone_not_registered(client, other_learner, sitting):
    client.force_login(other_learner)
    assert client.get(f"/exams/sittings/{sitting.pk}/").status_code == 404


@pytest.mark.django_db
def test_start_needs_the_declaration_and_a_post(client, learner, registration):
    client.force_login(learner)
    url = f"/exams/sittings/{registration.sitting_id}/"
    page = client.get(url).content.decode()
    assert "closed-book" in page and "75 %" in page and "3 of 4" in page
    assert not Attempt.objects.filter(user=learner, state="in_progress").exists()
    refused = client.post(url, {})
    assert refused.status_code == 400 and "confirm the exam rules" in refused.content.decode()
    started = client.post(url, {"declaration": "accepted"})
    attempt = Attempt.objects.get(user=learner, state="in_progress")
    assert started["Location"] == f"/exams/attempts/{attempt.pk}/"


@pytest.mark.django_db
def test_taking_an_exam_without_javascript(client, learner, attempt):
    client.force_login(learner)
    base = f"/exams/attempts/{attempt.pk}/"
    page = client.get(base).content.decode()
    assert "Question 1 of 4" in page and 'type="radio"' in page
    for item in AttemptItem.objects.filter(attempt=attempt).order_by("position"):
        response = client.post(
            base, {"position": item.position, f"answer-{item.position}": correct_key(item), "go": "next"}
        )
        assert response.status_code == 302
    client.post(
        base,
        {
            "position": 2,
            "answer-2": correct_key(AttemptItem.objects.get(attempt=attempt, position=2)),
            "flagged-2": "on",
            "go": "review",
        },
    )
    summary = client.get(base + "submit/").content.decode()
    assert "<strong>0</strong> unanswered" in summary and "<strong>1</strong> flagged" in summary
    client.post(base + "submit/", {"confirm": "yes"})
    result = client.get(base + "result/").content.decode()
    assert "you passed" in result and "4 of 4" in result
    assert "Because." not in result  # closed book: no rationale


@pytest.mark.django_db
def test_practice_result_shows_full_review(client, learner, certification):
    client.force_login(learner)
    response = client.post(f"/exams/practice/{certification.code}/")
    attempt = Attempt.objects.get(user=learner, purpose="practice")
    assert response["Location"] == f"/exams/attempts/{attempt.pk}/"
    client.post(f"/exams/attempts/{attempt.pk}/submit/", {"confirm": "yes"})
    page = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    assert "Because." in page and "(correct answer)" in page


@pytest.mark.django_db
def test_practice_cannot_be_started_by_get(client, learner, certification):
    client.force_login(learner)
    assert client.get(f"/exams/practice/{certification.code}/").status_code == 405


@pytest.mark.django_db
def test_my_exams_offers_practice_exams_by_post(client, learner, certification):
    client.force_login(learner)
    page = client.get("/me/exams/").content.decode()
    assert f'action="/exams/practice/{certification.code}/"' in page and 'method="post"' in page
