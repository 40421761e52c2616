"""Attendance per day of a session."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.services import audit_record

from .. import errors
from ..models import Attendance, Participant, TrainingSession


def attendance_mark(*, participant, day, present, actor):
    session = participant.session
    if session.status not in (TrainingSession.Status.PUBLISHED, TrainingSession.Status.COMPLETED):
        raise errors.InvalidTransition(_("Attendance is kept for published and completed sessions only."))
    if participant.status != Participant.Status.ENROLLED:
        raise errors.InvalidTransition(_("Only enrolled participants have attendance."))
    if day not in session.days:
        raise errors.InvalidTransition(
            _("%(day)s is not a day of this session.") % {"day": f"{day:%Y-%m-%d}"}
        )
    with transaction.atomic():
        row, _created = Attendance.objects.update_or_create(
            participant=participant, day=day, defaults={"present": bool(present), "marked_by": actor}
        )
        audit_record(
            action="attendance.marked",
            target=participant,
            actor=actor,
            data={"day": day.isoformat(), "present": bool(present)},
        )
    return row
