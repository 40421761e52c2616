"""Attendance per day of a session."""

from django.db import transaction

from accounts.services import audit_record

from .. import errors
from ..models import Attendance, Participant, TrainingSession


def attendance_mark(*, participant, day, present, actor):
    session = participant.session
    if session.status not in (TrainingSession.Status.PUBLISHED, TrainingSession.Status.COMPLETED):
        raise errors.InvalidTransition("Attendance is kept for published and completed sessions only.")
    if participant.status != Participant.Status.ENROLLED:
        raise errors.InvalidTransition("Only enrolled participants have attendance.")
    if day not in session.days:
        raise errors.InvalidTransition(f"{day:%Y-%m-%d} is not a day of this session.")
    with transaction.atomic():
        row, _ = Attendance.objects.update_or_create(
            participant=participant, day=day, defaults={"present": bool(present), "marked_by": actor}
        )
        audit_record(
            action="attendance.marked",
            target=participant,
            actor=actor,
            data={"day": day.isoformat(), "present": bool(present)},
        )
    return row
