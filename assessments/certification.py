"""Writes of the audited organisational certification. An application moves

    submitted → auditor_assigned → audit_in_progress → audit_completed → decided
    (and → withdrawn by the provider, from any state before the decision)

only by conditional UPDATEs (… WHERE state = expected), each in one transaction with its event
row (who, when, what, from → to). Nobody judges their own case: the lead auditor is accredited,
not a member of the provider and has declared no conflict of interest; the decision is an
examiner's who is neither the lead auditor (also a database constraint) nor a member. A grant is
recorded once (CertificationGrant, unique per application) and announced by the signal
`organisation_certification_granted` after the transaction commits."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_examiner

from . import certification_selectors as cs
from . import errors, selectors, services
from .models import (
    SCOPE_STATEMENT_MAX,
    ApplicationEvent,
    Assessment,
    AuditPlanEntry,
    CertificationApplication,
    CertificationGrant,
    CertificationLevel,
    ConflictDeclaration,
    CorrectiveAction,
    Finding,
    ProviderMembership,
)
from .signals import organisation_certification_granted

APP = CertificationApplication.State
OUTCOME = CertificationApplication.Outcome
TEXT_MAX = 4000
LINKS_MAX = 10
OPEN_STATES = (APP.SUBMITTED, APP.AUDITOR_ASSIGNED, APP.AUDIT_IN_PROGRESS, APP.AUDIT_COMPLETED)


def _event(application, *, action, actor, now, from_state="", to_state="", data=None):
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        at=now,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )


def _text(value, *, field, required=True, limit=TEXT_MAX, what=None):
    value = (value or "").strip()
    if required and not value:
        raise errors.InvalidInput(what or _("This field is required."), field=field)
    if len(value) > limit:
        raise errors.InvalidInput(_("At most %(limit)s characters, please.") % {"limit": limit}, field=field)
    return value


def _move(application, *, expected, now, actor, action, data=None, **changes):
    """Move the application from one of `expected` to changes["state"]; refused when another
    request moved it first (nothing changes then)."""
    expected = (expected,) if isinstance(expected, str) else tuple(expected)
    current = (
        CertificationApplication.objects.filter(pk=application.pk).values_list("state", flat=True).first()
    )
    done = CertificationApplication.objects.filter(pk=application.pk, state__in=expected).update(**changes)
    if done != 1:
        if current == APP.DECIDED:
            raise errors.AlreadyDecided()
        raise errors.InvalidTransition(
            _("That is not possible now: the application is %(state)s.")
            % {"state": APP(current).label.lower()}
        )
    _event(
        application,
        action=action,
        actor=actor,
        now=now,
        from_state=current,
        to_state=changes["state"],
        data=data,
    )
    application.refresh_from_db()
    return application


def _owner_check(application_or_provider, actor, detail=None):
    provider = getattr(application_or_provider, "provider", application_or_provider)
    membership = selectors.membership_of(provider=provider, user=actor)
    if membership is None or membership.role != ProviderMembership.Role.SMS_OWNER:
        raise errors.NotAllowed(detail or _("Only the provider's SMS owner may do this."))


def _auditor_check(application, actor):
    if actor is None or application.lead_auditor_id != actor.pk:
        raise errors.NotAllowed(_("Only the application's lead auditor may do this."))


def _examiner_check(actor):
    if not is_examiner(actor):
        raise errors.NotAllowed(_("Only examiners of the certification body may do this."))


# --- the provider ----------------------------------------------------------------------------


def application_submit(*, provider, level, scope_statement, actor, self_assessment=None, now=None):
    """The SMS owner applies for a level with a scope statement, optionally based on one of the
    provider's submitted self-assessments. One open application per provider."""
    _owner_check(provider, actor, _("Only the provider's SMS owner applies for certification."))
    if not isinstance(level, CertificationLevel):
        raise errors.InvalidInput(_("Choose the level of certification."), field="level")
    scope_statement = _text(
        scope_statement,
        field="scope_statement",
        limit=SCOPE_STATEMENT_MAX,
        what=_(
            "Describe the scope: which services, sites and organisational units the certification covers."
        ),
    )
    if self_assessment is not None and not (
        self_assessment.provider_id == provider.pk
        and self_assessment.kind == Assessment.Kind.SELF
        and self_assessment.state == Assessment.State.SUBMITTED
    ):
        raise errors.InvalidInput(
            _("Choose one of this provider's submitted self-assessments."), field="self_assessment"
        )
    now = now or timezone.now()
    try:
        with transaction.atomic():
            application = CertificationApplication.objects.create(
                provider=provider,
                level=level,
                scope_statement=scope_statement,
                self_assessment=self_assessment,
                applied_by=actor,
                applied_at=now,
            )
            _event(
                application,
                action="submitted",
                actor=actor,
                now=now,
                to_state=APP.SUBMITTED,
                data={"level": level.code, "self_assessment": getattr(self_assessment, "pk", None)},
            )
    except IntegrityError:
        raise errors.InvalidTransition(
            _("This provider already has an open application; withdraw it or wait for its decision.")
        ) from None
    return application


def application_withdraw(*, application, actor, reason="", now=None):
    """The SMS owner withdraws the application, at any time before the decision."""
    _owner_check(application, actor)
    reason = _text(reason, field="reason", required=False)
    now = now or timezone.now()
    with transaction.atomic():
        return _move(
            application,
            expected=OPEN_STATES,
            now=now,
            actor=actor,
            action="withdrawn",
            data={"reason": reason},
            state=APP.WITHDRAWN,
            withdrawn_by=actor,
            withdrawn_at=now,
        )


def finding_answer(*, finding, actor, text, now=None):
    """The SMS owner answers an open nonconformity with a corrective action (while the audit runs)."""
    application = finding.application
    _owner_check(application, actor, _("Only the provider's SMS owner answers a nonconformity."))
    text = _text(text, field="text", what=_("Describe the corrective action."))
    now = now or timezone.now()
    with transaction.atomic():
        if (
            CertificationApplication.objects.select_for_update().get(pk=application.pk).state
            != APP.AUDIT_IN_PROGRESS
        ):
            raise errors.InvalidTransition(_("Findings are answered while the audit is in progress."))
        done = Finding.objects.filter(pk=finding.pk, state=Finding.State.OPEN).update(
            state=Finding.State.ANSWERED
        )
        if done != 1:
            raise errors.InvalidTransition(_("This finding is not waiting for a corrective action."))
        action = CorrectiveAction.objects.create(
            finding=finding, text=text, proposed_by=actor, proposed_at=now
        )
        _event(
            application,
            action="finding_answered",
            actor=actor,
            now=now,
            data={"finding": finding.pk, "item": finding.item.code},
        )
    finding.refresh_from_db()
    return action


# --- the examiner: assignment and decision ---------------------------------------------------


def application_auditor_assign(*, application, auditor, actor, now=None, today=None):
    """An examiner assigns the lead auditor: accredited (active, unexpired), not a member of the
    provider, no conflict of interest declared for this application. The auditor then declares
    (application_declare) before the audit starts."""
    _examiner_check(actor)
    if auditor is None:
        raise errors.InvalidInput(_("Choose the auditor."), field="auditor")
    reasons = cs.auditor_ineligibility(application=application, user=auditor, today=today)
    if reasons:
        raise errors.AuditorNotEligible(" ".join(reasons), field="auditor")
    now = now or timezone.now()
    with transaction.atomic():
        return _move(
            application,
            expected=APP.SUBMITTED,
            now=now,
            actor=actor,
            action="auditor_assigned",
            data={"auditor": auditor.email},
            state=APP.AUDITOR_ASSIGNED,
            lead_auditor=auditor,
            assigned_by=actor,
            assigned_at=now,
        )


def application_decide(*, application, actor, outcome, reasons, now=None):
    """An examiner decides a completed audit: grant the level applied for, grant the level below,
    or refuse, with reasons. Never the lead auditor, never a member of the provider. Recorded
    once; a grant is announced after the commit."""
    _examiner_check(actor)
    if actor.pk == application.lead_auditor_id:
        raise errors.ConflictOfInterest(_("The lead auditor of an application never decides it."))
    if ProviderMembership.objects.filter(provider=application.provider_id, user=actor).exists():
        raise errors.ConflictOfInterest(_("A member of the provider never decides its certification."))
    if outcome not in OUTCOME.values:
        raise errors.InvalidInput(_("Choose the decision."), field="outcome")
    reasons = _text(reasons, field="reasons", what=_("Give the reasons for the decision."))
    granted_level = None
    if outcome == OUTCOME.GRANTED:
        granted_level = application.level
    elif outcome == OUTCOME.GRANTED_LOWER:
        granted_level = cs.lower_level(application.level)
        if granted_level is None:
            raise errors.InvalidInput(
                _("There is no level below %(level)s.") % {"level": application.level.name}, field="outcome"
            )
    now = now or timezone.now()
    advice = {
        r["level"].code: {"ready": r["ready"], "missing": r["missing"]}
        for r in cs.decision_advice(application)
    }
    with transaction.atomic():
        application = _move(
            application,
            expected=APP.AUDIT_COMPLETED,
            now=now,
            actor=actor,
            action="decided",
            data={"outcome": outcome, "level": getattr(granted_level, "code", None)},
            state=APP.DECIDED,
            outcome=outcome,
            granted_level=granted_level,
            decision_reasons=reasons,
            readiness_advice=advice,
            decided_by=actor,
            decided_at=now,
        )
        if granted_level is not None:
            grant = CertificationGrant.objects.create(
                application=application,
                provider=application.provider,
                level=granted_level,
                scope_statement=application.scope_statement,
                granted_by=actor,
                granted_at=now,
            )
            # First the certificate (from plain values, by the certificates app), then the signal.
            transaction.on_commit(lambda: grant_certificate_issue(grant=grant))
            transaction.on_commit(
                lambda: organisation_certification_granted.send(
                    sender=CertificationApplication, application=application
                )
            )
    return application


# --- the organisation's certificate (issued by the certificates app) ---------------------------


def grant_certificate_issue(*, grant):
    """Have the certificates app issue the certificate of a grant, from plain values (idempotent).
    Called after the decision commits; a failure is logged and left to the sweep
    (grant_certificates_issue_missing), it never undoes the decision. Returns the certificate or None."""
    import logging

    from certificates.organisation_services import organisation_certificate_issue

    owners = ProviderMembership.objects.filter(
        provider=grant.provider_id, role=ProviderMembership.Role.SMS_OWNER
    ).values_list("user__email", flat=True)
    provider, level = grant.provider, grant.level
    try:
        with transaction.atomic():
            certificate, _ = organisation_certificate_issue(
                grant_key=grant.pk,
                organisation_name=provider.name,
                organisation_slug=provider.slug,
                organisation_country=provider.country,
                organisation_website=provider.website,
                level_code=level.code,
                level_name=level.name,
                level_summary=level.summary,
                scope_statement=grant.scope_statement,
                granted_at=grant.granted_at,
                contact_emails=sorted(owners),
                validity_years=level.validity_years,
            )
    except Exception:
        logging.getLogger(__name__).exception(
            "The certificate of grant %s was not issued; the sweep will retry.", grant.pk
        )
        return None
    return certificate


def grant_certificates_issue_missing():
    """The sweep: issue the certificate of every grant that has none yet (a lost call, a worker
    that was down). Idempotent. Returns how many were issued."""
    from certificates.organisation_selectors import issued_grant_keys

    grants = list(CertificationGrant.objects.select_related("provider", "level").order_by("pk"))
    issued = issued_grant_keys(g.pk for g in grants)
    count = 0
    for grant in grants:
        if grant.pk not in issued and grant_certificate_issue(grant=grant) is not None:
            count += 1
    return count


# --- the auditor -----------------------------------------------------------------------------


def application_declare(*, application, actor, has_conflict, statement="", now=None, today=None):
    """The assigned auditor declares. No conflict: the audit starts (its assessment is created on
    the current instrument, scored by the auditor alone). A conflict (with a statement): the
    assignment ends, and this person cannot be assigned to this application again."""
    _auditor_check(application, actor)
    statement = _text(
        statement,
        field="statement",
        required=bool(has_conflict),
        what=_("Describe the conflict of interest."),
    )
    now = now or timezone.now()
    with transaction.atomic():
        locked = CertificationApplication.objects.select_for_update().get(pk=application.pk)
        if locked.state != APP.AUDITOR_ASSIGNED or locked.lead_auditor_id != actor.pk:
            raise errors.InvalidTransition(_("There is no assignment of yours waiting for a declaration."))
        ConflictDeclaration.objects.create(
            application=locked,
            auditor=actor,
            has_conflict=bool(has_conflict),
            statement=statement,
            declared_at=now,
        )
        if has_conflict:
            return _move(
                locked,
                expected=APP.AUDITOR_ASSIGNED,
                now=now,
                actor=actor,
                action="conflict_declared",
                data={"statement": statement},
                state=APP.SUBMITTED,
                lead_auditor=None,
                assigned_by=None,
                assigned_at=None,
            )
        reasons = cs.auditor_ineligibility(application=locked, user=actor, today=today)
        if reasons:
            raise errors.AuditorNotEligible(" ".join(reasons))
        audit = services.assessment_make(
            provider=locked.provider,
            title=_("Audit for %(level)s") % {"level": locked.level.name},
            actor=actor,
            kind=Assessment.Kind.AUDIT,
        )
        return _move(
            locked,
            expected=APP.AUDITOR_ASSIGNED,
            now=now,
            actor=actor,
            action="no_conflict_declared",
            data={"audit_assessment": audit.pk},
            state=APP.AUDIT_IN_PROGRESS,
            audit_assessment=audit,
        )


def _in_progress(application, actor):
    _auditor_check(application, actor)
    locked = CertificationApplication.objects.select_for_update().get(pk=application.pk)
    if locked.state != APP.AUDIT_IN_PROGRESS:
        raise errors.InvalidTransition(_("The audit is not in progress."))
    return locked


def plan_entry_add(*, application, actor, day, location, interviewees, topics="", now=None):
    """The auditor adds a row to the audit plan: a day, a location, whom they interview."""
    if day is None:
        raise errors.InvalidInput(_("Give the day."), field="day")
    location = _text(location, field="location", limit=200, what=_("Give the location (a site, or remote)."))
    interviewees = _text(interviewees, field="interviewees", limit=500, what=_("Say whom you interview."))
    topics = _text(topics, field="topics", required=False, limit=500)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _in_progress(application, actor)
        entry = AuditPlanEntry.objects.create(
            application=locked,
            day=day,
            location=location,
            interviewees=interviewees,
            topics=topics,
            added_by=actor,
        )
        _event(
            locked,
            action="plan_entry_added",
            actor=actor,
            now=now,
            data={"day": day.isoformat(), "location": location},
        )
    return entry


def plan_entry_remove(*, entry, actor, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        locked = _in_progress(entry.application, actor)
        _event(
            locked,
            action="plan_entry_removed",
            actor=actor,
            now=now,
            data={"day": entry.day.isoformat(), "location": entry.location},
        )
        entry.delete()


def _links_clean(links):
    cleaned = []
    for link in links or []:
        link = (link or "").strip()
        if not link:
            continue
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise errors.InvalidInput(
                _("%(link)s is not an http(s) address.") % {"link": link[:100]}, field="evidence_links"
            ) from None
        if len(link) > 1000:
            raise errors.InvalidInput(_("A link is at most 1000 characters."), field="evidence_links")
        cleaned.append(link)
    if len(cleaned) > LINKS_MAX:
        raise errors.InvalidInput(_("At most 10 links per finding."), field="evidence_links")
    return cleaned


def finding_raise(*, application, actor, item, kind, description, evidence="", evidence_links=(), now=None):
    """The auditor records a finding about one requirement item, with its evidence."""
    if kind not in Finding.Kind.values:
        raise errors.InvalidInput(_("Choose the kind of finding."), field="kind")
    description = _text(description, field="description", what=_("Describe the finding."))
    evidence = _text(evidence, field="evidence", required=False)
    links = _links_clean(evidence_links)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _in_progress(application, actor)
        if item is None or item.instrument_id != locked.audit_assessment.instrument_id:
            raise errors.InvalidInput(_("Choose a requirement item of the audit's instrument."), field="item")
        finding = Finding.objects.create(
            application=locked,
            item=item,
            kind=kind,
            state=Finding.State.NOTED if kind == Finding.Kind.OBSERVATION else Finding.State.OPEN,
            description=description,
            evidence=evidence,
            evidence_links=links,
            raised_by=actor,
            raised_at=now,
        )
        _event(
            locked,
            action="finding_raised",
            actor=actor,
            now=now,
            data={"finding": finding.pk, "kind": kind, "item": item.code},
        )
    return finding


def finding_review(*, finding, actor, accept, notes="", now=None):
    """The auditor accepts the proposed corrective action (the finding is closed) or rejects it
    with a reason (the finding waits for another answer)."""
    notes = _text(
        notes, field="notes", required=not accept, what=_("Say why the corrective action is not enough.")
    )
    now = now or timezone.now()
    with transaction.atomic():
        locked = _in_progress(finding.application, actor)
        action = (
            CorrectiveAction.objects.select_for_update()
            .filter(finding=finding, review=CorrectiveAction.Review.PENDING)
            .first()
        )
        to_state = Finding.State.CLOSED if accept else Finding.State.OPEN
        done = Finding.objects.filter(pk=finding.pk, state=Finding.State.ANSWERED).update(state=to_state)
        if done != 1 or action is None:
            raise errors.InvalidTransition(_("This finding has no corrective action waiting for review."))
        CorrectiveAction.objects.filter(pk=action.pk, review=CorrectiveAction.Review.PENDING).update(
            review=CorrectiveAction.Review.ACCEPTED if accept else CorrectiveAction.Review.REJECTED,
            review_notes=notes,
            reviewed_by=actor,
            reviewed_at=now,
        )
        _event(
            locked,
            action="corrective_action_accepted" if accept else "corrective_action_rejected",
            actor=actor,
            now=now,
            data={"finding": finding.pk, "item": finding.item.code, "notes": notes},
        )
    finding.refresh_from_db()
    return finding


def audit_complete(*, application, actor, recommendation, notes="", now=None):
    """The auditor completes the audit with a recommendation: every item in scope scored, every
    major nonconformity closed. The audit assessment is locked with it."""
    if recommendation not in OUTCOME.values:
        raise errors.InvalidInput(_("Choose your recommendation."), field="recommendation")
    if recommendation == OUTCOME.GRANTED_LOWER and cs.lower_level(application.level) is None:
        raise errors.InvalidInput(
            _("There is no level below %(level)s.") % {"level": application.level.name},
            field="recommendation",
        )
    notes = _text(notes, field="notes", required=False)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _in_progress(application, actor)
        blockers = cs.completion_blockers(locked)
        if blockers:
            raise errors.AuditOpen(" ".join(blockers))
        done = Assessment.objects.filter(pk=locked.audit_assessment_id, state=Assessment.State.DRAFT).update(
            state=Assessment.State.SUBMITTED, submitted_at=now, submitted_by=actor
        )
        if done != 1:
            raise errors.AssessmentLocked()
        return _move(
            locked,
            expected=APP.AUDIT_IN_PROGRESS,
            now=now,
            actor=actor,
            action="audit_completed",
            data={"recommendation": recommendation},
            state=APP.AUDIT_COMPLETED,
            recommendation=recommendation,
            recommendation_notes=notes,
            audit_completed_at=now,
        )
