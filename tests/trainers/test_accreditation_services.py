from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from certificates.services import certificate_revoke
from trainers import errors, services
from trainers.models import Accreditation, AccreditationDecision

from .conftest import accredit
from .factories import CertificateFactory, OrganisationFactory, TrainerProfileFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_apply_then_accredit_records_history_and_audit(certification, examiner_user):
    org = OrganisationFactory()
    acc = services.accreditation_apply(certification=certification, organisation=org)
    assert acc.status == "applied"
    acc = services.accreditation_decide(
        accreditation=acc,
        actor=examiner_user,
        accredit=True,
        notes="QMS audited.",
        valid_from=TODAY(),
        valid_until=TODAY() + timedelta(days=365),
    )
    assert acc.status == "accredited" and acc.decided_by == examiner_user
    history = list(
        AccreditationDecision.objects.filter(accreditation=acc).values_list("from_status", "to_status")
    )
    assert history == [("", "applied"), ("applied", "accredited")]
    assert AuditEntry.objects.filter(action="accreditation.accredited", target_id=str(acc.pk)).exists()


def test_history_rows_are_append_only(certification, examiner_user):
    acc = services.accreditation_apply(certification=certification, organisation=OrganisationFactory())
    row = acc.decisions.get()
    row.notes = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_accrediting_twice_is_refused(certification, examiner_user):
    acc = accredit(examiner=examiner_user, certification=certification, organisation=OrganisationFactory())
    with pytest.raises(errors.InvalidTransition):
        services.accreditation_decide(
            accreditation=acc, actor=examiner_user, accredit=True, valid_from=TODAY(), valid_until=TODAY()
        )
    assert acc.decisions.count() == 2


def test_accrediting_needs_a_validity_period(certification, examiner_user):
    acc = services.accreditation_apply(certification=certification, organisation=OrganisationFactory())
    with pytest.raises(errors.InvalidTransition, match="validity"):
        services.accreditation_decide(
            accreditation=acc,
            actor=examiner_user,
            accredit=True,
            valid_from=TODAY(),
            valid_until=TODAY() - timedelta(days=1),
        )
    acc.refresh_from_db()
    assert acc.status == "applied"


def test_database_refuses_accredited_without_validity(certification):
    from django.db import IntegrityError, transaction

    acc = services.accreditation_apply(certification=certification, organisation=OrganisationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Accreditation.objects.filter(pk=acc.pk).update(status="accredited")


def test_refusal_needs_a_reason_and_withdraws(certification, examiner_user):
    acc = services.accreditation_apply(certification=certification, organisation=OrganisationFactory())
    with pytest.raises(errors.InvalidTransition):
        services.accreditation_decide(accreditation=acc, actor=examiner_user, accredit=False, notes="")
    acc = services.accreditation_decide(
        accreditation=acc, actor=examiner_user, accredit=False, notes="No QMS."
    )
    assert acc.status == "withdrawn" and acc.decision_notes == "No QMS."


def test_trainer_without_certificate_cannot_be_accredited(certification, examiner_user):
    trainer = TrainerProfileFactory()
    acc = services.accreditation_apply(certification=certification, trainer=trainer)
    with pytest.raises(errors.NotAccredited, match="certificate"):
        services.accreditation_decide(
            accreditation=acc,
            actor=examiner_user,
            accredit=True,
            valid_from=TODAY(),
            valid_until=TODAY() + timedelta(days=30),
        )
    CertificateFactory(user=trainer.user, certification=certification)
    acc = services.accreditation_decide(
        accreditation=acc, actor=examiner_user, accredit=True, valid_from=TODAY(), valid_until=TODAY()
    )
    assert acc.status == "accredited"


def test_revoking_the_certificate_suspends_the_trainer_in_the_same_transaction(certification, examiner_user):
    trainer = TrainerProfileFactory()
    certificate = CertificateFactory(user=trainer.user, certification=certification)
    acc = accredit(examiner=examiner_user, certification=certification, trainer=trainer)
    other_cert_acc = accredit(
        examiner=examiner_user, certification=certification, organisation=OrganisationFactory()
    )
    certificate_revoke(certificate=certificate, actor=examiner_user, reason="Exam fraud.")
    acc.refresh_from_db()
    other_cert_acc.refresh_from_db()
    assert acc.status == "suspended"
    assert "revoked" in acc.decisions.last().notes
    assert other_cert_acc.status == "accredited"


def test_a_failed_revocation_rolls_the_suspension_back(certification, examiner_user):
    from django.db import transaction

    trainer = TrainerProfileFactory()
    certificate = CertificateFactory(user=trainer.user, certification=certification)
    acc = accredit(examiner=examiner_user, certification=certification, trainer=trainer)
    with pytest.raises(RuntimeError), transaction.atomic():
        certificate_revoke(certificate=certificate, actor=examiner_user, reason="Mistake.")
        raise RuntimeError("the revoking transaction fails after the signal")
    acc.refresh_from_db()
    assert acc.status == "accredited"


def test_suspend_withdraw_and_reapply(certification, examiner_user):
    acc = accredit(examiner=examiner_user, certification=certification, organisation=OrganisationFactory())
    with pytest.raises(errors.InvalidTransition):
        services.accreditation_suspend(accreditation=acc, actor=examiner_user, notes="")
    acc = services.accreditation_suspend(accreditation=acc, actor=examiner_user, notes="Audit finding.")
    assert acc.status == "suspended"
    with pytest.raises(errors.InvalidTransition):
        services.accreditation_suspend(accreditation=acc, actor=examiner_user, notes="Again.")
    acc = services.accreditation_withdraw(accreditation=acc, actor=examiner_user, notes="Not corrected.")
    assert acc.status == "withdrawn"
    acc = services.accreditation_apply(certification=certification, organisation=acc.organisation)
    assert acc.status == "applied"
    assert [d.to_status for d in acc.decisions.all()] == [
        "applied",
        "accredited",
        "suspended",
        "withdrawn",
        "applied",
    ]


def test_applying_while_accredited_is_refused(certification, examiner_user):
    acc = accredit(examiner=examiner_user, certification=certification, organisation=OrganisationFactory())
    with pytest.raises(errors.InvalidTransition):
        services.accreditation_apply(certification=certification, organisation=acc.organisation)


def test_expire_only_after_validity(certification, examiner_user):
    acc = accredit(examiner=examiner_user, certification=certification, organisation=OrganisationFactory())
    with pytest.raises(errors.InvalidTransition):
        services.accreditation_expire(accreditation=acc)
    acc = services.accreditation_expire(accreditation=acc, today=acc.valid_until + timedelta(days=1))
    assert acc.status == "expired"
