"""The exam sitting at the end of a session, run by the exam engine.

The trainer opens one scheduled sitting per session: the attendees (enrolled
participants not marked absent on every recorded day) are registered with the
extra time they need, the organisation and trainer names go on the sitting
(and so on the certificates), and the session's trainers invigilate it."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from exams import services as exam_services
from exams.errors import ExamError

from .. import errors
from ..models import Participant, TrainingSession


def session_attendees(*, session):
    out = []
    for participant in session.participants.filter(status=Participant.Status.ENROLLED).select_related("user"):
        marks = [a.present for a in participant.attendance.all()]
        if marks and not any(marks):
            continue
        out.append(participant)
    return out


def session_sitting_open(*, session, actor, now=None, window_hours=4):
    """Create, fill and open the session's sitting (once). Returns the sitting."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
            if locked.sitting_id:
                raise errors.InvalidTransition(_("The exam sitting of this session is already open."))
            if locked.status not in (TrainingSession.Status.PUBLISHED, TrainingSession.Status.COMPLETED):
                raise errors.InvalidTransition(
                    _("Open the exam sitting of a published or completed session.")
                )
            if now < locked.starts_at:
                raise errors.InvalidTransition(
                    _("The exam sitting can be opened once the session has started.")
                )
            trainers = list(locked.trainers.select_related("user"))
            sitting = exam_services.sitting_create(
                certification=locked.certification,
                title=f"{locked.title} – exam",
                opens_at=now,
                closes_at=now + timedelta(hours=window_hours),
                created_by=actor,
                invigilators=[t.user for t in trainers],
                organisation_name=locked.organisation.name,
                trainer_name=", ".join(t.display_name for t in trainers),
            )
            done = TrainingSession.objects.filter(pk=locked.pk, sitting__isnull=True).update(sitting=sitting)
            if done != 1:
                raise errors.InvalidTransition(_("The exam sitting of this session is already open."))
            attendees = session_attendees(session=locked)
            for participant in attendees:
                registration = exam_services.registration_create(
                    sitting=sitting, user=participant.user, actor=actor
                )
                if participant.needs_extra_time:
                    exam_services.registration_extra_time_grant(
                        registration=registration,
                        actor=actor,
                        reason=participant.extra_time_reason,
                        extra_minutes=participant.extra_minutes,
                        multiplier=participant.time_multiplier,
                    )
            exam_services.sitting_open(sitting=sitting, actor=actor, now=now)
            audit_record(
                action="training_session.sitting_opened",
                target=locked,
                actor=actor,
                data={"sitting": sitting.pk, "candidates": len(attendees)},
            )
    except ExamError as exc:
        raise errors.InvalidTransition(exc.detail) from exc
    session.refresh_from_db()
    return sitting
