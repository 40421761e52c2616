"""Background work of the trainers app; every task is idempotent."""

from celery import shared_task
from django.utils import timezone

from config.task_retry import RETRY_TRANSIENT

from . import emails
from .models import (
    AccreditationReminder,
    Membership,
    Participant,
    SessionInvitation,
    TrainerInvitation,
    TrainingSession,
    VoucherAssignment,
)
from .services.reminders import accreditations_sweep


@shared_task(acks_late=True)
def accreditations_daily():
    """Beat, once a day: expire, remind 60 and 14 days before expiry, suspend without certificate."""
    return accreditations_sweep(today=timezone.localdate())


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def accreditation_reminder_send(reminder_id):
    reminder = (
        AccreditationReminder.objects.filter(pk=reminder_id)
        .select_related(
            "accreditation__organisation", "accreditation__trainer__user", "accreditation__certification"
        )
        .first()
    )
    if reminder is None:
        return
    accreditation = reminder.accreditation
    if accreditation.trainer_id:
        recipients = [accreditation.trainer.user.email]
    else:
        org = accreditation.organisation
        recipients = list(
            Membership.objects.filter(organisation=org, role=Membership.Role.ADMIN).values_list(
                "user__email", flat=True
            )
        ) or ([org.contact_email] if org.contact_email else [])
    if recipients:
        emails.accreditation_reminder(accreditation, recipients, reminder.days_before)


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def participant_notify(participant_id, kind, reason=""):
    participant = (
        Participant.objects.filter(pk=participant_id).select_related("user", "session__organisation").first()
    )
    if participant is not None:
        emails.participant_update(participant, kind, reason=reason)


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def seat_request_notify(participant_id):
    """A learner asked for a seat: the session's trainers are told, the learner is acknowledged."""
    participant = (
        Participant.objects.filter(pk=participant_id, status=Participant.Status.REQUESTED)
        .select_related("user", "session__organisation")
        .first()
    )
    if participant is None:
        return
    recipients = sorted(participant.session.trainers.values_list("user__email", flat=True))
    if recipients:
        emails.seat_requested(participant, recipients)
    emails.participant_update(participant, "requested")


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def session_invitation_send(invitation_id):
    invitation = (
        SessionInvitation.objects.filter(pk=invitation_id, status=SessionInvitation.Status.PENDING)
        .select_related("session__organisation", "session__certification")
        .first()
    )
    if invitation is not None:
        emails.session_invitation(invitation)


def _assignment(assignment_id, status):
    return (
        VoucherAssignment.objects.filter(pk=assignment_id, status=status)
        .select_related("pool_voucher__organisation", "pool_voucher__voucher__certification")
        .first()
    )


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def voucher_assignment_send(assignment_id):
    assignment = _assignment(assignment_id, VoucherAssignment.Status.ASSIGNED)
    if assignment is not None:
        emails.voucher_assigned(assignment)


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def voucher_revocation_send(assignment_id):
    assignment = _assignment(assignment_id, VoucherAssignment.Status.REVOKED)
    if assignment is not None:
        emails.voucher_revoked(assignment)


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def trainer_invitation_send(invitation_id):
    invitation = TrainerInvitation.objects.filter(pk=invitation_id, accepted_at__isnull=True).first()
    if invitation is not None:
        emails.trainer_invitation(invitation)


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def feedback_invitations_send(session_id):
    session = TrainingSession.objects.filter(pk=session_id, status=TrainingSession.Status.COMPLETED).first()
    if session is None:
        return 0
    sent = 0
    for participant in session.participants.filter(status="enrolled", feedback__isnull=True).select_related(
        "user"
    ):
        emails.feedback_request(participant)
        sent += 1
    return sent
