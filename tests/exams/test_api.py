import json
from datetime import timedelta

import pytest
from django.test import Client

from exams import services
from exams.models import Attempt, AttemptItem
from tests.conftest import correct_key


def api(client, method, path, body=None):
    kwargs = {"content_type": "application/json"}
    if body is not None and method != "get":
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


@pytest.fixture
def candidate(learner):
    client = Client()
    client.force_login(learner)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/me/sittings"),
        ("post", "/vouchers/redeem"),
        ("post", "/sittings/1/attempts"),
        ("get", "/attempts/1"),
        ("put", "/attempts/1/answers/1"),
        ("post", "/attempts/1/submit"),
        ("get", "/attempts/1/result"),
    ],
)
def test_anonymous_gets_401_everywhere(client, method, path):
    response = api(client, method, path, {"code": "x", "key": "A", "seq": 1})
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


@pytest.mark.django_db
def test_my_sittings_lists_registrations_with_attempts_left(candidate, registration):
    body = api(candidate, "get", "/me/sittings").json()
    assert body == [
        {
            "id": registration.sitting_id,
            "certification": {"code": "TST", "name": "Test exam"},
            "kind": "scheduled",
            "opens_at": body[0]["opens_at"],
            "closes_at": body[0]["closes_at"],
            "attempts_left": 1,
            "state": "open",
        }
    ]


@pytest.mark.django_db
def test_start_creates_201_then_resumes_200(candidate, registration):
    first = api(candidate, "post", f"/sittings/{registration.sitting_id}/attempts")
    assert first.status_code == 201
    body = first.json()
    assert body["state"] == "in_progress" and body["question_count"] == 4 and len(body["questions"]) == 4
    assert {"deadline", "server_now", "started_at"} <= body.keys()
    again = api(candidate, "post", f"/sittings/{registration.sitting_id}/attempts")
    assert again.status_code == 200 and again.json()["id"] == body["id"]


@pytest.mark.django_db
def test_start_refused_403_with_reason_when_not_registered(candidate, sitting):
    response = api(candidate, "post", f"/sittings/{sitting.pk}/attempts")
    assert response.status_code == 403 and response.json()["error"] == "not_registered"


@pytest.mark.django_db
def test_start_refused_403_when_no_attempts_left(candidate, attempt, learner, now):
    services.attempt_submit(attempt=attempt, now=now)
    response = api(candidate, "post", f"/sittings/{attempt.registration.sitting_id}/attempts")
    assert response.status_code == 403 and response.json()["error"] == "no_attempts_left"


@pytest.mark.django_db
def test_unknown_sitting_is_404(candidate):
    assert api(candidate, "post", "/sittings/999999/attempts").status_code == 404


@pytest.mark.django_db
def test_save_answer_contract(candidate, attempt):
    response = api(
        candidate, "put", f"/attempts/{attempt.pk}/answers/2", {"key": "C", "flagged": True, "seq": 3}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["position"], body["key"], body["flagged"], body["seq"]) == (2, "C", True, 3)
    assert {"saved_at", "server_now", "deadline"} <= body.keys()
    detail = api(candidate, "get", f"/attempts/{attempt.pk}").json()
    assert detail["questions"][1]["answer"] == "C" and detail["questions"][1]["flagged"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("position", "body"), [(2, {"key": "Z", "seq": 1}), (42, {"key": "A", "seq": 1}), (1, {"key": "A"})]
)
def test_save_answer_422_on_invalid_input(candidate, attempt, position, body):
    response = api(candidate, "put", f"/attempts/{attempt.pk}/answers/{position}", body)
    assert response.status_code == 422
    assert set(response.json()) == {"error", "detail"}
    assert not AttemptItem.objects.filter(attempt=attempt, chosen_option__isnull=False).exists()


@pytest.mark.django_db
def test_save_answer_409_after_deadline_plus_grace(candidate, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.deadline - timedelta(hours=1))
    response = api(candidate, "put", f"/attempts/{attempt.pk}/answers/1", {"key": "A", "seq": 1})
    assert response.status_code == 409 and response.json()["error"] == "attempt_closed"


@pytest.mark.django_db
def test_submit_is_idempotent_and_result_follows(candidate, attempt):
    assert api(candidate, "get", f"/attempts/{attempt.pk}/result").status_code == 409
    for item in attempt.items.all():
        api(
            candidate,
            "put",
            f"/attempts/{attempt.pk}/answers/{item.position}",
            {"key": correct_key(item), "seq": 1},
        )
    first = api(candidate, "post", f"/attempts/{attempt.pk}/submit")
    second = api(candidate, "post", f"/attempts/{attempt.pk}/submit")
    assert first.status_code == second.status_code == 200
    assert first.json() == {"id": attempt.pk, "state": "graded"} == second.json()
    result = api(candidate, "get", f"/attempts/{attempt.pk}/result").json()
    assert [step["heading"] for step in result.pop("next_steps")] == ["Your certificate"]
    assert result == {
        "state": "graded",
        "purpose": "exam",
        "closed_book": True,
        "disclosure": "score",
        "review": [],
        "weakest_topics": [],
        "retake_rule": "",
        "correct": 4,
        "total": 4,
        "percent": 100.0,
        "pass_mark": 75,
        "passed": True,
        "by_topic": [
            {"topic": "Topic T1", "correct": 2, "total": 2},
            {"topic": "Topic T2", "correct": 2, "total": 2},
        ],
    }


@pytest.mark.django_db
def test_another_persons_attempt_is_404_never_403(attempt, other_learner):
    intruder = Client()
    intruder.force_login(other_learner)
    for method, path, body in [
        ("get", f"/attempts/{attempt.pk}", None),
        ("put", f"/attempts/{attempt.pk}/answers/1", {"key": "A", "seq": 1}),
        ("post", f"/attempts/{attempt.pk}/submit", None),
        ("get", f"/attempts/{attempt.pk}/result", None),
    ]:
        response = api(intruder, method, path, body)
        assert response.status_code == 404, path
    attempt.refresh_from_db()
    assert attempt.state == "in_progress"


@pytest.mark.django_db
def test_csrf_is_required_for_writes(learner, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    response = api(client, "put", f"/attempts/{attempt.pk}/answers/1", {"key": "A", "seq": 1})
    assert response.status_code in (401, 403)
    assert not AttemptItem.objects.filter(attempt=attempt, chosen_option__isnull=False).exists()


@pytest.mark.django_db
def test_no_key_or_rationale_leaks_while_the_attempt_is_open(candidate, attempt):
    secrets_ = set()
    for item in attempt.items.select_related("question_version"):
        secrets_.add(item.question_version.rationale)
        secrets_.add("is_correct")
        secrets_.add("rationale")
    texts = [
        api(candidate, "get", f"/attempts/{attempt.pk}").content.decode(),
        api(candidate, "put", f"/attempts/{attempt.pk}/answers/1", {"key": "A", "seq": 1}).content.decode(),
        api(candidate, "get", "/me/sittings").content.decode(),
        api(candidate, "get", f"/attempts/{attempt.pk}/result").content.decode(),
        candidate.get(f"/exams/attempts/{attempt.pk}/").content.decode(),
        candidate.get(f"/exams/attempts/{attempt.pk}/?q=2").content.decode(),
        candidate.get(f"/exams/attempts/{attempt.pk}/submit/").content.decode(),
        candidate.get(f"/exams/attempts/{attempt.pk}/result/", follow=True).content.decode(),
    ]
    for text in texts:
        for secret in secrets_:
            assert secret not in text
        assert '"score"' not in text and '"correct"' not in text
    # The JSON options carry letters and text only, never option ids that could be mapped to the key.
    body = api(candidate, "get", f"/attempts/{attempt.pk}").json()
    for q in body["questions"]:
        assert set(q) == {"position", "stem", "options", "answer", "flagged"}
        for option in q["options"]:
            assert set(option) == {"key", "text"}


@pytest.mark.django_db
def test_exam_pages_are_not_cached(candidate, attempt):
    response = candidate.get(f"/exams/attempts/{attempt.pk}/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/attempts/{attempt_id}/answers/{position}" in schema["paths"]
