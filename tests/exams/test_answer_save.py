from datetime import timedelta

import pytest

from exams import errors, services
from exams.models import AttemptEvent, AttemptItem
from exams.presentation import displayed_key


@pytest.mark.django_db
def test_save_is_idempotent_and_returns_the_displayed_key(attempt, now):
    for _ in range(2):
        _, item = services.answer_save(attempt=attempt, position=1, key="C", seq=5, now=now)
    assert displayed_key(item) == "C"
    assert AttemptEvent.objects.filter(attempt=attempt, kind="answer_saved").count() == 1


@pytest.mark.django_db
def test_an_older_sequence_never_overwrites_a_newer_one(attempt, now):
    services.answer_save(attempt=attempt, position=1, key="D", seq=10, now=now)
    services.answer_save(attempt=attempt, position=1, key="A", seq=9, now=now)
    item = AttemptItem.objects.get(attempt=attempt, position=1)
    assert displayed_key(item) == "D" and item.seq == 10


@pytest.mark.django_db
def test_clearing_an_answer_and_flagging(attempt, now):
    services.answer_save(attempt=attempt, position=2, key="B", seq=1, now=now, flagged=True)
    _, item = services.answer_save(attempt=attempt, position=2, key=None, seq=2, now=now)
    assert item.chosen_option_id is None and item.flagged is True


@pytest.mark.django_db
def test_saves_are_accepted_until_deadline_plus_grace_and_refused_after(attempt, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 30
    at_edge = attempt.deadline + timedelta(seconds=30)
    queued = attempt.deadline - timedelta(seconds=1)  # chosen before the deadline, sent late
    services.answer_save(attempt=attempt, position=1, key="A", seq=1, now=at_edge, queued_at=queued)
    with pytest.raises(errors.AttemptClosed):
        services.answer_save(
            attempt=attempt, position=1, key="B", seq=2, now=at_edge + timedelta(seconds=1), queued_at=queued
        )
    attempt.refresh_from_db()
    assert attempt.state == "graded" and attempt.finished_at == attempt.deadline


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["E", "a", "AB", ""])
def test_invalid_keys_are_refused(attempt, now, key):
    with pytest.raises(errors.InvalidAnswer):
        services.answer_save(attempt=attempt, position=1, key=key, seq=1, now=now)


@pytest.mark.django_db
def test_unknown_position_is_refused(attempt, now):
    with pytest.raises(errors.InvalidAnswer):
        services.answer_save(attempt=attempt, position=99, key="A", seq=1, now=now)


@pytest.mark.django_db
def test_a_submitted_attempt_accepts_nothing(attempt, now):
    services.attempt_submit(attempt=attempt, now=now)
    with pytest.raises(errors.AttemptClosed):
        services.answer_save(attempt=attempt, position=1, key="A", seq=1, now=now)
