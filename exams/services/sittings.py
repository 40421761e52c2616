"""Sittings and candidate registrations."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext, ngettext

from accounts.roles import is_examiner
from accounts.services import audit_record

from .. import errors
from ..codes import ACCESS_CODE_MIN_LENGTH, access_code_generate, access_code_normalise
from ..models import Attempt, Registration, Sitting
from .attempts import attempt_assemble, attempt_extend, extension_validate
from .bank import blueprint_validate


def sitting_create(
    *,
    certification,
    kind=Sitting.Kind.SCHEDULED,
    created_by=None,
    title="",
    opens_at=None,
    closes_at=None,
    duration_minutes=None,
    access_code=None,
    invigilators=(),
    organisation_name="",
    trainer_name="",
):
    if not certification.is_exam:
        raise errors.InvalidTransition(
            gettext("%(name)s is not earned by exam.") % {"name": certification.name}
        )
    if opens_at and closes_at and closes_at <= opens_at:
        raise errors.InvalidTransition(gettext("The start window must close after it opens."))
    access_code = access_code_check(access_code, kind=kind)
    sitting = Sitting.objects.create(
        certification=certification,
        kind=kind,
        created_by=created_by,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        duration_minutes=duration_minutes,
        access_code=access_code,
        organisation_name=organisation_name,
        trainer_name=trainer_name,
    )
    if invigilators:
        sitting.invigilators.set(invigilators)
    audit_record(action="sitting.created", target=sitting, actor=created_by)
    return sitting


SITTING_EDITABLE = (
    "title",
    "opens_at",
    "closes_at",
    "duration_minutes",
    "access_code",
    "organisation_name",
    "trainer_name",
)


def sitting_update(*, sitting, actor, invigilators=None, **values):
    """Change a sitting that has not opened yet (the CMS form). Its certification and kind are
    fixed once created; an open or closed sitting is changed only by its own transitions."""
    unknown = set(values) - set(SITTING_EDITABLE)
    if unknown:
        raise errors.InvalidTransition(
            gettext("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
        if locked.state != Sitting.State.DRAFT:
            raise errors.InvalidTransition(gettext("Only a sitting that has not opened yet can be edited."))
        if "access_code" in values:
            values["access_code"] = access_code_check(values["access_code"] or None, kind=locked.kind)
        opens_at, closes_at = (
            values.get("opens_at", locked.opens_at),
            values.get("closes_at", locked.closes_at),
        )
        if opens_at and closes_at and closes_at <= opens_at:
            raise errors.InvalidTransition(gettext("The start window must close after it opens."))
        changed = {f: [str(getattr(locked, f)), str(v)] for f, v in values.items() if getattr(locked, f) != v}
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(values) or None)
        if invigilators is not None:
            sitting_invigilators_set(sitting=locked, invigilators=invigilators, actor=actor)
        changed.pop("access_code", None) and changed.update(access_code=["(hidden)", "(changed)"])
        audit_record(action="sitting.updated", target=locked, actor=actor, data=changed)
    return locked


def access_code_check(access_code, *, kind):
    """A scheduled sitting gets a long random access code unless one is given ("" for none);
    a code that is given must be long enough not to be guessed."""
    if access_code is None:
        return access_code_generate() if kind == Sitting.Kind.SCHEDULED else ""
    if access_code and len(access_code_normalise(access_code)) < ACCESS_CODE_MIN_LENGTH:
        raise errors.InvalidTransition(
            gettext(
                "An access code needs at least %(length)d letters or digits; leave it empty "
                "to have one generated."
            )
            % {"length": ACCESS_CODE_MIN_LENGTH}
        )
    return access_code.strip()


def sitting_invigilators_set(*, sitting, invigilators, actor):
    """Invigilators of a sitting are never its candidates."""
    invigilators = list(invigilators)
    candidates = set(sitting.registrations.values_list("user_id", flat=True))
    clash = [u for u in invigilators if u.pk in candidates]
    if clash:
        raise errors.ConflictOfInterest(
            ngettext(
                "%(names)s is registered as a candidate of this sitting and cannot invigilate it.",
                "%(names)s are registered as a candidate of this sitting and cannot invigilate it.",
                len(clash),
            )
            % {"names": ", ".join(u.printed_name for u in clash)}
        )
    with transaction.atomic():
        sitting.invigilators.set(invigilators)
        audit_record(
            action="sitting.invigilators",
            target=sitting,
            actor=actor,
            data={"users": [u.pk for u in invigilators]},
        )


def registration_unlock(*, registration, actor):
    """An invigilator of the sitting (or an examiner) unlocks a registration locked by wrong codes."""
    if actor.pk == registration.user_id:
        raise errors.ConflictOfInterest(gettext("You cannot unlock your own registration."))
    if not (is_examiner(actor) or registration.sitting.invigilators.filter(pk=actor.pk).exists()):
        raise errors.NotFound()
    with transaction.atomic():
        done = Registration.objects.filter(pk=registration.pk, locked_at__isnull=False).update(
            locked_at=None, access_code_failures=0
        )
        if not done:
            raise errors.InvalidTransition(gettext("This registration is not locked."))
        audit_record(action="registration.unlocked", target=registration, actor=actor)
    registration.refresh_from_db()
    return registration


def _pregenerate(sitting):
    """Draw attempts for registered candidates so that starting is a single update."""
    created = 0
    for registration in sitting.registrations.select_related("user"):
        if registration.attempts.exclude(state=Attempt.State.READY).count() >= registration.attempts_allowed:
            continue
        if registration.attempts.filter(state__in=[Attempt.State.READY, Attempt.State.IN_PROGRESS]).exists():
            continue
        try:
            with transaction.atomic():
                attempt_assemble(
                    user=registration.user,
                    certification=sitting.certification,
                    registration=registration,
                    batch=True,
                )
                created += 1
        except IntegrityError:
            continue
    return created


def sitting_open(*, sitting, actor=None, now=None):
    """Open a draft sitting and draw its candidates' attempts. Refused, with the topic that falls
    short, when the approved question bank cannot fill the blueprint."""
    blueprint_validate(sitting.certification)
    with transaction.atomic():
        done = Sitting.objects.filter(pk=sitting.pk, state=Sitting.State.DRAFT).update(
            state=Sitting.State.OPEN
        )
        if not done:
            raise errors.InvalidTransition(gettext("Only a draft sitting can be opened."))
        sitting.refresh_from_db()
        audit_record(action="sitting.opened", target=sitting, actor=actor)
        _pregenerate(sitting)
    return sitting


def sitting_close(*, sitting, actor=None, now=None):
    """Close the start window. Attempts already running go on until their deadline."""
    with transaction.atomic():
        done = Sitting.objects.filter(pk=sitting.pk, state=Sitting.State.OPEN).update(
            state=Sitting.State.CLOSED, closed_at=now
        )
        if not done:
            raise errors.InvalidTransition(gettext("Only an open sitting can be closed."))
        Attempt.objects.filter(registration__sitting=sitting, state=Attempt.State.READY).delete()
        sitting.refresh_from_db()
        audit_record(action="sitting.closed", target=sitting, actor=actor)
    return sitting


def sitting_on_demand_get(*, certification):
    """The always-open on-demand sitting of a certification (created on first use)."""
    sitting = Sitting.objects.filter(
        certification=certification, kind=Sitting.Kind.ON_DEMAND, state=Sitting.State.OPEN
    ).first()
    if sitting:
        return sitting
    try:
        with transaction.atomic():
            return Sitting.objects.create(
                certification=certification,
                kind=Sitting.Kind.ON_DEMAND,
                state=Sitting.State.OPEN,
                title=f"{certification.name} (on demand)",
            )
    except IntegrityError:
        return Sitting.objects.get(
            certification=certification, kind=Sitting.Kind.ON_DEMAND, state=Sitting.State.OPEN
        )


def registration_create(*, sitting, user, attempts_allowed=1, actor=None):
    """Register a candidate (idempotent). In an open sitting the attempt is drawn at once."""
    if sitting.state == Sitting.State.CLOSED:
        raise errors.SittingNotOpen(gettext("This sitting is closed."))
    if sitting.invigilators.filter(pk=user.pk).exists():
        raise errors.ConflictOfInterest(
            gettext("%(name)s invigilates this sitting and cannot be registered as its candidate.")
            % {"name": user.printed_name}
        )
    with transaction.atomic():
        registration, created = Registration.objects.get_or_create(
            sitting=sitting, user=user, defaults={"attempts_allowed": attempts_allowed}
        )
        if created:
            audit_record(action="registration.created", target=registration, actor=actor)
            if sitting.state == Sitting.State.OPEN and sitting.kind == Sitting.Kind.SCHEDULED:
                attempt_assemble(user=user, certification=sitting.certification, registration=registration)
    return registration


def extra_time_check(*, extra_minutes, multiplier):
    """The bounds of extra time (0-240 minutes, a multiplier of 1 to 3), wherever it is recorded.
    Returns the multiplier as a Decimal; raises InvalidTransition with the rule broken."""
    try:
        multiplier = Decimal(str(multiplier))
    except InvalidOperation:
        raise errors.InvalidTransition(
            gettext("The time multiplier must be a number such as 1.25.")
        ) from None
    if not Decimal("1") <= multiplier <= Decimal("3"):
        raise errors.InvalidTransition(gettext("The time multiplier must be between 1 and 3."))
    if not isinstance(extra_minutes, int) or not 0 <= extra_minutes <= 240:
        raise errors.InvalidTransition(gettext("Extra minutes must be between 0 and 240."))
    return multiplier


def extra_time_needs_examiner(*, extra_minutes, multiplier):
    """Above these bounds extra time granted by an invigilator or trainer waits for an examiner."""
    return extra_minutes > settings.EXTRA_TIME_INVIGILATOR_MAX_MINUTES or multiplier > Decimal(
        str(settings.EXTRA_TIME_INVIGILATOR_MAX_MULTIPLIER)
    )


def registration_extra_time_grant(*, registration, actor, reason, extra_minutes=0, multiplier="1"):
    """Reasonable adjustment granted before the exam (minutes and/or a multiplier). Nobody grants
    it to themselves; above the invigilators' bounds it waits for an examiner's approval and the
    standard time applies meanwhile."""
    if actor is not None and actor.pk == registration.user_id:
        raise errors.ConflictOfInterest(gettext("You cannot grant extra time to yourself."))
    multiplier = extra_time_check(extra_minutes=extra_minutes, multiplier=multiplier)
    if not (reason or "").strip():
        raise errors.InvalidTransition(gettext("A reason is required for extra time."))
    pending = not is_examiner(actor) and extra_time_needs_examiner(
        extra_minutes=extra_minutes, multiplier=multiplier
    )
    registration.extra_minutes = extra_minutes
    registration.time_multiplier = multiplier
    registration.extra_time_reason = reason.strip()
    registration.extra_time_granted_by = actor
    registration.extra_time_pending = pending
    registration.extra_time_approved_by = None if pending or actor is None else actor
    with transaction.atomic():
        registration.save(
            update_fields=[
                "extra_minutes",
                "time_multiplier",
                "extra_time_reason",
                "extra_time_granted_by",
                "extra_time_pending",
                "extra_time_approved_by",
            ]
        )
        audit_record(
            action="registration.extra_time_requested" if pending else "registration.extra_time",
            target=registration,
            actor=actor,
            reason=reason,
            data={"extra_minutes": extra_minutes, "multiplier": str(multiplier), "pending": pending},
        )
    return registration


def registration_extra_time_approve(*, registration, actor):
    """An examiner, who is neither the candidate nor the person who granted it, approves
    extra time that waits; it applies to the attempt the candidate starts from now on."""
    if not is_examiner(actor):
        raise errors.NeedsExaminer()
    if actor.pk in (registration.user_id, registration.extra_time_granted_by_id):
        raise errors.ConflictOfInterest(
            gettext(
                "Extra time is approved by an examiner other than the candidate and the person who granted it."
            )
        )
    with transaction.atomic():
        done = Registration.objects.filter(pk=registration.pk, extra_time_pending=True).update(
            extra_time_pending=False, extra_time_approved_by=actor
        )
        if not done:
            raise errors.InvalidTransition(gettext("No extra time waits for approval on this registration."))
        audit_record(action="registration.extra_time_approved", target=registration, actor=actor)
    registration.refresh_from_db()
    return registration


def sitting_extend_all(*, sitting, minutes, reason, actor):
    """Fire alarm: extend every attempt in progress in the sitting."""
    extension_validate(minutes=minutes, reason=reason)
    extended = 0
    for attempt in Attempt.objects.filter(registration__sitting=sitting, state=Attempt.State.IN_PROGRESS):
        try:
            attempt_extend(attempt=attempt, minutes=minutes, reason=reason, actor=actor)
            extended += 1
        except errors.InvalidTransition:
            continue  # submitted or expired since the query: nothing to extend
        except (errors.NeedsExaminer, errors.ConflictOfInterest):
            continue  # beyond this invigilator's cap for that attempt: reported by the count
    with transaction.atomic():
        audit_record(
            action="sitting.extended",
            target=sitting,
            actor=actor,
            reason=reason,
            data={"minutes": minutes, "attempts": extended},
        )
    return extended
