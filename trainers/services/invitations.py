"""Invitations of people, by e-mail address, to a seat in a training session.

Inviting never tells the trainer whether an account uses the address: an
invitation is always created and e-mailed, and the trainer sees the address
alone ("invited, not yet accepted") until it is accepted. The seat is taken
when the invited person accepts, signed in with that address verified; a
person without an account signs up first (the link keeps the way back).
Accepting takes a seat or a waiting-list place under the session lock, like
every other change of seats."""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.background import enqueue_on_commit
from accounts.services import audit_record

from .. import errors
from ..models import Participant, SessionInvitation
from ..selectors import invitation_addressed_to
from .participants import (
    not_a_trainer_check,
    participant_extra_time_set,
    participant_notify_on_commit,
    seat_or_waitlist,
    session_lock_open,
)

INVITATION_DAYS = 14
INV = SessionInvitation.Status
P = Participant.Status


def email_normalise(email):
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise errors.InvalidTransition(_("Give a valid e-mail address."), field="email") from None
    return email


def _after_commit_send(invitation_id):
    from ..tasks import session_invitation_send

    enqueue_on_commit(session_invitation_send, invitation_id)


def session_invitation_create(
    *, session, email, actor, extra_minutes=0, multiplier=1, reason="", now=None, locked=None
):
    """Invite an address to a seat: always an invitation, always an e-mail; the same answer whether
    or not an account uses the address. Inviting an address again renews its pending invitation.
    `locked` is the session row when the caller already holds its lock (the CSV import)."""
    now = now or timezone.now()
    email = email_normalise(email)
    multiplier = Decimal(str(multiplier or 1))
    with transaction.atomic():
        locked = locked or session_lock_open(session)
        invitation = (
            SessionInvitation.objects.select_for_update()
            .filter(session=locked, email=email, status=INV.PENDING)
            .first()
        )
        if invitation is None:
            invitation = SessionInvitation(session=locked, email=email, token=secrets.token_urlsafe(32))
        invitation.invited_by = actor if getattr(actor, "pk", None) else None
        invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
        invitation.extra_minutes = extra_minutes or 0
        invitation.time_multiplier = multiplier
        invitation.extra_time_reason = (reason or "").strip()
        invitation.save()
        audit_record(action="session_invitation.sent", target=invitation, actor=actor, data={"email": email})
        _after_commit_send(invitation.pk)
    return invitation


def session_invitation_resend(*, invitation, actor, now=None):
    """Send a pending invitation again, valid for another INVITATION_DAYS from now."""
    now = now or timezone.now()
    with transaction.atomic():
        session_lock_open(invitation.session)
        done = SessionInvitation.objects.filter(pk=invitation.pk, status=INV.PENDING).update(
            expires_at=now + timedelta(days=INVITATION_DAYS)
        )
        if done != 1:
            raise errors.InvalidTransition(_("Only a pending invitation can be sent again."))
        audit_record(action="session_invitation.resent", target=invitation, actor=actor)
        _after_commit_send(invitation.pk)
    invitation.refresh_from_db()
    return invitation


def session_invitation_withdraw(*, invitation, actor, now=None):
    """The trainer takes back a pending invitation; its link stops working."""
    return _respond(invitation=invitation, to=INV.WITHDRAWN, actor=actor, now=now)


def session_invitation_decline(*, invitation, user, now=None):
    """The invited person says no (signed in with the invited address)."""
    _check_addressee(invitation=invitation, user=user)
    return _respond(invitation=invitation, to=INV.DECLINED, actor=user, now=now)


def _respond(*, invitation, to, actor, now):
    now = now or timezone.now()
    with transaction.atomic():
        done = SessionInvitation.objects.filter(pk=invitation.pk, status=INV.PENDING).update(
            status=to, responded_at=now
        )
        if done != 1:
            raise errors.InvalidTransition(_("This invitation is no longer open."))
        audit_record(action=f"session_invitation.{to}", target=invitation, actor=actor)
    invitation.refresh_from_db()
    return invitation


def _check_addressee(*, invitation, user):
    if not invitation_addressed_to(invitation=invitation, user=user):
        raise errors.NotAllowed(
            _(
                "This invitation was sent to another e-mail address: accept it signed in with that address, "
                "once it is verified."
            )
        )


def session_invitation_accept(*, token, user, now=None):
    """The invited person takes the seat (or the next waiting-list place). Returns the participant."""
    now = now or timezone.now()
    invitation = SessionInvitation.objects.select_related("session").filter(token=token).first()
    if invitation is None:
        raise errors.NotAllowed(_("This invitation does not exist."))
    _check_addressee(invitation=invitation, user=user)
    if invitation.status != INV.PENDING:
        raise errors.InvalidTransition(_("This invitation is no longer open."))
    if invitation.is_expired(now):
        raise errors.InvalidTransition(_("This invitation has expired; ask the trainer to send it again."))
    session = invitation.session
    not_a_trainer_check(session, user)
    with transaction.atomic():
        locked = session_lock_open(session)
        done = SessionInvitation.objects.filter(
            pk=invitation.pk, status=INV.PENDING, expires_at__gte=now
        ).update(status=INV.ACCEPTED, responded_at=now, accepted_by=user)
        if done != 1:
            raise errors.InvalidTransition(_("This invitation is no longer open."))
        participant = Participant.objects.select_for_update().filter(session=locked, user=user).first()
        if participant is None:
            participant = Participant(session=locked, user=user)
        if participant.status not in (P.ENROLLED, P.WAITLISTED):
            participant.invited_by = invitation.invited_by
            seat_or_waitlist(locked=locked, participant=participant, now=now)
            participant_notify_on_commit(participant.pk, participant.status)
        if invitation.needs_extra_time:  # as the trainer recorded it with the invitation
            participant = participant_extra_time_set(
                participant=participant,
                actor=invitation.invited_by,
                reason=invitation.extra_time_reason,
                extra_minutes=invitation.extra_minutes,
                multiplier=invitation.time_multiplier,
            )
        SessionInvitation.objects.filter(pk=invitation.pk).update(participant=participant)
        audit_record(
            action="session_invitation.accepted",
            target=invitation,
            actor=user,
            data={"participant": participant.pk, "status": participant.status},
        )
        audit_record(action=f"participant.{participant.status}", target=participant, actor=user)
    return participant
