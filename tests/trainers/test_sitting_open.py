from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import Attempt
from tests.factories import UserFactory
from trainers import errors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(published_a):
    from trainers.models import TrainingSession

    now = timezone.now()
    TrainingSession.objects.filter(pk=published_a.pk).update(
        starts_at=now - timedelta(hours=7), ends_at=now + timedelta(hours=1)
    )
    published_a.refresh_from_db()
    return published_a


def test_opening_the_sitting_registers_attendees_with_extra_time(running, trainer_a):
    actor = trainer_a.user
    present, absent, needs_time = UserFactory(), UserFactory(), UserFactory()
    parts = {
        u: services.participant_invite(session=running, user=u, actor=actor)
        for u in (present, absent, needs_time)
    }
    services.participant_extra_time_set(
        participant=parts[needs_time], actor=actor, reason="Dyslexia", extra_minutes=10, multiplier="1.5"
    )
    day = running.days[0]
    services.attendance_mark(participant=parts[present], day=day, present=True, actor=actor)
    services.attendance_mark(participant=parts[absent], day=day, present=False, actor=actor)
    services.participant_request(session=running, user=UserFactory())  # a request is not an attendee

    sitting = services.session_sitting_open(session=running, actor=actor)

    assert sitting.state == "open" and sitting.kind == "scheduled"
    assert sitting.organisation_name == "Alpha Training"
    assert sitting.trainer_name == trainer_a.display_name
    assert list(sitting.invigilators.all()) == [actor]
    regs = {r.user: r for r in sitting.registrations.all()}
    assert set(regs) == {present, needs_time}
    assert regs[needs_time].extra_minutes == 10 and str(regs[needs_time].time_multiplier) == "1.50"
    assert Attempt.objects.filter(registration__sitting=sitting, state="ready").count() == 2
    running.refresh_from_db()
    assert running.sitting == sitting


def test_the_sitting_opens_once(running, trainer_a):
    services.session_sitting_open(session=running, actor=trainer_a.user)
    with pytest.raises(errors.InvalidTransition, match="already open"):
        services.session_sitting_open(session=running, actor=trainer_a.user)


def test_the_sitting_cannot_open_before_the_session_starts(published_a, trainer_a):
    with pytest.raises(errors.InvalidTransition, match="started"):
        services.session_sitting_open(session=published_a, actor=trainer_a.user)
    published_a.refresh_from_db()
    assert published_a.sitting is None
