"""The API's answer save (services.answer_save_own, one statement on PostgreSQL) under the races
a real exam room produces: saves racing a submit, and many saves of one attempt at once (two
tabs, a client retrying while its first request still waits for the row lock)."""

import pytest
from django.db import connection

from exams import errors, services
from exams.models import Attempt, AttemptEvent, AttemptItem
from tests.conftest import correct_key
from tests.exams.test_races_postgres import run_together
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _started(sitting, trainer, now):
    user = UserFactory()
    services.registration_create(sitting=sitting, user=user, actor=trainer)
    attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=now)
    return user, attempt


def test_an_acknowledged_api_save_is_always_graded(certification, sitting, trainer, now):
    for _ in range(5):
        user, attempt = _started(sitting, trainer, now)
        key = correct_key(AttemptItem.objects.get(attempt=attempt, position=1))
        results = run_together(
            lambda a=attempt, u=user, k=key: services.answer_save_own(
                attempt_id=a.pk, user=u, position=1, key=k, seq=1, now=now
            ),
            lambda a=attempt: services.attempt_submit(attempt=Attempt.objects.get(pk=a.pk), now=now),
        )
        attempt.refresh_from_db()
        saved_ok = results[0][0] == "ok"
        if not saved_ok:
            assert isinstance(results[0][1], errors.AttemptClosed), results[0]
        assert attempt.state == Attempt.State.GRADED
        assert attempt.correct == (1 if saved_ok else 0)


def test_concurrent_saves_of_one_attempt_keep_the_newest_and_refuse_none(
    certification, sitting, trainer, now
):
    user, attempt = _started(sitting, trainer, now)
    keys = "ABCD"
    calls = [
        lambda seq=seq: services.answer_save_own(
            attempt_id=attempt.pk, user=user, position=1, key=keys[seq % 4], seq=seq, now=now
        )
        for seq in range(1, 9)
    ] + [  # the same save sent twice (a retry while the first is still in flight)
        lambda: services.answer_save_own(
            attempt_id=attempt.pk, user=user, position=2, key="B", seq=5, now=now
        ),
        lambda: services.answer_save_own(
            attempt_id=attempt.pk, user=user, position=2, key="B", seq=5, now=now
        ),
    ]
    results = run_together(*calls)
    assert all(kind == "ok" for kind, _ in results), results
    first = AttemptItem.objects.get(attempt=attempt, position=1)
    assert first.seq == 8
    assert "ABCD"[first.option_order.index(first.chosen_option_id)] == keys[8 % 4]
    second = AttemptItem.objects.get(attempt=attempt, position=2)
    assert second.seq == 5
    events = AttemptEvent.objects.filter(attempt=attempt, kind=AttemptEvent.Kind.ANSWER_SAVED)
    assert events.filter(data__position=2).count() == 1
    assert all(item.seq <= 8 for _, (_, item) in results)
