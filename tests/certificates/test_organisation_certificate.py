"""An organisation's certificate: issued exactly once per grant from plain values, valid for the
level's validity, suspended and revoked by examiners only, reminded before expiry; and issued by
the assessments app after a grant, or later by its sweep."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection

from accounts.models import AuditEntry
from certificates import codes
from certificates import organisation_services as services
from certificates.models import Certificate, OrganisationCertificate, OrganisationCertificateReminder
from tests.certificates.organisation_helpers import GRANTED_AT, issue, values
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    return issue()


# --- issue -------------------------------------------------------------------------------------


def test_the_certificate_keeps_the_plain_values_of_the_grant(certificate):
    assert (
        certificate.organisation_name,
        certificate.organisation_slug,
        certificate.organisation_country,
    ) == (
        "Harbour Cloud Services",
        "harbour-cloud",
        "NL",
    )
    assert (certificate.level_code, certificate.level_name) == ("essentials", "FitSM Essentials")
    assert certificate.scope_statement.startswith("Managed hosting")
    assert certificate.issued_at == GRANTED_AT and certificate.issued_on == date(2026, 3, 10)
    assert certificate.contact_emails == ["owner@harbour.example"]
    assert AuditEntry.objects.filter(action="organisation_certificate.issued").count() == 1


def test_the_code_follows_the_certificate_scheme_and_no_personal_certificate_has_it(certificate):
    assert codes.code_is_well_formed(certificate.code)
    taken = codes.code_generate()
    with (
        mock.patch(
            "certificates.organisation_services.code_generate", side_effect=[taken, "ABCDEFGHJK" + "X"]
        ),
        mock.patch.object(Certificate.objects, "filter") as personal,
    ):
        personal.side_effect = lambda **kw: mock.Mock(exists=lambda: kw.get("code") == taken)
        assert services._free_code() == "ABCDEFGHJKX"


def test_a_grant_gets_exactly_one_certificate(certificate):
    again, created = services.organisation_certificate_issue(**values(grant_key=certificate.grant_key))
    assert created is False and again.pk == certificate.pk
    assert OrganisationCertificate.objects.count() == 1


def test_two_issuers_of_one_grant_meet_at_the_unique_constraint():
    """The second issuer did not see the first one's row when it looked (a race): its insert fails
    at the database's unique constraint, and it answers the winner's certificate."""
    first, created = services.organisation_certificate_issue(**values(grant_key=77))
    assert created
    real_filter = OrganisationCertificate.objects.filter
    looked = []

    def blind_first_look(*args, **kwargs):
        if kwargs == {"grant_key": 77} and not looked:
            looked.append(True)
            return OrganisationCertificate.objects.none()
        return real_filter(*args, **kwargs)

    with mock.patch.object(OrganisationCertificate.objects, "filter", side_effect=blind_first_look):
        second, created = services.organisation_certificate_issue(**values(grant_key=77))
    assert looked and created is False and second.pk == first.pk
    assert OrganisationCertificate.objects.filter(grant_key=77).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_concurrent_issuers_issue_exactly_once_with_distinct_bits():
    from tests.exams.test_races_postgres import run_together

    results = run_together(
        *[lambda k=k % 2: services.organisation_certificate_issue(**values(grant_key=k)) for k in range(4)]
    )
    assert all(r[0] == "ok" for r in results), results
    assert OrganisationCertificate.objects.count() == 2
    assert sorted(OrganisationCertificate.objects.values_list("status_index", flat=True)) == [0, 1]


def test_each_certificate_has_its_own_status_bit():
    bits = [issue().status_index for _ in range(3)]
    assert bits == [0, 1, 2]


def test_an_incomplete_grant_is_refused():
    with pytest.raises(ValueError):
        services.organisation_certificate_issue(**values(scope_statement="  "))
    assert not OrganisationCertificate.objects.exists()


# --- validity ----------------------------------------------------------------------------------


def test_valid_for_three_years_by_default(certificate):
    assert certificate.expires_on == date(2029, 3, 9)
    assert certificate.status_on(date(2029, 3, 9)) == "valid"
    assert certificate.status_on(date(2029, 3, 10)) == "expired"


def test_the_validity_is_the_levels(settings):
    """The level's configured validity (assessments.CertificationLevel.validity_years, edited by
    examiners) decides; the certificates app is handed it with the grant."""
    assert issue(level_code="plus", level_name="FitSM Plus", validity_years=2).expires_on == date(2028, 3, 9)
    with pytest.raises(ValueError):
        issue(grant_key=991, validity_years=0)


def test_a_leap_day_issue_ends_the_day_before_the_anniversary():
    assert services.expiry_date(date(2028, 2, 29), 3) == date(2031, 2, 28)
    assert services.expiry_date(date(2026, 1, 1), 1) == date(2026, 12, 31)


# --- suspension and revocation -----------------------------------------------------------------


@pytest.fixture
def second_examiner(db):
    from accounts.roles import EXAMINER, role_add

    user = UserFactory(email="examiner2@test.example")
    role_add(user, EXAMINER)
    return user


def test_only_examiners_suspend_or_revoke(certificate, learner):
    for call in (
        lambda: services.organisation_certificate_suspend(certificate=certificate, actor=learner, reason="x"),
        lambda: services.organisation_certificate_revoke(certificate=certificate, actor=learner, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_suspension_needs_a_reason_and_is_lifted(certificate, examiner):
    with pytest.raises(ValueError):
        services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason=" ")
    services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason="Complaint")
    assert certificate.status == "suspended" and certificate.suspension_reason == "Complaint"
    with pytest.raises(ValueError):
        services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason="Again")
    services.organisation_certificate_unsuspend(certificate=certificate, actor=examiner, reason="Cleared")
    assert certificate.status == "valid"
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["organisation_certificate.suspended", "organisation_certificate.unsuspended"]


def test_revocation_withdraws_the_certification_once_and_tells_the_owners(
    certificate, examiner, second_examiner, django_capture_on_commit_callbacks
):
    services.organisation_certificate_suspend(certificate=certificate, actor=examiner, reason="Complaint")
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_certificate_revoke(
            certificate=certificate,
            actor=examiner,
            reason="Audit findings not addressed",
            internal_reason="File 7",
        )
    assert certificate.status == "revoked" and certificate.suspended_at is None
    assert certificate.revocation_reason_internal == "File 7"
    assert mail.outbox[-1].to == ["owner@harbour.example"]
    assert "Audit findings not addressed" in mail.outbox[-1].body
    with pytest.raises(ValueError, match="already revoked"):
        services.organisation_certificate_revoke(certificate=certificate, actor=examiner, reason="Again")
    with pytest.raises(ValueError, match="Another examiner"):
        services.organisation_certificate_reinstate(certificate=certificate, actor=examiner, reason="Oops")
    services.organisation_certificate_reinstate(certificate=certificate, actor=second_examiner, reason="Oops")
    assert certificate.status == "valid" and certificate.revocation_reason == ""


# --- the issue notification and the reminders --------------------------------------------------


def test_the_owners_are_told_once_with_the_pdf_rendered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue()
    certificate.refresh_from_db()
    assert certificate.notified_at is not None and len(certificate.pdf_sha256) == 64
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner@harbour.example"]
    assert certificate.display_code in mail.outbox[0].body
    from certificates.organisation_tasks import organisation_certificate_issued_notify

    organisation_certificate_issued_notify(certificate.pk)
    assert len(mail.outbox) == 1


def test_reminders_go_out_once_per_threshold_before_expiry(django_capture_on_commit_callbacks, settings):
    settings.ORGANISATION_CERTIFICATE_REMINDER_DAYS = (90, 30)
    certificate = issue()
    mail.outbox.clear()
    far = certificate.expires_on - timedelta(days=120)
    assert services.organisation_certificates_remind(today=far) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.organisation_certificates_remind(today=certificate.expires_on - timedelta(days=89)) == 1
        )
        assert (
            services.organisation_certificates_remind(today=certificate.expires_on - timedelta(days=60)) == 0
        )
        assert (
            services.organisation_certificates_remind(today=certificate.expires_on - timedelta(days=29)) == 1
        )
        assert (
            services.organisation_certificates_remind(today=certificate.expires_on - timedelta(days=10)) == 0
        )
    assert [m.to for m in mail.outbox] == [["owner@harbour.example"]] * 2
    assert "expires on" in mail.outbox[0].subject and "90 days" in mail.outbox[0].body
    assert "30 days" in mail.outbox[1].body
    assert set(OrganisationCertificateReminder.objects.values_list("days_before", flat=True)) == {90, 30}
    assert not OrganisationCertificateReminder.objects.filter(sent_at__isnull=True).exists()


def test_a_late_first_run_sends_only_the_nearest_reminder(django_capture_on_commit_callbacks):
    certificate = issue()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.organisation_certificates_remind(today=certificate.expires_on - timedelta(days=5)) == 1
        )
    assert len(mail.outbox) == 1 and "30 days" in mail.outbox[0].body


def test_no_reminder_for_a_revoked_or_suspended_certificate(examiner):
    revoked, suspended = issue(), issue()
    services.organisation_certificate_revoke(certificate=revoked, actor=examiner, reason="Withdrawn")
    services.organisation_certificate_suspend(certificate=suspended, actor=examiner, reason="Checking")
    assert services.organisation_certificates_remind(today=revoked.expires_on - timedelta(days=10)) == 0


def test_a_reminder_whose_mail_failed_is_sent_by_a_later_run(django_capture_on_commit_callbacks):
    certificate = issue()
    mail.outbox.clear()
    with mock.patch("certificates.organisation_services.enqueue"):
        services.organisation_certificates_remind(today=certificate.expires_on - timedelta(days=20))
    assert mail.outbox == []
    OrganisationCertificateReminder.objects.update(created_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")))
    services.organisation_certificates_remind(today=certificate.expires_on - timedelta(days=19))
    assert len(mail.outbox) == 1


def test_the_daily_task_reminds_and_catches_up_lost_notifications(django_capture_on_commit_callbacks):
    from certificates.organisation_tasks import organisation_certificates_daily

    with mock.patch("certificates.organisation_services.enqueue"):
        certificate = issue(granted_at=datetime.now(ZoneInfo("UTC")) - timedelta(days=3 * 365 - 20))
    assert certificate.notified_at is None
    with django_capture_on_commit_callbacks(execute=True):
        result = organisation_certificates_daily()
    assert result == {"reminded": 1, "notified": 1}
    certificate.refresh_from_db()
    assert certificate.notified_at is not None and len(mail.outbox) == 2


# --- the issuing call of the assessments app ---------------------------------------------------


@pytest.fixture
def granted(db, django_capture_on_commit_callbacks):
    """An application audited and granted FitSM Essentials, the decision's after-commit work not
    yet run (returned to the test)."""
    from accounts.roles import EXAMINER, role_add
    from assessments import certification
    from assessments import services as assessment_services
    from content.fitsm.loader import instrument_load, levels_load
    from tests.assessments.conftest import accredit, score_all

    instrument_load()
    levels_load()
    owner = UserFactory(email="owner@granted.example")
    examiner, decider, auditor = (UserFactory() for _ in range(3))
    for person in (examiner, decider):
        role_add(person, EXAMINER)
    accredit(auditor, examiner)
    provider = assessment_services.provider_register(
        name="Granted Hosting", country="be", website="https://granted.example", actor=owner
    )
    from assessments.models import CertificationLevel

    application = certification.application_submit(
        provider=provider,
        level=CertificationLevel.objects.get(code="essentials"),
        scope_statement="Hosting for the public sector.",
        actor=owner,
    )
    certification.application_auditor_assign(application=application, auditor=auditor, actor=examiner)
    application = certification.application_declare(
        application=application, actor=auditor, has_conflict=False
    )
    score_all(application.audit_assessment, auditor)
    application = certification.audit_complete(
        application=application, actor=auditor, recommendation="granted"
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certification.application_decide(
            application=application, actor=decider, outcome="granted", reasons="Met"
        )
    return application, callbacks


def test_the_grant_is_issued_its_certificate_after_the_decision_commits(granted):
    application, callbacks = granted
    assert not OrganisationCertificate.objects.exists()  # not before the commit
    for callback in callbacks:
        callback()
    certificate = OrganisationCertificate.objects.get()
    assert certificate.grant_key == application.grant.pk
    assert (certificate.organisation_name, certificate.organisation_slug) == (
        "Granted Hosting",
        "granted-hosting",
    )
    assert (certificate.level_code, certificate.level_name) == ("essentials", "FitSM Essentials")
    assert certificate.scope_statement == "Hosting for the public sector."
    assert certificate.contact_emails == ["owner@granted.example"]
    assert certificate.issued_at == application.grant.granted_at


def test_the_sweep_issues_a_grant_whose_certificate_was_lost(granted):
    from assessments import certification
    from assessments.tasks import organisation_certificates_sweep

    application, _callbacks = granted  # the after-commit call never ran (a worker that was down)
    assert organisation_certificates_sweep() == 1
    assert OrganisationCertificate.objects.get().grant_key == application.grant.pk
    assert certification.grant_certificates_issue_missing() == 0
    assert OrganisationCertificate.objects.count() == 1


def test_a_failing_issue_never_undoes_the_decision(granted):
    from assessments.models import CertificationApplication

    application, callbacks = granted
    with mock.patch(
        "certificates.organisation_services.organisation_certificate_issue", side_effect=RuntimeError("down")
    ):
        for callback in callbacks:
            callback()
    assert not OrganisationCertificate.objects.exists()
    assert CertificationApplication.objects.get(pk=application.pk).state == "decided"
