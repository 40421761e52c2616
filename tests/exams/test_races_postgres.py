"""Races that only a real database with concurrent connections can show.
They run on PostgreSQL (CI); SQLite serialises writers and cannot race."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from exams import errors, services
from exams.models import Attempt, AttemptEvent, AttemptItem
from exams.signals import attempt_graded
from tests.conftest import correct_key
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def run_together(*calls):
    """Run each call in its own thread and connection, released at the same moment."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def graded():
    seen = []

    def on_graded(sender, attempt, **kwargs):
        seen.append(attempt.pk)

    attempt_graded.connect(on_graded)
    yield seen
    attempt_graded.disconnect(on_graded)


def test_concurrent_voucher_redemption_has_exactly_one_winner(certification, now):
    voucher = services.voucher_create(certification=certification, valid_until=now + timedelta(days=1))[0]
    users = [UserFactory() for _ in range(4)]
    results = run_together(
        *[lambda u=u: services.voucher_redeem(code=voucher.code, user=u, now=now) for u in users]
    )
    outcomes = [r[0] for r in results]
    assert outcomes.count("ok") == 1
    assert all(isinstance(r[1], errors.VoucherUsed) for r in results if r[0] == "error")
    voucher.refresh_from_db()
    assert voucher.registration.user == voucher.redeemed_by


def test_double_submit_grades_exactly_once(attempt, now, graded):
    results = run_together(
        *[lambda: services.attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk), now=now)] * 3
    )
    assert all(r[0] == "ok" for r in results), results
    assert AttemptEvent.objects.filter(attempt=attempt, kind="graded").count() == 1
    assert graded == [attempt.pk]


def test_submit_racing_the_sweep_grades_exactly_once(attempt, graded):
    late = attempt.deadline + timedelta(minutes=2)
    results = run_together(
        lambda: services.attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk), now=late),
        lambda: services.attempts_expire_overdue(now=late),
        lambda: services.attempts_expire_overdue(now=late),
    )
    assert all(r[0] == "ok" for r in results), results
    attempt.refresh_from_db()
    assert attempt.state == "graded" and attempt.finished_at == attempt.deadline
    assert AttemptEvent.objects.filter(attempt=attempt, kind="graded").count() == 1
    assert graded == [attempt.pk]


def test_an_acknowledged_answer_is_always_graded(certification, sitting, trainer, now):
    for _ in range(5):
        user = UserFactory()
        services.registration_create(sitting=sitting, user=user, actor=trainer)
        attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=now)
        item = AttemptItem.objects.get(attempt=attempt, position=1)
        key = correct_key(item)
        results = run_together(
            lambda a=attempt, k=key: services.answer_save(attempt=a, position=1, key=k, seq=1, now=now),
            lambda a=attempt: services.attempt_submit(attempt=Attempt.objects.get(pk=a.pk), now=now),
        )
        attempt.refresh_from_db()
        saved_ok = results[0][0] == "ok"
        if not saved_ok:
            assert isinstance(results[0][1], errors.AttemptClosed)
        assert attempt.correct == (1 if saved_ok else 0)


def test_concurrent_starts_create_one_attempt(registration, learner, now):
    Attempt.objects.filter(registration=registration).delete()
    results = run_together(
        *[lambda: services.attempt_begin(sitting=registration.sitting, user=learner, now=now)] * 3
    )
    assert all(r[0] == "ok" for r in results), results
    assert Attempt.objects.filter(registration=registration).count() == 1
