"""Several queued answers in one request (PUT /api/v1/attempts/{id}/answers): in order, all or
nothing for bad input, an answer given too late refused on its own."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from exams import errors, services
from exams.models import Attempt, AttemptEvent, AttemptItem


def put(client, attempt_id, answers):
    return client.put(
        f"/api/v1/attempts/{attempt_id}/answers",
        data=json.dumps({"answers": answers}),
        content_type="application/json",
    )


@pytest.fixture
def candidate(learner):
    client = Client()
    client.force_login(learner)
    return client


def chosen(attempt):
    return dict(
        AttemptItem.objects.filter(attempt=attempt, chosen_option__isnull=False).values_list(
            "position", "seq"
        )
    )


@pytest.mark.django_db
def test_a_batch_saves_every_answer_in_order_and_the_last_of_a_question_wins(candidate, attempt):
    response = put(
        candidate,
        attempt.pk,
        [
            {"position": 1, "key": "A", "seq": 10},
            {"position": 2, "key": "B", "seq": 11, "flagged": True},
            {"position": 1, "key": "C", "seq": 12},
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert [(a["position"], a["key"], a["seq"], a["refused"]) for a in body["answers"]] == [
        (1, "A", 10, None),
        (2, "B", 11, None),
        (1, "C", 12, None),
    ]
    assert {"server_now", "deadline"} <= body.keys()
    detail = candidate.get(f"/api/v1/attempts/{attempt.pk}").json()["questions"]
    assert (detail[0]["answer"], detail[1]["answer"], detail[1]["flagged"]) == ("C", "B", True)
    assert AttemptEvent.objects.filter(attempt=attempt, kind=AttemptEvent.Kind.ANSWER_SAVED).count() == 3


@pytest.mark.django_db
def test_a_replayed_batch_changes_nothing_and_answers_with_what_is_stored(candidate, attempt):
    answers = [{"position": 1, "key": "A", "seq": 20}, {"position": 1, "key": "B", "seq": 21}]
    assert put(candidate, attempt.pk, answers).status_code == 200
    again = put(candidate, attempt.pk, answers).json()["answers"]
    assert [(a["key"], a["seq"]) for a in again] == [("B", 21), ("B", 21)]
    assert chosen(attempt) == {1: 21}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"position": 2, "key": "Z", "seq": 31},  # not a letter of the exam
        {"position": 42, "key": "A", "seq": 31},  # no such question in the attempt
        {"position": 2, "key": "A"},  # no sequence number
        {"position": 0, "key": "A", "seq": 31},
    ],
)
def test_one_bad_answer_refuses_the_whole_batch_with_422(candidate, attempt, bad):
    response = put(candidate, attempt.pk, [{"position": 1, "key": "A", "seq": 30}, bad])
    assert response.status_code == 422
    assert set(response.json()) == {"error", "detail"}
    assert chosen(attempt) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, services.ANSWERS_PER_BATCH + 1])
def test_an_empty_or_oversized_batch_is_422(candidate, attempt, count):
    answers = [{"position": 1, "key": "A", "seq": 100 + i} for i in range(count)]
    response = put(candidate, attempt.pk, answers)
    assert response.status_code == 422
    assert chosen(attempt) == {}


@pytest.mark.django_db
def test_in_the_grace_period_only_the_answers_queued_before_the_deadline_are_taken(attempt, learner):
    in_grace = attempt.deadline + timedelta(seconds=10)
    before, after = attempt.deadline - timedelta(seconds=20), attempt.deadline + timedelta(seconds=2)
    locked, items = services.answers_save_own(
        attempt_id=attempt.pk,
        user=learner,
        entries=[
            {"position": 1, "key": "A", "seq": 40, "queued_at": before},
            {"position": 2, "key": "B", "seq": 41, "queued_at": after},
        ],
        now=in_grace,
    )
    assert items[0] is not None and items[0].seq == 40
    assert items[1] is None
    assert chosen(attempt) == {1: 40}
    assert locked.deadline == attempt.deadline


@pytest.mark.django_db
def test_a_batch_after_deadline_plus_grace_is_409_and_closes_the_attempt(candidate, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=attempt.deadline - timedelta(hours=1))
    response = put(candidate, attempt.pk, [{"position": 1, "key": "A", "seq": 50}])
    assert response.status_code == 409 and response.json()["error"] == "attempt_closed"
    attempt.refresh_from_db()
    assert attempt.state != Attempt.State.IN_PROGRESS
    assert chosen(attempt) == {}


@pytest.mark.django_db
def test_a_submitted_attempt_refuses_a_batch(attempt, learner, now):
    services.attempt_submit(attempt=attempt, now=now)
    with pytest.raises(errors.AttemptClosed):
        services.answers_save_own(
            attempt_id=attempt.pk, user=learner, entries=[{"position": 1, "key": "A", "seq": 60}], now=now
        )


@pytest.mark.django_db
def test_anonymous_is_401_and_another_persons_attempt_is_404(client, attempt, other_learner):
    assert put(client, attempt.pk, [{"position": 1, "key": "A", "seq": 70}]).status_code == 401
    intruder = Client()
    intruder.force_login(other_learner)
    assert put(intruder, attempt.pk, [{"position": 1, "key": "A", "seq": 70}]).status_code == 404
    assert chosen(attempt) == {}


@pytest.mark.django_db
def test_the_batch_needs_the_csrf_token(learner, attempt):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert put(client, attempt.pk, [{"position": 1, "key": "A", "seq": 80}]).status_code in (401, 403)
    assert chosen(attempt) == {}
