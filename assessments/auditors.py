"""The auditor register: examiners accredit the people who audit providers. Every change is
guarded (UPDATE … WHERE state = old), appended to the accreditation's history with who, when and
why, and audited. The prerequisite certification (setting AUDITOR_REQUIRES_CERTIFICATION, e.g.
"EXP") is checked whenever an accreditation becomes or stays active with new dates."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_examiner
from accounts.services import audit_record

from . import errors
from .models import AuditorAccreditation, AuditorAccreditationChange

STATE = AuditorAccreditation.State
REASON_MAX = 2000
# Which state may follow which (a change of dates alone keeps the state).
TRANSITIONS = {
    STATE.ACTIVE: {STATE.SUSPENDED, STATE.WITHDRAWN},
    STATE.SUSPENDED: {STATE.ACTIVE, STATE.WITHDRAWN},
    STATE.WITHDRAWN: {STATE.ACTIVE},
}


def _examiner_check(actor):
    if not is_examiner(actor):
        raise errors.NotAllowed(_("Only examiners manage the auditor register."))


def _reason_clean(reason):
    reason = (reason or "").strip()
    if not reason:
        raise errors.InvalidInput(_("Say why (it is kept in the accreditation's history)."), field="notes")
    if len(reason) > REASON_MAX:
        raise errors.InvalidInput(_("The reason is at most 2000 characters."), field="notes")
    return reason


def _dates_check(valid_from, valid_until):
    if valid_from is None or valid_until is None:
        raise errors.InvalidInput(_("Give the first and the last day of validity."), field="valid_until")
    if valid_until < valid_from:
        raise errors.InvalidInput(_("The accreditation cannot end before it begins."), field="valid_until")


def auditor_prerequisite_check(*, user):
    """Refuse when the configured prerequisite certification is not held, valid, by the person."""
    code = getattr(settings, "AUDITOR_REQUIRES_CERTIFICATION", "")
    if not code:
        return
    from certificates.selectors import holds_valid_certificate
    from exams.models import Certification

    certification = Certification.objects.filter(code=code).first()
    if certification is None or not holds_valid_certificate(user, certification):
        raise errors.AuditorNotEligible(
            _("An auditor must hold a valid %(code)s certificate; %(email)s does not.")
            % {"code": code, "email": user.email},
            field="user",
        )


def _history(accreditation, *, from_state, actor, reason, now):
    AuditorAccreditationChange.objects.create(
        accreditation=accreditation,
        from_state=from_state,
        to_state=accreditation.state,
        valid_from=accreditation.valid_from,
        valid_until=accreditation.valid_until,
        reason=reason,
        changed_by=actor,
        at=now,
    )
    audit_record(
        action="auditor_accreditation.changed",
        target=accreditation,
        actor=actor,
        reason=reason,
        data={
            "state": [from_state, accreditation.state],
            "valid_from": accreditation.valid_from.isoformat(),
            "valid_until": accreditation.valid_until.isoformat(),
        },
    )


def auditor_accreditation_grant(*, user, valid_from, valid_until, actor, reason, now=None):
    """An examiner puts a person in the register, active from valid_from to valid_until."""
    _examiner_check(actor)
    reason = _reason_clean(reason)
    _dates_check(valid_from, valid_until)
    if user is None:
        raise errors.InvalidInput(_("Choose the person."), field="user")
    auditor_prerequisite_check(user=user)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            accreditation = AuditorAccreditation.objects.create(
                user=user,
                state=STATE.ACTIVE,
                valid_from=valid_from,
                valid_until=valid_until,
                notes=reason,
                changed_by=actor,
                changed_at=now,
            )
            _history(accreditation, from_state="", actor=actor, reason=reason, now=now)
    except IntegrityError:
        raise errors.InvalidInput(
            _("This person is already in the auditor register: change that accreditation instead."),
            field="user",
        ) from None
    return accreditation


def auditor_accreditation_change(*, accreditation, actor, state, valid_from, valid_until, reason, now=None):
    """An examiner suspends, withdraws, reinstates or renews an accreditation (with a reason)."""
    _examiner_check(actor)
    reason = _reason_clean(reason)
    _dates_check(valid_from, valid_until)
    if state not in STATE.values:
        raise errors.InvalidInput(_("Choose a state."), field="state")
    now = now or timezone.now()
    with transaction.atomic():
        current = AuditorAccreditation.objects.select_for_update().get(pk=accreditation.pk)
        before = current.state
        same_dates = (current.valid_from, current.valid_until) == (valid_from, valid_until)
        if state == before and same_dates:
            raise errors.InvalidInput(_("Nothing to change: choose another state or other dates."))
        if state != before and state not in TRANSITIONS[before]:
            raise errors.InvalidTransition(
                _("A %(before)s accreditation cannot become %(after)s.")
                % {"before": STATE(before).label, "after": STATE(state).label},
                field="state",
            )
        if state == STATE.ACTIVE:
            auditor_prerequisite_check(user=current.user)
        done = AuditorAccreditation.objects.filter(pk=current.pk, state=before).update(
            state=state,
            valid_from=valid_from,
            valid_until=valid_until,
            notes=reason,
            changed_by=actor,
            changed_at=now,
        )
        if done != 1:
            raise errors.InvalidTransition()
        current.refresh_from_db()
        _history(current, from_state=before, actor=actor, reason=reason, now=now)
    return current
