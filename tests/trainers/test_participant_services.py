import pytest
from django.db import IntegrityError, transaction

from tests.factories import UserFactory
from trainers import errors, services
from trainers.models import Participant

from .conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(org_a, trainer_a, certification, admin_a):
    session = make_session(org_a, [trainer_a], certification, admin_a, capacity=2)
    return services.session_publish(session=session, actor=admin_a)


def test_request_waits_for_the_trainer_then_takes_a_seat(small, learner, trainer_a):
    p = services.participant_request(session=small, user=learner)
    assert p.status == "requested"
    assert services.participant_request(session=small, user=learner).pk == p.pk
    p = services.participant_accept(participant=p, actor=trainer_a.user)
    assert p.status == "enrolled" and p.enrolled_at


def test_requests_on_a_draft_session_are_refused(session_a, learner):
    with pytest.raises(errors.InvalidTransition):
        services.participant_request(session=session_a, user=learner)
    assert not Participant.objects.exists()


def test_a_full_session_puts_people_on_the_waiting_list_in_order(small, trainer_a):
    people = [UserFactory() for _ in range(4)]
    seats = [services.participant_invite(session=small, user=u, actor=trainer_a.user) for u in people]
    assert [p.status for p in seats] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert [p.position for p in seats[2:]] == [1, 2]


def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list(small, trainer_a, mailoutbox):
    people = [UserFactory() for _ in range(4)]
    seats = [services.participant_invite(session=small, user=u, actor=trainer_a.user) for u in people]
    cancelled, promoted = services.participant_cancel(participant=seats[0], actor=people[0])
    assert cancelled.status == "cancelled"
    assert promoted.pk == seats[2].pk and promoted.status == "enrolled" and promoted.position is None
    assert small.participants.filter(status="enrolled").count() == 2
    assert list(small.participants.filter(status="waitlisted").values_list("user", flat=True)) == [
        people[3].pk
    ]


def test_cancelling_a_waiting_place_promotes_nobody(small, trainer_a):
    people = [UserFactory() for _ in range(3)]
    seats = [services.participant_invite(session=small, user=u, actor=trainer_a.user) for u in people]
    _, promoted = services.participant_cancel(participant=seats[2], actor=people[2])
    assert promoted is None
    with pytest.raises(errors.InvalidTransition):
        services.participant_cancel(participant=seats[2], actor=people[2])


def test_a_cancelled_person_can_come_back(small, trainer_a, learner):
    p = services.participant_invite(session=small, user=learner, actor=trainer_a.user)
    services.participant_cancel(participant=p, actor=learner)
    again = services.participant_request(session=small, user=learner)
    assert again.pk == p.pk and again.status == "requested"


def test_database_refuses_two_rows_for_one_person(small, learner):
    services.participant_request(session=small, user=learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(session=small, user=learner, status="enrolled")


def test_database_refuses_waitlisted_without_position(small, learner):
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(session=small, user=learner, status="waitlisted")


def test_extra_time_needs_a_reason_and_a_sane_multiplier(small, trainer_a, learner):
    p = services.participant_invite(session=small, user=learner, actor=trainer_a.user)
    with pytest.raises(errors.InvalidTransition, match="reason"):
        services.participant_extra_time_set(participant=p, actor=trainer_a.user, reason="", extra_minutes=15)
    with pytest.raises(errors.InvalidTransition, match="between 1 and 3"):
        services.participant_extra_time_set(
            participant=p, actor=trainer_a.user, reason="Dyslexia", multiplier="5"
        )
    p = services.participant_extra_time_set(
        participant=p, actor=trainer_a.user, reason="Dyslexia", extra_minutes=15, multiplier="1.25"
    )
    assert p.needs_extra_time and p.extra_minutes == 15


def test_attendance_per_day(small, trainer_a, learner):
    p = services.participant_invite(session=small, user=learner, actor=trainer_a.user)
    day = small.days[0]
    services.attendance_mark(participant=p, day=day, present=True, actor=trainer_a.user)
    services.attendance_mark(participant=p, day=day, present=False, actor=trainer_a.user)
    assert list(p.attendance.values_list("day", "present")) == [(day, False)]
    from datetime import timedelta

    with pytest.raises(errors.InvalidTransition, match="not a day"):
        services.attendance_mark(
            participant=p, day=day + timedelta(days=5), present=True, actor=trainer_a.user
        )


def test_participants_are_told_by_email(
    small, trainer_a, learner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_invite(session=small, user=learner, actor=trainer_a.user)
    assert mailoutbox[0].to == [learner.email] and "seat" in mailoutbox[0].subject
    assert mailoutbox[0].alternatives


def test_raising_the_capacity_seats_the_waiting_list_in_order(small, trainer_a, admin_a):
    people = [UserFactory() for _ in range(5)]
    seats = [services.participant_invite(session=small, user=u, actor=trainer_a.user) for u in people]
    services.session_update(session=small, actor=admin_a, capacity=4)
    statuses = {p.pk: p.status for p in Participant.objects.filter(session=small)}
    assert [statuses[p.pk] for p in seats] == ["enrolled"] * 4 + ["waitlisted"]


def test_a_trainer_cannot_enrol_in_the_session_they_teach(published_a, trainer_a, admin_a):
    with pytest.raises(errors.NotAllowed, match="cannot be its participants"):
        services.participant_invite(session=published_a, user=trainer_a.user, actor=admin_a)
    with pytest.raises(errors.NotAllowed):
        services.participant_request(session=published_a, user=trainer_a.user)
    assert not published_a.participants.filter(user=trainer_a.user).exists()
