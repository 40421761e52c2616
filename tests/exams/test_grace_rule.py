"""During the grace period after the deadline, only answers the client queued before the deadline
are taken: an answer chosen after the time was up is refused, whatever path it comes by."""

import json
from datetime import timedelta

import pytest

from exams import errors, services
from exams.models import AttemptItem
from exams.presentation import KEYS

pytestmark = pytest.mark.django_db


def _key(attempt, position=1):
    item = attempt.items.get(position=position)
    return KEYS[0], item


def test_a_save_in_grace_queued_before_the_deadline_is_taken(attempt, learner):
    key, _ = _key(attempt)
    in_grace = attempt.deadline + timedelta(seconds=10)
    services.answer_save_own(
        attempt_id=attempt.pk, user=learner, position=1, key=key, seq=5, now=in_grace,
        queued_at=attempt.deadline - timedelta(seconds=3),
    )  # fmt: skip
    assert AttemptItem.objects.get(attempt=attempt, position=1).chosen_option_id is not None


@pytest.mark.parametrize("queued", [None, "after"])
def test_a_save_in_grace_not_queued_before_the_deadline_is_refused(attempt, learner, queued):
    key, _ = _key(attempt)
    in_grace = attempt.deadline + timedelta(seconds=10)
    queued_at = None if queued is None else attempt.deadline + timedelta(seconds=2)
    with pytest.raises(errors.AnswerTooLate):
        services.answer_save_own(
            attempt_id=attempt.pk, user=learner, position=1, key=key, seq=5, now=in_grace, queued_at=queued_at
        )
    with pytest.raises(errors.AnswerTooLate):
        services.answer_save(attempt=attempt, position=1, key=key, seq=6, now=in_grace, queued_at=queued_at)
    assert AttemptItem.objects.get(attempt=attempt, position=1).chosen_option_id is None


def test_a_claimed_queue_time_in_the_future_is_ignored(attempt, learner):
    key, _ = _key(attempt)
    in_grace = attempt.deadline + timedelta(seconds=10)
    with pytest.raises(errors.AnswerTooLate):
        services.answer_save_own(
            attempt_id=attempt.pk, user=learner, position=1, key=key, seq=5, now=in_grace,
            queued_at=in_grace + timedelta(hours=1),
        )  # fmt: skip


def test_before_the_deadline_no_queue_time_is_needed(attempt, learner, now):
    key, _ = _key(attempt)
    services.answer_save_own(attempt_id=attempt.pk, user=learner, position=1, key=key, seq=5, now=now)
    assert AttemptItem.objects.get(attempt=attempt, position=1).chosen_option_id is not None


def test_the_api_answers_422_for_an_answer_given_after_the_deadline(client, attempt, learner):
    # Move the deadline into the past, inside the grace period.
    from django.utils import timezone

    from exams.models import Attempt

    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
    client.force_login(learner)
    late = client.put(
        f"/api/v1/attempts/{attempt.pk}/answers/1",
        data=json.dumps({"key": "A", "seq": 9}),
        content_type="application/json",
    )
    assert late.status_code == 422 and late.json()["error"] == "answer_too_late"
    queued = (timezone.now() - timedelta(seconds=8)).isoformat()
    ok = client.put(
        f"/api/v1/attempts/{attempt.pk}/answers/1",
        data=json.dumps({"key": "A", "seq": 10, "queued_at": queued}),
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
