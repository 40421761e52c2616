"""Seats in a training session.

Capacity holds under concurrency: every change that takes or frees a seat
first locks the session row (SELECT ... FOR UPDATE), then counts, so two
requests for the last seat are served one after the other. A freed seat goes
to the first person on the waiting list in the same transaction."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.background import enqueue_on_commit
from accounts.services import audit_record
from exams.errors import ExamError
from exams.services import extra_time_check

from .. import errors
from ..models import Participant, TrainingSession

P = Participant.Status
OPEN_FOR_SEATS = (TrainingSession.Status.PUBLISHED,)


def session_lock_open(session):
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.status not in OPEN_FOR_SEATS:
        raise errors.InvalidTransition(_("This session is not open for enrolment."))
    return locked


def seat_or_waitlist(*, locked, participant, now):
    """Give the participant a seat if one is free, else the next waiting-list place (session locked)."""
    enrolled = Participant.objects.filter(session=locked, status=P.ENROLLED).count()
    if enrolled < locked.capacity:
        participant.status, participant.position, participant.enrolled_at = P.ENROLLED, None, now
    else:
        last = Participant.objects.filter(session=locked, status=P.WAITLISTED).aggregate(m=Max("position"))[
            "m"
        ]
        participant.status, participant.position = P.WAITLISTED, (last or 0) + 1
    participant.cancelled_at = None
    participant.save()
    return participant


def participant_notify_on_commit(participant_id, kind, reason=""):
    from ..tasks import participant_notify

    enqueue_on_commit(participant_notify, participant_id, kind, reason=reason)


def not_a_trainer_check(session, user):
    """The trainers of a session are never its participants (they invigilate its exam)."""
    if session.trainers.filter(user=user).exists():
        raise errors.NotAllowed(
            _("Trainers of a session cannot be its participants: they invigilate its exam.")
        )


def participant_request(*, session, user):
    """A learner asks for a seat from the public page; the session's trainers are told and the
    learner gets an acknowledgement. Asking again while a request is open changes nothing."""
    not_a_trainer_check(session, user)
    with transaction.atomic():
        locked = session_lock_open(session)
        participant = Participant.objects.select_for_update().filter(session=locked, user=user).first()
        if participant and participant.status != P.CANCELLED:
            return participant
        if participant is None:
            participant = Participant(session=locked, user=user)
        participant.status, participant.position, participant.cancelled_at = P.REQUESTED, None, None
        participant.save()
        audit_record(action="participant.requested", target=participant, actor=user)
        from ..tasks import seat_request_notify

        enqueue_on_commit(seat_request_notify, participant.pk)
    return participant


def participant_accept(*, participant, actor, now=None):
    """The trainer accepts a request: a seat if one is free, else the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = session_lock_open(participant.session)
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        if current.status != P.REQUESTED:
            raise errors.InvalidTransition(_("Only a request can be accepted."))
        seat_or_waitlist(locked=locked, participant=current, now=now)
        audit_record(action=f"participant.{current.status}", target=current, actor=actor)
        participant_notify_on_commit(current.pk, current.status)
    return current


def participant_refuse(*, participant, actor, reason="", now=None):
    """The trainer turns a request down; the learner is told (with the reason, if one is given)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        session_lock_open(participant.session)
        done = Participant.objects.filter(pk=participant.pk, status=P.REQUESTED).update(
            status=P.REFUSED, cancelled_at=now
        )
        if done != 1:
            raise errors.InvalidTransition(_("Only a request can be refused."))
        audit_record(action="participant.refused", target=participant, actor=actor, reason=reason)
        participant_notify_on_commit(participant.pk, "refused", reason=reason)
    participant.refresh_from_db()
    return participant


def participant_invite(*, session, user, actor, now=None):
    """The trainer enrols a person directly (a seat, or the waiting list when full). Idempotent."""
    not_a_trainer_check(session, user)
    now = now or timezone.now()
    with transaction.atomic():
        locked = session_lock_open(session)
        participant = Participant.objects.select_for_update().filter(session=locked, user=user).first()
        if participant and participant.status in (P.ENROLLED, P.WAITLISTED):
            return participant
        if participant is None:
            participant = Participant(session=locked, user=user)
        participant.invited_by = actor
        seat_or_waitlist(locked=locked, participant=participant, now=now)
        audit_record(action=f"participant.{participant.status}", target=participant, actor=actor)
        participant_notify_on_commit(participant.pk, participant.status)
    return participant


def participant_cancel(*, participant, actor, now=None):
    """Cancel a request, seat or waiting-list place; a freed seat goes to the first on the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=participant.session_id)
        if locked.status in (TrainingSession.Status.COMPLETED, TrainingSession.Status.CANCELLED):
            raise errors.InvalidTransition(
                _("The places of a completed or cancelled session stay as they are.")
            )
        current = Participant.objects.select_for_update().get(pk=participant.pk)
        if current.status in (P.CANCELLED, P.REFUSED):
            raise errors.InvalidTransition(_("This place is already cancelled or refused."))
        was = current.status
        done = Participant.objects.filter(pk=current.pk, status=was).update(
            status=P.CANCELLED, position=None, cancelled_at=now
        )
        if done != 1:
            raise errors.InvalidTransition(_("This place is already cancelled."))
        audit_record(action="participant.cancelled", target=current, actor=actor, data={"was": was})
        promoted = None
        if was == P.ENROLLED and locked.status == TrainingSession.Status.PUBLISHED:
            promoted = waitlist_promote(locked=locked, now=now)
    current.refresh_from_db()
    return current, promoted


def waitlist_promote(*, locked, now):
    """Move the first on the waiting list into a free seat (the session row must be locked)."""
    enrolled = Participant.objects.filter(session=locked, status=P.ENROLLED).count()
    if enrolled >= locked.capacity:
        return None
    first = (
        Participant.objects.select_for_update()
        .filter(session=locked, status=P.WAITLISTED)
        .order_by("position")
        .first()
    )
    if first is None:
        return None
    Participant.objects.filter(pk=first.pk, status=P.WAITLISTED).update(
        status=P.ENROLLED, position=None, enrolled_at=now
    )
    first.refresh_from_db()
    audit_record(action="participant.promoted", target=first, data={"from": "waitlisted"})
    participant_notify_on_commit(first.pk, "promoted")
    return first


def participant_extra_time_set(*, participant, actor, reason, extra_minutes=0, multiplier="1"):
    """Record the extra time a participant needs; it is granted in the exam sitting."""
    try:
        multiplier = extra_time_check(extra_minutes=extra_minutes, multiplier=multiplier)
    except ExamError as exc:
        raise errors.InvalidTransition(exc.detail) from None
    reason = (reason or "").strip()
    if (extra_minutes or multiplier > 1) and not reason:
        raise errors.InvalidTransition(_("A reason is required for extra time."))
    with transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(
            extra_minutes=extra_minutes, time_multiplier=multiplier, extra_time_reason=reason
        )
        participant.refresh_from_db()
        audit_record(
            action="participant.extra_time",
            target=participant,
            actor=actor,
            reason=reason,
            data={"extra_minutes": extra_minutes, "multiplier": str(multiplier)},
        )
    return participant


def participants_notify_cancelled(*, session):
    for pk in session.participants.exclude(status=P.CANCELLED).values_list("pk", flat=True):
        from ..tasks import participant_notify

        enqueue_on_commit(participant_notify, pk, "session_cancelled")
