from datetime import timedelta

import pytest

from exams import errors, services
from exams.models import Attempt, AttemptEvent
from exams.signals import attempt_graded


@pytest.fixture
def graded_signals():
    received = []

    def on_graded(sender, attempt, **kwargs):
        received.append(attempt.pk)

    attempt_graded.connect(on_graded)
    yield received
    attempt_graded.disconnect(on_graded)


@pytest.mark.django_db
def test_double_submit_grades_once(attempt, now, graded_signals):
    first = services.attempt_submit(attempt=attempt, now=now)
    second = services.attempt_submit(attempt=attempt, now=now + timedelta(seconds=1))
    assert first.state == second.state == Attempt.State.GRADED
    assert graded_signals == [attempt.pk]
    assert AttemptEvent.objects.filter(attempt=attempt, kind="graded").count() == 1


@pytest.mark.django_db
def test_sweep_expires_overdue_attempts_at_their_deadline(attempt, graded_signals):
    later = attempt.deadline + timedelta(minutes=5)
    assert services.attempts_expire_overdue(now=later) == 1
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.GRADED and attempt.finished_at == attempt.deadline
    assert AttemptEvent.objects.filter(attempt=attempt, kind="expired").exists()
    assert services.attempts_expire_overdue(now=later) == 0
    assert graded_signals == [attempt.pk]


@pytest.mark.django_db
def test_sweep_leaves_attempts_within_grace_alone(attempt):
    assert services.attempts_expire_overdue(now=attempt.deadline + timedelta(seconds=10)) == 0
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


@pytest.mark.django_db
def test_submit_after_sweep_is_a_no_op(attempt, graded_signals):
    later = attempt.deadline + timedelta(minutes=1)
    services.attempts_expire_overdue(now=later)
    result = services.attempt_submit(attempt=attempt, now=later)
    assert result.state == Attempt.State.GRADED and graded_signals == [attempt.pk]


@pytest.mark.django_db
def test_lazy_expiry_on_read(client, attempt, learner):
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=attempt.deadline - timedelta(hours=3), started_at=attempt.started_at - timedelta(hours=3)
    )
    client.force_login(learner)
    body = client.get(f"/api/v1/attempts/{attempt.pk}").json()
    assert body["state"] == "graded" and body["questions"] == []


@pytest.mark.django_db
def test_grading_twice_is_refused_by_the_state_guard(attempt, now, graded_signals):
    Attempt.objects.filter(pk=attempt.pk).update(state=Attempt.State.SUBMITTED, finished_at=now)
    assert services.attempt_grade(attempt_id=attempt.pk, now=now) is True
    assert services.attempt_grade(attempt_id=attempt.pk, now=now) is False
    assert graded_signals == [attempt.pk]


@pytest.mark.django_db
def test_void_needs_a_reason_and_is_logged(attempt, examiner, now):
    with pytest.raises(errors.InvalidTransition):
        services.attempt_void(attempt=attempt, actor=examiner, reason=" ", now=now)
    services.attempt_void(attempt=attempt, actor=examiner, reason="Used notes", now=now)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.VOIDED and attempt.void_reason == "Used notes"
    assert AttemptEvent.objects.get(attempt=attempt, kind="voided").actor == examiner


@pytest.mark.django_db
def test_extension_applies_to_a_running_attempt(attempt, trainer):
    before = attempt.deadline
    services.attempt_extend(attempt=attempt, minutes=7, reason="Fire alarm", actor=trainer)
    attempt.refresh_from_db()
    assert attempt.deadline - before == timedelta(minutes=7)
    assert AttemptEvent.objects.filter(attempt=attempt, kind="time_extended").exists()


@pytest.mark.django_db
def test_extend_all_extends_every_attempt_in_progress(attempt, sitting, trainer):
    before = attempt.deadline
    assert services.sitting_extend_all(sitting=sitting, minutes=10, reason="Fire alarm", actor=trainer) == 1
    attempt.refresh_from_db()
    assert attempt.deadline - before == timedelta(minutes=10)


@pytest.mark.django_db
def test_extra_time_multiplier_and_minutes_set_the_deadline(registration, trainer, learner, now):
    services.registration_extra_time_grant(
        registration=registration, actor=trainer, reason="Dyslexia", extra_minutes=5, multiplier="1.5"
    )
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now)
    assert attempt.deadline - now == timedelta(minutes=10 * 1.5 + 5)


@pytest.mark.django_db
def test_no_attempts_left_after_the_allowed_one(attempt, registration, learner, now):
    services.attempt_submit(attempt=attempt, now=now)
    with pytest.raises(errors.NoAttemptsLeft):
        services.attempt_begin(sitting=registration.sitting, user=learner, now=now)


@pytest.mark.django_db
def test_begin_resumes_the_attempt_in_progress(attempt, registration, learner, now):
    again, created = services.attempt_begin(sitting=registration.sitting, user=learner, now=now)
    assert again.pk == attempt.pk and not created
    assert AttemptEvent.objects.filter(attempt=attempt, kind="resumed").exists()


@pytest.mark.django_db
def test_prerequisites_must_be_held(certification, sitting, learner, now):
    from tests.factories import CertificationFactory

    base = CertificationFactory(code="BASE")
    certification.prerequisites.add(base)
    services.registration_create(sitting=sitting, user=learner)
    with pytest.raises(errors.NotEligible, match="Certification BASE"):
        services.attempt_begin(sitting=sitting, user=learner, now=now)


@pytest.mark.django_db
def test_start_window_and_access_code_are_enforced(certification, trainer, learner, now):
    sitting = services.sitting_create(
        certification=certification,
        opens_at=now + timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
        access_code="ROOM-4821-KX",
        created_by=trainer,
    )
    services.sitting_open(sitting=sitting)
    services.registration_create(sitting=sitting, user=learner)
    with pytest.raises(errors.SittingNotOpen, match="not opened yet"):
        services.attempt_begin(sitting=sitting, user=learner, now=now)
    later = now + timedelta(minutes=90)
    with pytest.raises(errors.SittingNotOpen, match="access code"):
        services.attempt_begin(sitting=sitting, user=learner, now=later)
    attempt, _ = services.attempt_begin(
        sitting=sitting, user=learner, now=later, access_code="room 4821 kx"
    )  # case, spaces, dashes ignored
    assert attempt.state == Attempt.State.IN_PROGRESS
    with pytest.raises(errors.SittingNotOpen, match="closed"):
        services.attempt_begin(sitting=sitting, user=learner, now=now + timedelta(hours=3))


@pytest.mark.django_db
def test_client_events_are_logged_and_checked(attempt, now):
    services.attempt_client_event_record(attempt=attempt, kind="focus_lost", now=now)
    assert AttemptEvent.objects.filter(attempt=attempt, kind="focus_lost").exists()
    with pytest.raises(errors.InvalidAnswer):
        services.attempt_client_event_record(attempt=attempt, kind="graded", now=now)


@pytest.mark.django_db
def test_extend_all_refuses_bad_input_even_with_nobody_running(sitting, trainer):
    with pytest.raises(errors.InvalidTransition):
        services.sitting_extend_all(sitting=sitting, minutes=0, reason="Fire alarm", actor=trainer)
    with pytest.raises(errors.InvalidTransition):
        services.sitting_extend_all(sitting=sitting, minutes=5, reason="", actor=trainer)
