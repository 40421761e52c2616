"""Exactly-once issuance when the grading signal and the sweep race (PostgreSQL)."""

import pytest
from django.db import connection

from certificates import services
from certificates.models import Certificate
from exams import services as exam_services
from exams.models import Attempt
from tests.conftest import correct_key
from tests.exams.test_races_postgres import run_together
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_signal_and_sweep_together_issue_exactly_once(sitting, trainer, now):
    for _ in range(4):
        user = UserFactory()
        exam_services.registration_create(sitting=sitting, user=user, actor=trainer)
        attempt, _ = exam_services.attempt_begin(sitting=sitting, user=user, now=now)
        for seq, item in enumerate(attempt.items.all(), 1):
            exam_services.answer_save(
                attempt=attempt, position=item.position, key=correct_key(item), seq=seq, now=now
            )
        results = run_together(
            lambda a=attempt: exam_services.attempt_submit(attempt=Attempt.objects.get(pk=a.pk), now=now),
            lambda: services.certificates_issue_missing(now=now),
            lambda: services.certificates_issue_missing(now=now),
        )
        assert all(r[0] == "ok" for r in results), results
        assert Certificate.objects.filter(user=user).count() == 1
        assert Certificate.objects.get(user=user).attempt_id == attempt.pk


def test_concurrent_issues_get_distinct_status_list_bits(sitting, trainer, now):
    from certificates.receivers import on_attempt_graded
    from exams.signals import attempt_graded

    attempts = []
    attempt_graded.disconnect(dispatch_uid="certificates.on_attempt_graded")
    try:
        for _ in range(4):
            user = UserFactory()
            exam_services.registration_create(sitting=sitting, user=user, actor=trainer)
            attempt, _ = exam_services.attempt_begin(sitting=sitting, user=user, now=now)
            for seq, item in enumerate(attempt.items.all(), 1):
                exam_services.answer_save(
                    attempt=attempt, position=item.position, key=correct_key(item), seq=seq, now=now
                )
            attempts.append(exam_services.attempt_submit(attempt=attempt, now=now))
    finally:
        attempt_graded.connect(on_attempt_graded, dispatch_uid="certificates.on_attempt_graded")
    assert not Certificate.objects.exists()
    results = run_together(
        *[
            lambda a=a: services.certificate_issue(attempt=Attempt.objects.get(pk=a.pk), now=now)
            for a in attempts
        ]
    )
    assert all(r[0] == "ok" and r[1] is not None for r in results), results
    indexes = list(Certificate.objects.values_list("status_index", flat=True))
    # Distinct bits (on PostgreSQL a sequence hands them out, so they need not start at 0).
    assert len(indexes) == 4 and len(set(indexes)) == 4
