"""Accreditation of organisations and trainers.

Every status change is a conditional UPDATE on the expected current status
that acts only when exactly one row changed, appends an AccreditationDecision
and an audit entry in the same transaction. A trainer may be accredited for a
certification only while holding a valid certificate of it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record
from certificates.selectors import holds_valid_certificate

from .. import errors
from ..models import Accreditation, AccreditationDecision

S = Accreditation.Status


def _record(*, accreditation, from_status, actor, notes, action):
    accreditation.refresh_from_db()
    AccreditationDecision.objects.create(
        accreditation=accreditation,
        from_status=from_status,
        to_status=accreditation.status,
        valid_from=accreditation.valid_from,
        valid_until=accreditation.valid_until,
        notes=notes,
        decided_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        action=f"accreditation.{action}",
        target=accreditation,
        actor=actor,
        reason=notes,
        data={
            "from": from_status,
            "to": accreditation.status,
            "certification": accreditation.certification.code,
            "valid_from": str(accreditation.valid_from or ""),
            "valid_until": str(accreditation.valid_until or ""),
        },
    )
    return accreditation


def _transition(*, accreditation, allowed_from, actor, notes, action, message, **changes):
    """Move the row from one of `allowed_from` to the values in `changes`, exactly once."""
    with transaction.atomic():
        current = Accreditation.objects.select_for_update().filter(pk=accreditation.pk).first()
        if current is None or current.status not in allowed_from:
            raise errors.InvalidTransition(message)
        done = Accreditation.objects.filter(pk=current.pk, status=current.status).update(**changes)
        if done != 1:
            raise errors.InvalidTransition(message)
        return _record(
            accreditation=accreditation, from_status=current.status, actor=actor, notes=notes, action=action
        )


def trainer_certificate_check(*, trainer, certification):
    if not holds_valid_certificate(trainer.user, certification):
        raise errors.NotAccredited(
            _(
                "%(trainer)s does not hold a valid %(certification)s certificate, which a trainer of it must hold."
            )
            % {"trainer": trainer.display_name, "certification": certification.name}
        )


def accreditation_apply(*, certification, organisation=None, trainer=None, actor=None, notes=""):
    """Apply (or re-apply after a withdrawal, suspension or expiry) for one certification."""
    if (organisation is None) == (trainer is None):
        raise ValueError("Give exactly one of organisation and trainer.")
    party = {"organisation": organisation} if organisation else {"trainer": trainer}
    with transaction.atomic():
        accreditation, created = Accreditation.objects.get_or_create(certification=certification, **party)
        if created:
            return _record(
                accreditation=accreditation, from_status="", actor=actor, notes=notes, action="applied"
            )
    return _transition(
        accreditation=accreditation,
        allowed_from={S.WITHDRAWN, S.EXPIRED, S.SUSPENDED},
        actor=actor,
        notes=notes,
        action="applied",
        message=_("There is already an application or a valid accreditation for this certification."),
        status=S.APPLIED,
    )


def accreditation_decide(*, accreditation, actor, accredit, notes="", valid_from=None, valid_until=None):
    """An examiner's decision on an application (or on reinstating a suspended or
    expired accreditation): accredit for valid_from..valid_until, or refuse."""
    notes = (notes or "").strip()
    if accredit:
        if valid_from is None or valid_until is None or valid_until < valid_from:
            raise errors.InvalidTransition(
                _("Give the validity: a start date and an end date on or after it.")
            )
        if accreditation.trainer_id:
            trainer_certificate_check(
                trainer=accreditation.trainer, certification=accreditation.certification
            )
        return _transition(
            accreditation=accreditation,
            allowed_from={S.APPLIED, S.SUSPENDED, S.EXPIRED},
            actor=actor,
            notes=notes,
            action="accredited",
            message=_("Only an application, or a suspended or expired accreditation, can be accredited."),
            status=S.ACCREDITED,
            valid_from=valid_from,
            valid_until=valid_until,
            decision_notes=notes,
            decided_by=actor,
            decided_at=timezone.now(),
        )
    if not notes:
        raise errors.InvalidTransition(_("Give the reason for refusing the application."))
    return _transition(
        accreditation=accreditation,
        allowed_from={S.APPLIED},
        actor=actor,
        notes=notes,
        action="refused",
        message=_("Only an application can be refused."),
        status=S.WITHDRAWN,
        decision_notes=notes,
        decided_by=actor,
        decided_at=timezone.now(),
    )


def accreditation_suspend(*, accreditation, actor=None, notes):
    notes = (notes or "").strip()
    if not notes:
        raise errors.InvalidTransition(_("Give the reason for the suspension."))
    return _transition(
        accreditation=accreditation,
        allowed_from={S.ACCREDITED},
        actor=actor,
        notes=notes,
        action="suspended",
        message=_("Only a valid accreditation can be suspended."),
        status=S.SUSPENDED,
        decision_notes=notes,
        decided_by=actor,
        decided_at=timezone.now(),
    )


def accreditation_withdraw(*, accreditation, actor, notes):
    notes = (notes or "").strip()
    if not notes:
        raise errors.InvalidTransition(_("Give the reason for the withdrawal."))
    return _transition(
        accreditation=accreditation,
        allowed_from={S.APPLIED, S.ACCREDITED, S.SUSPENDED},
        actor=actor,
        notes=notes,
        action="withdrawn",
        message=_("This accreditation is already withdrawn or expired."),
        status=S.WITHDRAWN,
        decision_notes=notes,
        decided_by=actor,
        decided_at=timezone.now(),
    )


def accreditation_expire(*, accreditation, today=None):
    """Expire an accreditation whose validity has ended (the daily task)."""
    today = today or timezone.localdate()
    if accreditation.valid_until is None or accreditation.valid_until >= today:
        raise errors.InvalidTransition(_("This accreditation is still within its validity."))
    return _transition(
        accreditation=accreditation,
        allowed_from={S.ACCREDITED},
        actor=None,
        notes=f"Validity ended on {accreditation.valid_until:%Y-%m-%d}.",
        action="expired",
        message=_("Only a valid accreditation can expire."),
        status=S.EXPIRED,
    )


def accreditations_suspend_without_certificate(*, user, certification, reason):
    """Suspend the user's trainer accreditations of `certification` (call inside the
    transaction that took the certificate away). Returns how many were suspended."""
    count = 0
    for accreditation in Accreditation.objects.filter(
        trainer__user=user, certification=certification, status=S.ACCREDITED
    ):
        if holds_valid_certificate(user, certification):
            break
        try:
            accreditation_suspend(accreditation=accreditation, actor=None, notes=reason)
            count += 1
        except errors.InvalidTransition:
            continue
    return count
