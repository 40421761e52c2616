"""Races that only a real database with concurrent connections can show (PostgreSQL in CI)."""

import pytest
from django.db import connection

from tests.exams.test_races_postgres import run_together
from tests.factories import UserFactory
from trainers import services
from trainers.models import Participant, TrainingSession

from .conftest import make_session

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_threads_racing_for_the_last_seat_get_one_seat_and_ordered_waiting_places(
    org_a, trainer_a, certification, admin_a
):
    session = services.session_publish(
        session=make_session(org_a, [trainer_a], certification, admin_a, capacity=3), actor=admin_a
    )
    services.participant_invite(session=session, user=UserFactory(), actor=admin_a)
    services.participant_invite(session=session, user=UserFactory(), actor=admin_a)
    racers = [UserFactory() for _ in range(6)]
    results = run_together(
        *[
            lambda u=u: services.participant_invite(
                session=TrainingSession.objects.get(pk=session.pk), user=u, actor=admin_a
            )
            for u in racers
        ]
    )
    assert all(r[0] == "ok" for r in results), results
    assert Participant.objects.filter(session=session, status="enrolled").count() == 3
    positions = sorted(
        Participant.objects.filter(session=session, status="waitlisted").values_list("position", flat=True)
    )
    assert positions == [1, 2, 3, 4, 5]


def test_cancellations_racing_promote_each_waiting_person_once(org_a, trainer_a, certification, admin_a):
    session = services.session_publish(
        session=make_session(org_a, [trainer_a], certification, admin_a, capacity=2), actor=admin_a
    )
    seated = [
        services.participant_invite(session=session, user=UserFactory(), actor=admin_a) for _ in range(2)
    ]
    waiting = [
        services.participant_invite(session=session, user=UserFactory(), actor=admin_a) for _ in range(3)
    ]
    results = run_together(
        *[lambda p=p: services.participant_cancel(participant=p, actor=admin_a) for p in seated]
    )
    assert all(r[0] == "ok" for r in results), results
    enrolled = set(
        Participant.objects.filter(session=session, status="enrolled").values_list("pk", flat=True)
    )
    assert enrolled == {waiting[0].pk, waiting[1].pk}
    assert list(
        Participant.objects.filter(session=session, status="waitlisted").values_list("pk", flat=True)
    ) == [waiting[2].pk]


def test_two_sessions_with_one_trainer_racing_to_publish_at_the_same_time(
    org_a, trainer_a, certification, admin_a
):
    first = make_session(org_a, [trainer_a], certification, admin_a, days=10)
    second = make_session(org_a, [trainer_a], certification, admin_a, days=10)
    results = run_together(
        *[lambda s=s: services.session_publish(session=s, actor=admin_a) for s in (first, second)]
    )
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    assert TrainingSession.objects.filter(status="published").count() == 1


def test_invitations_accepted_at_once_for_the_last_seat_give_one_seat(
    org_a, trainer_a, certification, admin_a
):
    session = services.session_publish(
        session=make_session(org_a, [trainer_a], certification, admin_a, capacity=1), actor=admin_a
    )
    people = [UserFactory() for _ in range(4)]
    invitations = [
        services.session_invitation_create(session=session, email=p.email, actor=admin_a) for p in people
    ]
    results = run_together(
        *[
            lambda i=i, p=p: services.session_invitation_accept(token=i.token, user=p)
            for i, p in zip(invitations, people, strict=True)
        ]
    )
    assert all(r[0] == "ok" for r in results), results
    assert Participant.objects.filter(session=session, status="enrolled").count() == 1
    positions = sorted(
        Participant.objects.filter(session=session, status="waitlisted").values_list("position", flat=True)
    )
    assert positions == [1, 2, 3]
