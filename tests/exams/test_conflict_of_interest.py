"""Nobody judges their own case in a sitting: invigilators are not candidates, nobody extends,
voids or adds time to their own attempt, and invigilators' extensions have a cap."""

from datetime import timedelta

import pytest

from accounts.models import AuditEntry
from exams import errors, services
from exams.models import Attempt, Registration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_invigilator_cannot_be_registered_in_their_own_sitting(sitting, trainer):
    with pytest.raises(errors.ConflictOfInterest, match="invigilates this sitting"):
        services.registration_create(sitting=sitting, user=trainer, actor=trainer)
    assert not Registration.objects.filter(sitting=sitting, user=trainer).exists()


def test_a_registered_candidate_cannot_be_made_invigilator_nor_start_if_made_one(
    sitting, learner, trainer, examiner, now
):
    services.registration_create(sitting=sitting, user=learner, actor=trainer)
    with pytest.raises(errors.ConflictOfInterest, match="registered as a candidate"):
        services.sitting_invigilators_set(sitting=sitting, invigilators=[trainer, learner], actor=examiner)
    sitting.invigilators.add(learner)  # written around the service: the start still refuses
    with pytest.raises(errors.ConflictOfInterest, match="You invigilate this sitting"):
        services.attempt_begin(sitting=sitting, user=learner, now=now)


def test_nobody_extends_or_voids_their_own_attempt(attempt, learner, now):
    with pytest.raises(errors.ConflictOfInterest, match="extend your own attempt"):
        services.attempt_extend(attempt=attempt, minutes=10, reason="I want more", actor=learner)
    with pytest.raises(errors.ConflictOfInterest, match="void your own attempt"):
        services.attempt_void(attempt=attempt, actor=learner, reason="Oops", now=now)
    attempt.refresh_from_db()
    assert attempt.extended_minutes == 0 and attempt.state == Attempt.State.IN_PROGRESS


def test_an_invigilators_extensions_stop_at_the_cap_and_an_examiner_may_go_beyond(attempt, trainer, examiner):
    cap = attempt.certification.duration_minutes  # 10 minutes in the test exam
    deadline = attempt.deadline
    services.attempt_extend(attempt=attempt, minutes=cap, reason="Power cut", actor=trainer)
    with pytest.raises(errors.NeedsExaminer, match="An examiner must approve more"):
        services.attempt_extend(attempt=attempt, minutes=1, reason="Again", actor=trainer)
    services.attempt_extend(attempt=attempt, minutes=5, reason="Approved by the board", actor=examiner)
    attempt.refresh_from_db()
    assert attempt.extended_minutes == cap + 5
    assert attempt.deadline == deadline + timedelta(minutes=cap + 5)


def test_extra_time_above_the_invigilators_bounds_waits_for_another_examiner(
    sitting, learner, trainer, examiner
):
    registration = services.registration_create(sitting=sitting, user=learner, actor=trainer)
    services.registration_extra_time_grant(
        registration=registration, actor=trainer, reason="Dyslexia", extra_minutes=60, multiplier="1"
    )
    registration.refresh_from_db()
    assert registration.extra_time_pending
    attempt = Attempt.objects.get(registration=registration)
    assert services.attempts.allowed_seconds(attempt) == sitting.minutes * 60  # not applied yet
    with pytest.raises(errors.NeedsExaminer):
        services.registration_extra_time_approve(registration=registration, actor=trainer)
    services.registration_extra_time_approve(registration=registration, actor=examiner)
    registration.refresh_from_db()
    assert not registration.extra_time_pending and registration.extra_time_approved_by == examiner
    attempt.registration = registration
    assert services.attempts.allowed_seconds(attempt) == (sitting.minutes + 60) * 60
    assert AuditEntry.objects.filter(action="registration.extra_time_approved").exists()


def test_extra_time_within_the_bounds_applies_at_once_and_nobody_grants_it_to_themselves(
    sitting, learner, trainer
):
    registration = services.registration_create(sitting=sitting, user=learner, actor=trainer)
    services.registration_extra_time_grant(
        registration=registration, actor=trainer, reason="Reader", extra_minutes=15
    )
    registration.refresh_from_db()
    assert not registration.extra_time_pending
    with pytest.raises(errors.ConflictOfInterest, match="to yourself"):
        services.registration_extra_time_grant(
            registration=registration, actor=learner, reason="Me", extra_minutes=5
        )


def test_the_examiner_who_granted_extra_time_cannot_approve_it(sitting, learner, trainer, examiner):
    other_examiner = UserFactory()
    from accounts.roles import EXAMINER, role_add

    role_add(other_examiner, EXAMINER)
    registration = services.registration_create(sitting=sitting, user=learner, actor=trainer)
    services.registration_extra_time_grant(
        registration=registration, actor=trainer, reason="R", multiplier="2"
    )
    registration.refresh_from_db()
    registration.extra_time_granted_by = examiner
    registration.save(update_fields=["extra_time_granted_by"])
    with pytest.raises(errors.ConflictOfInterest):
        services.registration_extra_time_approve(registration=registration, actor=examiner)
    services.registration_extra_time_approve(registration=registration, actor=other_examiner)
