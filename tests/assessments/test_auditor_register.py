"""The auditor register: examiners accredit auditors; every change is guarded, needs a reason and
is kept in the history; the prerequisite certification is configurable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from assessments import auditors, errors
from assessments import certification_selectors as cs
from assessments.models import AuditorAccreditation, AuditorAccreditationChange
from tests.factories import CertificationFactory, UserFactory
from tests.trainers.factories import CertificateFactory

from .conftest import accredit

pytestmark = pytest.mark.django_db
STATE = AuditorAccreditation.State
TODAY = timezone.localdate


def test_examiner_accredits_an_auditor_with_history_and_audit_entry(examiner):
    person = UserFactory()
    accreditation = accredit(person, examiner)
    assert accreditation.state == STATE.ACTIVE
    change = AuditorAccreditationChange.objects.get(accreditation=accreditation)
    assert (change.from_state, change.to_state, change.changed_by) == ("", STATE.ACTIVE, examiner)
    assert change.reason == "Completed the auditor training"
    assert AuditEntry.objects.filter(action="auditor_accreditation.changed", actor=examiner).exists()
    assert cs.auditor_is_accredited(user=person)


def test_only_examiners_accredit(owner):
    with pytest.raises(errors.NotAllowed):
        auditors.auditor_accreditation_grant(
            user=UserFactory(), valid_from=TODAY(), valid_until=TODAY(), actor=owner, reason="x"
        )
    assert not AuditorAccreditation.objects.exists()


def test_grant_needs_a_reason_and_ordered_dates(examiner):
    person = UserFactory()
    with pytest.raises(errors.InvalidInput) as exc:
        auditors.auditor_accreditation_grant(
            user=person, valid_from=TODAY(), valid_until=TODAY(), actor=examiner, reason="  "
        )
    assert exc.value.field == "notes"
    with pytest.raises(errors.InvalidInput) as exc:
        auditors.auditor_accreditation_grant(
            user=person,
            valid_from=TODAY(),
            valid_until=TODAY() - timedelta(days=1),
            actor=examiner,
            reason="ok",
        )
    assert exc.value.field == "valid_until"
    assert not AuditorAccreditation.objects.exists()


def test_a_person_is_in_the_register_once(examiner):
    person = UserFactory()
    accredit(person, examiner)
    with pytest.raises(errors.InvalidInput) as exc:
        accredit(person, examiner)
    assert "already" in exc.value.detail


def test_suspend_reinstate_withdraw_each_kept_with_who_and_why(examiner, second_examiner):
    accreditation = accredit(UserFactory(), examiner)
    dates = {"valid_from": accreditation.valid_from, "valid_until": accreditation.valid_until}
    auditors.auditor_accreditation_change(
        accreditation=accreditation, actor=second_examiner, state=STATE.SUSPENDED, reason="Complaint", **dates
    )
    assert not cs.auditor_is_accredited(user=accreditation.user)
    auditors.auditor_accreditation_change(
        accreditation=accreditation, actor=examiner, state=STATE.ACTIVE, reason="Cleared", **dates
    )
    auditors.auditor_accreditation_change(
        accreditation=accreditation, actor=examiner, state=STATE.WITHDRAWN, reason="Retired", **dates
    )
    rows = list(accreditation.changes.values_list("from_state", "to_state", "reason", "changed_by"))
    assert rows == [
        ("", "active", "Completed the auditor training", examiner.pk),
        ("active", "suspended", "Complaint", second_examiner.pk),
        ("suspended", "active", "Cleared", examiner.pk),
        ("active", "withdrawn", "Retired", examiner.pk),
    ]


def test_a_change_without_a_reason_or_without_change_is_refused(examiner):
    accreditation = accredit(UserFactory(), examiner)
    dates = {"valid_from": accreditation.valid_from, "valid_until": accreditation.valid_until}
    with pytest.raises(errors.InvalidInput):
        auditors.auditor_accreditation_change(
            accreditation=accreditation, actor=examiner, state=STATE.SUSPENDED, reason="", **dates
        )
    with pytest.raises(errors.InvalidInput):
        auditors.auditor_accreditation_change(
            accreditation=accreditation, actor=examiner, state=STATE.ACTIVE, reason="Same", **dates
        )
    accreditation.refresh_from_db()
    assert accreditation.state == STATE.ACTIVE and accreditation.changes.count() == 1


def test_renewal_changes_dates_and_keeps_the_old_ones_in_history(examiner):
    accreditation = accredit(UserFactory(), examiner, days_after=10)
    auditors.auditor_accreditation_change(
        accreditation=accreditation,
        actor=examiner,
        state=STATE.ACTIVE,
        valid_from=accreditation.valid_from,
        valid_until=TODAY() + timedelta(days=800),
        reason="Renewed after witnessed audit",
    )
    history = list(accreditation.changes.values_list("valid_until", flat=True))
    assert history == [TODAY() + timedelta(days=10), TODAY() + timedelta(days=800)]


def test_expired_or_not_yet_valid_accreditation_does_not_count(examiner):
    expired = accredit(UserFactory(), examiner, days_before=400, days_after=-1)
    future = accredit(UserFactory(), examiner, days_before=-5, days_after=100)
    assert not cs.auditor_is_accredited(user=expired.user)
    assert not cs.auditor_is_accredited(user=future.user)


def test_the_stale_change_is_refused_when_another_examiner_moved_it_first(examiner):
    accreditation = accredit(UserFactory(), examiner)
    dates = {"valid_from": accreditation.valid_from, "valid_until": accreditation.valid_until}
    auditors.auditor_accreditation_change(
        accreditation=accreditation, actor=examiner, state=STATE.WITHDRAWN, reason="Retired", **dates
    )
    with pytest.raises(errors.InvalidTransition):
        # withdrawn → suspended is not a transition
        auditors.auditor_accreditation_change(
            accreditation=accreditation, actor=examiner, state=STATE.SUSPENDED, reason="Late", **dates
        )


def test_history_rows_are_append_only(examiner):
    change = accredit(UserFactory(), examiner).changes.get()
    change.reason = "rewritten"
    with pytest.raises(ValueError):
        change.save()


def test_prerequisite_certification_is_required_when_configured(examiner, settings):
    settings.AUDITOR_REQUIRES_CERTIFICATION = "EXP"
    expert = CertificationFactory(code="EXP")
    person = UserFactory()
    with pytest.raises(errors.AuditorNotEligible) as exc:
        accredit(person, examiner)
    assert "EXP" in exc.value.detail
    assert not AuditorAccreditation.objects.exists()
    CertificateFactory(user=person, certification=expert)
    assert accredit(person, examiner).state == STATE.ACTIVE


def test_a_suspended_prerequisite_blocks_reinstatement(examiner, settings):
    settings.AUDITOR_REQUIRES_CERTIFICATION = "EXP"
    expert = CertificationFactory(code="EXP")
    person = UserFactory()
    certificate = CertificateFactory(user=person, certification=expert)
    accreditation = accredit(person, examiner)
    dates = {"valid_from": accreditation.valid_from, "valid_until": accreditation.valid_until}
    auditors.auditor_accreditation_change(
        accreditation=accreditation, actor=examiner, state=STATE.SUSPENDED, reason="Pause", **dates
    )
    certificate.suspended_at, certificate.suspension_reason = timezone.now(), "Under review"
    certificate.save(update_fields=["suspended_at", "suspension_reason"])
    with pytest.raises(errors.AuditorNotEligible):
        auditors.auditor_accreditation_change(
            accreditation=accreditation, actor=examiner, state=STATE.ACTIVE, reason="Back", **dates
        )
    accreditation.refresh_from_db()
    assert accreditation.state == STATE.SUSPENDED


def test_no_prerequisite_by_default(examiner, settings):
    settings.AUDITOR_REQUIRES_CERTIFICATION = ""
    assert accredit(UserFactory(), examiner).state == STATE.ACTIVE
