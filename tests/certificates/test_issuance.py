import pytest
from django.core import mail

from certificates import services
from certificates.models import Certificate
from certificates.receivers import on_attempt_graded
from exams import hooks
from exams import services as exam_services
from exams.signals import attempt_graded
from tests.certificates.conftest import sit
from tests.factories import CertificationFactory


@pytest.mark.django_db(transaction=True)
def test_a_pass_issues_one_certificate_with_a_snapshot(attempt, now, learner):
    sit(attempt, now, right=4)
    certificate = Certificate.objects.get(attempt=attempt)
    assert certificate.holder_name == "Lena Learner" and certificate.certification_name == "Test exam"
    assert certificate.status == "valid"
    learner.first_name = "Changed"
    learner.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == "Lena Learner"
    assert len(mail.outbox) == 1 and certificate.display_code in mail.outbox[0].body


@pytest.mark.django_db
def test_a_fail_issues_nothing(attempt, now):
    sit(attempt, now, right=2)
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_issuing_twice_returns_the_same_certificate(passed_attempt):
    first = Certificate.objects.get()
    assert services.certificate_issue(attempt=passed_attempt) == first
    assert services.certificates_issue_missing() == 0
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_the_sweep_issues_what_a_lost_signal_missed(attempt, now):
    attempt_graded.disconnect(dispatch_uid="certificates.on_attempt_graded")
    try:
        sit(attempt, now, right=4)
    finally:
        attempt_graded.connect(on_attempt_graded, dispatch_uid="certificates.on_attempt_graded")
    assert not Certificate.objects.exists()
    assert services.certificates_issue_missing() == 1
    assert Certificate.objects.get().attempt == attempt


@pytest.mark.django_db
def test_the_database_allows_one_valid_certificate_per_person_and_certification(passed_attempt):
    from django.db import IntegrityError

    c = Certificate.objects.get()
    with pytest.raises(IntegrityError):
        Certificate.objects.create(
            code="X",
            status_index=c.status_index + 1,
            user=c.user,
            certification=c.certification,
            holder_name="x",
            certification_name="x",
            issued_on=c.issued_on,
        )


@pytest.mark.django_db
def test_prerequisites_are_answered_from_certificates(passed_attempt, learner, examiner):
    c = Certificate.objects.get()
    assert hooks.holds_certification(learner, c.certification)
    services.certificate_revoke(certificate=c, actor=examiner, reason="Exam fraud")
    assert not hooks.holds_certification(learner, c.certification)


@pytest.mark.django_db
def test_expert_is_derived_when_all_prerequisites_are_held(learner, now, trainer):
    from datetime import timedelta

    from tests.factories import QuestionFactory, TopicFactory

    parts = []
    for code in ("FND", "SOC", "SPD"):
        cert = CertificationFactory(code=code, question_count=1, pass_mark=100)
        QuestionFactory(topic=TopicFactory(certification=cert, quota=1))
        parts.append(cert)
    expert = CertificationFactory(code="EXP", earned_by="derived", question_count=0, duration_minutes=0)
    expert.prerequisites.set(parts)
    for cert in parts:
        s = exam_services.sitting_create(
            certification=cert, opens_at=now, closes_at=now + timedelta(hours=1), access_code=""
        )
        exam_services.sitting_open(sitting=s)
        exam_services.registration_create(sitting=s, user=learner)
        a, _ = exam_services.attempt_begin(sitting=s, user=learner, now=now)
        sit(a, now, right=1)
        assert Certificate.objects.filter(certification=expert).exists() == (cert.code == "SPD")
    assert Certificate.objects.get(certification=expert).attempt is None
    assert services.certificates_issue_missing() == 0


@pytest.mark.django_db
def test_revocation_and_reinstatement_need_two_examiners(
    passed_attempt, examiner, trainer, django_capture_on_commit_callbacks
):
    c = Certificate.objects.get()
    with pytest.raises(ValueError):
        services.certificate_revoke(certificate=c, actor=examiner, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate=c, actor=examiner, reason="Identity fraud")
    assert c.status == "revoked" and mail.outbox[-1].subject.endswith("has been revoked")
    with pytest.raises(ValueError, match="Another examiner"):
        services.certificate_reinstate(certificate=c, actor=examiner, reason="oops")
    services.certificate_reinstate(certificate=c, actor=trainer, reason="Appeal upheld")
    assert c.status == "valid"


@pytest.mark.django_db(transaction=True)
def test_the_plain_text_e_mail_keeps_apostrophes_and_ampersands_as_written(attempt, learner, now):
    learner.last_name = "O'Brien & Sons"
    learner.save()
    sit(attempt, now, right=4)
    message = mail.outbox[-1]
    assert "O'Brien & Sons" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0] if message.alternatives else ""
    assert "O&#x27;Brien &amp; Sons" in html or not html  # the HTML part escapes, as HTML must
