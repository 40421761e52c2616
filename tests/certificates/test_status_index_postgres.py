"""Concurrent issuers never wait for each other over a status-list bit (PostgreSQL: a sequence
hands them out). The bench's exam day showed why: with the next bit read as the highest taken
plus one, a thousand candidates graded at the same deadline collided on the unique bit, blocked
on each other's uncommitted rows and gave up ("Could not allocate a unique certificate code")."""

import threading

import pytest
from django.db import connection, connections, transaction

from certificates.models import Certificate
from certificates.receivers import on_attempt_graded
from certificates.services import certificate_issue
from exams import services
from exams.models import Attempt
from exams.signals import attempt_graded
from tests.certificates.conftest import sit
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture
def two_passed_attempts(sitting, trainer, now):
    """Two graded, passed exam attempts without their certificates yet."""
    attempt_graded.disconnect(dispatch_uid="certificates.on_attempt_graded")
    try:
        attempts = []
        for _ in range(2):
            registration = services.registration_create(sitting=sitting, user=UserFactory(), actor=trainer)
            attempt, _ = services.attempt_begin(sitting=sitting, user=registration.user, now=now)
            attempts.append(sit(attempt, now, right=attempt.items.count()))
    finally:
        attempt_graded.connect(on_attempt_graded, dispatch_uid="certificates.on_attempt_graded")
    assert not Certificate.objects.exists()
    return [Attempt.objects.get(pk=a.pk) for a in attempts]


def test_an_issuer_does_not_wait_for_another_uncommitted_issue(two_passed_attempts):
    first, second = two_passed_attempts
    holding, release = threading.Event(), threading.Event()
    outcome = {}

    def slow_issuer():
        try:
            with transaction.atomic():
                certificate_issue(attempt=first)
                holding.set()
                release.wait(20)  # the transaction stays open, its row uncommitted
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_issuer)
    thread.start()
    try:
        assert holding.wait(20)

        def second_issuer():
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '2s'")
                    outcome["certificate"] = certificate_issue(attempt=second)
            except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
                outcome["error"] = exc
            finally:
                connections.close_all()

        other = threading.Thread(target=second_issuer)
        other.start()
        other.join(30)
    finally:
        release.set()
        thread.join(30)

    assert "error" not in outcome, outcome
    indexes = sorted(Certificate.objects.values_list("status_index", flat=True))
    assert len(indexes) == 2 and indexes[0] != indexes[1]
