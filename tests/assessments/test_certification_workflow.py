"""The audited certification workflow, service by service: application, assignment with conflict
of interest, the independent audit with its plan and findings, completion, and the four-eyes
decision recorded exactly once."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import certification, errors, services
from assessments import certification_selectors as cs
from assessments.models import (
    Assessment,
    CertificationApplication,
    CertificationGrant,
    CertificationLevel,
    Finding,
)
from assessments.signals import organisation_certification_granted
from tests.factories import UserFactory

from .conftest import accredit, audit_completed, audit_started, item, score_all

pytestmark = pytest.mark.django_db
APP = CertificationApplication.State


def _level(code):
    return CertificationLevel.objects.get(code=code)


# --- application -----------------------------------------------------------------------------


def test_owner_applies_and_the_step_is_recorded(application, owner):
    assert application.state == APP.SUBMITTED
    event = application.events.get()
    assert (event.action, event.actor, event.to_state) == ("submitted", owner, APP.SUBMITTED)


def test_only_the_sms_owner_applies(provider, assessor, outsider, instrument):
    for person in (assessor, outsider):
        with pytest.raises(errors.NotAllowed):
            certification.application_submit(
                provider=provider, level=_level("plus"), scope_statement="All services", actor=person
            )
    assert not CertificationApplication.objects.exists()


@pytest.mark.parametrize("statement", ["", "   ", "x" * 4001])
def test_the_scope_statement_is_1_to_4000_characters(provider, owner, instrument, statement):
    with pytest.raises(errors.InvalidInput) as exc:
        certification.application_submit(
            provider=provider, level=_level("plus"), scope_statement=statement, actor=owner
        )
    assert exc.value.field == "scope_statement"


def test_a_4000_character_scope_statement_is_accepted(provider, owner, instrument):
    application = certification.application_submit(
        provider=provider, level=_level("plus"), scope_statement="x" * 4000, actor=owner
    )
    assert len(application.scope_statement) == 4000


def test_the_self_assessment_must_be_a_submitted_one_of_the_provider(provider, owner, assessment):
    with pytest.raises(errors.InvalidInput) as exc:
        certification.application_submit(
            provider=provider,
            level=_level("plus"),
            scope_statement="All",
            actor=owner,
            self_assessment=assessment,
        )
    assert exc.value.field == "self_assessment"
    score_all(assessment, owner)
    services.assessment_submit(assessment=assessment, actor=owner)
    application = certification.application_submit(
        provider=provider,
        level=_level("plus"),
        scope_statement="All",
        actor=owner,
        self_assessment=assessment,
    )
    assert application.self_assessment == assessment


def test_one_open_application_per_provider(application, provider, owner):
    with pytest.raises(errors.InvalidTransition):
        certification.application_submit(
            provider=provider, level=_level("plus"), scope_statement="All", actor=owner
        )
    certification.application_withdraw(application=application, actor=owner, reason="Wrong level")
    again = certification.application_submit(
        provider=provider, level=_level("plus"), scope_statement="All", actor=owner
    )
    assert again.state == APP.SUBMITTED


def test_the_owner_withdraws_before_the_decision_but_not_after(
    application, owner, assessor, examiner, auditor
):
    with pytest.raises(errors.NotAllowed):
        certification.application_withdraw(application=application, actor=assessor)
    application = audit_started(application, examiner, auditor)
    withdrawn = certification.application_withdraw(application=application, actor=owner, reason="Not now")
    assert withdrawn.state == APP.WITHDRAWN and withdrawn.withdrawn_by == owner
    with pytest.raises(errors.InvalidTransition):
        certification.application_withdraw(application=withdrawn, actor=owner)


def test_a_decided_application_cannot_be_withdrawn(application, owner, examiner, second_examiner, auditor):
    application = audit_completed(application, examiner, auditor)
    certification.application_decide(
        application=application, actor=second_examiner, outcome="refused", reasons="No"
    )
    with pytest.raises(errors.AlreadyDecided):
        certification.application_withdraw(application=application, actor=owner)


# --- assignment and conflict of interest -----------------------------------------------------


def test_examiner_assigns_an_accredited_auditor(application, examiner, auditor):
    assigned = certification.application_auditor_assign(
        application=application, auditor=auditor, actor=examiner
    )
    assert assigned.state == APP.AUDITOR_ASSIGNED and assigned.lead_auditor == auditor
    assert assigned.events.last().action == "auditor_assigned"


def test_only_examiners_assign(application, owner, auditor):
    with pytest.raises(errors.NotAllowed):
        certification.application_auditor_assign(application=application, auditor=auditor, actor=owner)


def test_an_unaccredited_suspended_or_expired_auditor_cannot_be_assigned(application, examiner):
    from assessments import auditors

    nobody = UserFactory()
    expired = UserFactory()
    accredit(expired, examiner, days_before=400, days_after=-1)
    suspended = UserFactory()
    accreditation = accredit(suspended, examiner)
    auditors.auditor_accreditation_change(
        accreditation=accreditation,
        actor=examiner,
        state="suspended",
        valid_from=accreditation.valid_from,
        valid_until=accreditation.valid_until,
        reason="Complaint",
    )
    for person in (nobody, expired, suspended):
        with pytest.raises(errors.AuditorNotEligible) as exc:
            certification.application_auditor_assign(application=application, auditor=person, actor=examiner)
        assert "accreditation" in exc.value.detail
    application.refresh_from_db()
    assert application.state == APP.SUBMITTED and application.lead_auditor is None


def test_a_member_of_the_provider_cannot_be_its_auditor(application, examiner, assessor):
    accredit(assessor, examiner)
    with pytest.raises(errors.AuditorNotEligible) as exc:
        certification.application_auditor_assign(application=application, auditor=assessor, actor=examiner)
    assert "member" in exc.value.detail
    assert assessor not in cs.eligible_auditors(application=application)


def test_assigning_twice_is_refused(application, examiner, auditor):
    other = UserFactory()
    accredit(other, examiner)
    certification.application_auditor_assign(application=application, auditor=auditor, actor=examiner)
    with pytest.raises(errors.InvalidTransition):
        certification.application_auditor_assign(application=application, auditor=other, actor=examiner)
    application.refresh_from_db()
    assert application.lead_auditor == auditor


def test_no_conflict_starts_the_audit_on_a_new_audit_assessment(application, examiner, auditor):
    application = audit_started(application, examiner, auditor)
    assert application.state == APP.AUDIT_IN_PROGRESS
    audit = application.audit_assessment
    assert audit.kind == Assessment.Kind.AUDIT and audit.provider == application.provider
    assert application.declarations.get().has_conflict is False


def test_only_the_assigned_auditor_declares(application, examiner, auditor, owner):
    certification.application_auditor_assign(application=application, auditor=auditor, actor=examiner)
    with pytest.raises(errors.NotAllowed):
        certification.application_declare(application=application, actor=owner, has_conflict=False)


def test_a_declared_conflict_ends_the_assignment_and_blocks_it_for_good(application, examiner, auditor):
    certification.application_auditor_assign(application=application, auditor=auditor, actor=examiner)
    with pytest.raises(errors.InvalidInput):
        certification.application_declare(
            application=application, actor=auditor, has_conflict=True, statement=""
        )
    back = certification.application_declare(
        application=application, actor=auditor, has_conflict=True, statement="I advised them last year"
    )
    assert back.state == APP.SUBMITTED and back.lead_auditor is None and back.audit_assessment is None
    assert auditor not in cs.eligible_auditors(application=back)
    with pytest.raises(errors.AuditorNotEligible) as exc:
        certification.application_auditor_assign(application=back, auditor=auditor, actor=examiner)
    assert "conflict" in exc.value.detail


# --- the audit -------------------------------------------------------------------------------


def test_the_audit_is_scored_independently_of_the_self_assessment(
    provider, owner, assessment, examiner, auditor
):
    score_all(assessment, owner, value=4)
    services.assessment_submit(assessment=assessment, actor=owner)
    application = certification.application_submit(
        provider=provider,
        level=_level("essentials"),
        scope_statement="All",
        actor=owner,
        self_assessment=assessment,
    )
    application = audit_started(application, examiner, auditor)
    audit = application.audit_assessment
    assert audit.scores.count() == 0
    first = item("PR1.1")
    services.assessment_score_save(assessment=audit, item=first, score=2, seq=1, actor=auditor)
    assert assessment.scores.get(item=first).score == 4
    assert audit.scores.get(item=first).score == 2


def test_provider_members_never_write_to_the_audit_and_the_auditor_never_to_the_self_assessment(
    application, examiner, auditor, owner, assessor, assessment
):
    application = audit_started(application, examiner, auditor)
    audit = application.audit_assessment
    for person in (owner, assessor, examiner):
        with pytest.raises(errors.NotAllowed):
            services.assessment_score_save(assessment=audit, item=item("PR1.1"), score=4, seq=1, actor=person)
    with pytest.raises(errors.NotAllowed):
        services.assessment_score_save(
            assessment=assessment, item=item("PR1.1"), score=4, seq=1, actor=auditor
        )


def test_the_auditor_sets_the_audit_scope(application, examiner, auditor, owner):
    from .conftest import scope_entries

    application = audit_started(application, examiner, auditor)
    audit = application.audit_assessment
    changed = services.assessment_scope_set(
        assessment=audit,
        actor=auditor,
        entries=scope_entries(audit, PR9={"in_scope": False, "reason": "Not in the scope statement"}),
    )
    assert "PR9" in changed
    with pytest.raises(errors.NotAllowed):
        services.assessment_scope_set(assessment=audit, actor=owner, entries=scope_entries(audit))


def test_an_audit_is_not_submitted_on_its_own(application, examiner, auditor):
    application = audit_started(application, examiner, auditor)
    with pytest.raises(errors.InvalidTransition):
        services.assessment_submit(assessment=application.audit_assessment, actor=auditor)


def test_the_auditor_keeps_the_audit_plan(application, examiner, auditor, owner):
    application = audit_started(application, examiner, auditor)
    entry = certification.plan_entry_add(
        application=application,
        actor=auditor,
        day=date(2026, 5, 4),
        location="Berlin head office",
        interviewees="SMS owner; incident manager",
        topics="PR6, PR12",
    )
    assert list(cs.application_plan(application)) == [entry]
    with pytest.raises(errors.NotAllowed):
        certification.plan_entry_add(
            application=application, actor=owner, day=date(2026, 5, 4), location="x", interviewees="y"
        )
    with pytest.raises(errors.InvalidInput):
        certification.plan_entry_add(
            application=application, actor=auditor, day=date(2026, 5, 4), location="", interviewees="y"
        )
    certification.plan_entry_remove(entry=entry, actor=auditor)
    assert cs.application_plan(application) == []


def test_the_plan_is_kept_only_while_the_audit_runs(application, examiner, auditor):
    certification.application_auditor_assign(application=application, auditor=auditor, actor=examiner)
    with pytest.raises(errors.InvalidTransition):
        certification.plan_entry_add(
            application=application, actor=auditor, day=date(2026, 5, 4), location="x", interviewees="y"
        )


def _raise(application, auditor, kind, code="PR6.1", **extra):
    return certification.finding_raise(
        application=application,
        actor=auditor,
        item=item(code),
        kind=kind,
        description=f"{kind} finding",
        evidence="Interviewed the incident manager",
        **extra,
    )


def test_findings_of_each_kind_tied_to_an_item_with_evidence(application, examiner, auditor):
    application = audit_started(application, examiner, auditor)
    major = _raise(application, auditor, "major", evidence_links=["https://intranet.example/records"])
    observation = _raise(application, auditor, "observation", code="GR1.1")
    assert major.state == Finding.State.OPEN and major.evidence_links == ["https://intranet.example/records"]
    assert observation.state == Finding.State.NOTED and observation.item.code == "GR1.1"
    with pytest.raises(errors.InvalidInput):
        _raise(application, auditor, "major", evidence_links=["javascript:alert(1)"])
    with pytest.raises(errors.InvalidInput):
        _raise(application, auditor, "severe")


def test_only_the_lead_auditor_raises_findings(application, examiner, auditor, owner):
    application = audit_started(application, examiner, auditor)
    for person in (owner, examiner):
        with pytest.raises(errors.NotAllowed):
            _raise(application, person, "minor")


def test_provider_answers_and_auditor_rejects_then_accepts(application, examiner, auditor, owner, assessor):
    application = audit_started(application, examiner, auditor)
    finding = _raise(application, auditor, "minor")
    with pytest.raises(errors.NotAllowed):
        certification.finding_answer(finding=finding, actor=assessor, text="We will")
    with pytest.raises(errors.NotAllowed):
        certification.finding_answer(finding=finding, actor=auditor, text="We will")
    certification.finding_answer(finding=finding, actor=owner, text="Introduce a weekly review")
    assert finding.state == Finding.State.ANSWERED
    with pytest.raises(errors.InvalidTransition):
        certification.finding_answer(finding=finding, actor=owner, text="Twice")
    with pytest.raises(errors.InvalidInput):
        certification.finding_review(finding=finding, actor=auditor, accept=False, notes="")
    with pytest.raises(errors.NotAllowed):
        certification.finding_review(finding=finding, actor=owner, accept=True)
    certification.finding_review(finding=finding, actor=auditor, accept=False, notes="No owner named")
    assert finding.state == Finding.State.OPEN
    certification.finding_answer(finding=finding, actor=owner, text="Weekly review led by the SMS owner")
    certification.finding_review(finding=finding, actor=auditor, accept=True)
    assert finding.state == Finding.State.CLOSED
    assert list(finding.actions.values_list("review", flat=True)) == ["rejected", "accepted"]


def test_an_observation_needs_no_answer(application, examiner, auditor, owner):
    application = audit_started(application, examiner, auditor)
    observation = _raise(application, auditor, "observation")
    with pytest.raises(errors.InvalidTransition):
        certification.finding_answer(finding=observation, actor=owner, text="Noted")


def test_an_open_major_nonconformity_blocks_completion_until_accepted(application, examiner, auditor, owner):
    application = audit_started(application, examiner, auditor)
    score_all(application.audit_assessment, auditor)
    major = _raise(application, auditor, "major")
    _raise(application, auditor, "minor", code="PR2.1")  # an open minor does not block
    with pytest.raises(errors.AuditOpen) as exc:
        certification.audit_complete(application=application, actor=auditor, recommendation="granted")
    assert "PR6.1" in exc.value.detail
    certification.finding_answer(finding=major, actor=owner, text="Fixed")
    with pytest.raises(errors.AuditOpen):
        certification.audit_complete(application=application, actor=auditor, recommendation="granted")
    certification.finding_review(finding=major, actor=auditor, accept=True)
    done = certification.audit_complete(application=application, actor=auditor, recommendation="granted")
    assert done.state == APP.AUDIT_COMPLETED and done.recommendation == "granted"


def test_every_item_in_scope_is_scored_before_completion(application, examiner, auditor):
    application = audit_started(application, examiner, auditor)
    services.assessment_score_save(
        assessment=application.audit_assessment, item=item("PR1.1"), score=4, seq=1, actor=auditor
    )
    with pytest.raises(errors.AuditOpen) as exc:
        certification.audit_complete(application=application, actor=auditor, recommendation="granted")
    assert "not scored" in exc.value.detail


def test_completion_locks_the_audit_and_the_findings(application, examiner, auditor, owner):
    application = audit_started(application, examiner, auditor)
    minor = _raise(application, auditor, "minor")
    score_all(application.audit_assessment, auditor)
    application = certification.audit_complete(
        application=application, actor=auditor, recommendation="granted"
    )
    assert application.audit_assessment.state == Assessment.State.SUBMITTED
    with pytest.raises((errors.NotAllowed, errors.AssessmentLocked)):
        services.assessment_score_save(
            assessment=application.audit_assessment, item=item("PR1.1"), score=1, seq=10**6, actor=auditor
        )
    with pytest.raises(errors.InvalidTransition):
        certification.finding_answer(finding=minor, actor=owner, text="Late")
    with pytest.raises(errors.InvalidTransition):
        _raise(application, auditor, "minor")


def test_only_the_lead_auditor_completes(application, examiner, auditor, owner):
    application = audit_started(application, examiner, auditor)
    score_all(application.audit_assessment, auditor)
    for person in (owner, examiner):
        with pytest.raises(errors.NotAllowed):
            certification.audit_complete(application=application, actor=person, recommendation="granted")


# --- the decision ----------------------------------------------------------------------------


def test_the_examiner_grants_once_and_the_signal_is_sent_after_commit(
    application, examiner, second_examiner, auditor, django_capture_on_commit_callbacks
):
    application = audit_completed(application, examiner, auditor)
    received = []

    def receiver(sender, application, **kwargs):
        received.append(application.pk)

    organisation_certification_granted.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            decided = certification.application_decide(
                application=application, actor=second_examiner, outcome="granted", reasons="All criteria met"
            )
        assert received == []  # not before the commit
        for callback in callbacks:
            callback()
        assert received == [application.pk]
    finally:
        organisation_certification_granted.disconnect(receiver)
    assert decided.state == APP.DECIDED and decided.granted_level.code == "essentials"
    grant = CertificationGrant.objects.get(application=application)
    assert (grant.level.code, grant.granted_by, grant.scope_statement) == (
        "essentials",
        second_examiner,
        application.scope_statement,
    )
    assert decided.events.last().action == "decided"
    with pytest.raises(errors.AlreadyDecided):
        certification.application_decide(
            application=application, actor=examiner, outcome="refused", reasons="Again"
        )
    assert CertificationGrant.objects.count() == 1


def test_the_lead_auditor_never_decides_even_as_examiner(application, examiner, auditor):
    from accounts.roles import EXAMINER, role_add

    role_add(auditor, EXAMINER)
    application = audit_completed(application, examiner, auditor)
    with pytest.raises(errors.ConflictOfInterest):
        certification.application_decide(
            application=application, actor=auditor, outcome="granted", reasons="Mine"
        )
    application.refresh_from_db()
    assert application.state == APP.AUDIT_COMPLETED


def test_a_member_of_the_provider_never_decides(application, examiner, auditor, owner):
    from accounts.roles import EXAMINER, role_add

    application = audit_completed(application, examiner, auditor)
    role_add(owner, EXAMINER)
    with pytest.raises(errors.ConflictOfInterest):
        certification.application_decide(
            application=application, actor=owner, outcome="granted", reasons="Ours"
        )


def test_only_examiners_decide_and_only_after_the_audit(
    application, examiner, second_examiner, auditor, owner
):
    with pytest.raises(errors.InvalidTransition):
        certification.application_decide(
            application=application, actor=second_examiner, outcome="granted", reasons="Early"
        )
    application = audit_completed(application, examiner, auditor)
    with pytest.raises(errors.NotAllowed):
        certification.application_decide(
            application=application, actor=UserFactory(), outcome="granted", reasons="x"
        )
    with pytest.raises(errors.InvalidInput):
        certification.application_decide(
            application=application, actor=second_examiner, outcome="granted", reasons=""
        )


def test_plus_may_be_granted_at_essentials(provider, owner, instrument, examiner, second_examiner, auditor):
    application = certification.application_submit(
        provider=provider, level=_level("plus"), scope_statement="All services", actor=owner
    )
    application = audit_completed(application, examiner, auditor, value=3)
    advice = cs.decision_advice(application)
    assert [r["level"].code for r in advice] == ["plus", "essentials"]
    decided = certification.application_decide(
        application=application, actor=second_examiner, outcome="granted_lower", reasons="Plus not reached"
    )
    assert decided.outcome == "granted_lower" and decided.granted_level.code == "essentials"
    assert set(decided.readiness_advice) == {"plus", "essentials"}
    assert CertificationGrant.objects.get(application=decided).level.code == "essentials"


def test_there_is_no_lower_level_below_essentials(application, examiner, second_examiner, auditor):
    application = audit_completed(application, examiner, auditor)
    with pytest.raises(errors.InvalidInput):
        certification.application_decide(
            application=application, actor=second_examiner, outcome="granted_lower", reasons="Lower"
        )


def test_a_refusal_records_no_grant_and_sends_no_signal(
    application, examiner, second_examiner, auditor, django_capture_on_commit_callbacks
):
    application = audit_completed(application, examiner, auditor)
    with django_capture_on_commit_callbacks() as callbacks:
        decided = certification.application_decide(
            application=application, actor=second_examiner, outcome="refused", reasons="Evidence missing"
        )
    assert callbacks == []
    assert decided.outcome == "refused" and decided.granted_level is None
    assert not CertificationGrant.objects.exists()


def test_readiness_advice_is_computed_on_the_audit_not_the_self_assessment(
    provider, owner, assessment, examiner, auditor
):
    score_all(assessment, owner, value=4)
    services.assessment_submit(assessment=assessment, actor=owner)
    application = certification.application_submit(
        provider=provider,
        level=_level("essentials"),
        scope_statement="All",
        actor=owner,
        self_assessment=assessment,
    )
    application = audit_completed(application, examiner, auditor, value=2)
    (essentials,) = cs.decision_advice(application)
    assert essentials["ready"] is False


# --- the database's own guard ----------------------------------------------------------------


def test_the_database_refuses_a_decision_by_the_lead_auditor(application, examiner, auditor):
    application = audit_completed(application, examiner, auditor)
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationApplication.objects.filter(pk=application.pk).update(
            state=APP.DECIDED,
            outcome="refused",
            decided_by=auditor,
            decided_at=timezone.now(),
        )


def test_the_database_refuses_a_decision_outside_the_decided_state(application, examiner):
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationApplication.objects.filter(pk=application.pk).update(
            outcome="granted", decided_by=examiner, decided_at=timezone.now() - timedelta(minutes=1)
        )


def test_the_database_refuses_a_second_grant(application, examiner, second_examiner, auditor):
    application = audit_completed(application, examiner, auditor)
    certification.application_decide(
        application=application, actor=second_examiner, outcome="granted", reasons="ok"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificationGrant.objects.create(
            application=application,
            provider=application.provider,
            level=application.level,
            scope_statement="again",
            granted_by=second_examiner,
            granted_at=timezone.now(),
        )
