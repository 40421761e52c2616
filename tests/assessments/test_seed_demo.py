import pytest
from django.contrib.auth import get_user_model

from assessments.models import Assessment, Score
from content.fitsm.demo import assessment_demo_seed

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_submitted_and_an_ongoing_self_assessment_and_is_idempotent():
    first = assessment_demo_seed()
    states = dict(
        Assessment.objects.filter(provider__slug="fitsm-demo-services").values_list("title", "state")
    )
    assert states == {"Baseline self-assessment": "submitted", "Follow-up self-assessment": "draft"}
    scores = Score.objects.count()
    second = assessment_demo_seed()
    assert all("already exists — skipping" in line for line in second["lines"])
    assert second["assessments"] == first["assessments"] and Score.objects.count() == scores


def test_the_demo_has_an_accredited_auditor_and_a_provider_granted_essentials_after_an_audit():
    from assessments import certification_selectors as cs
    from assessments.models import CertificationApplication, CertificationGrant

    assessment_demo_seed()
    auditor = cs.accreditation_of(get_user_model().objects.get(email="auditor@example.org"))
    assert auditor is not None and cs.auditor_is_accredited(user=auditor.user)
    assert auditor.user.check_password("fitsm-demo-2026")
    application = CertificationApplication.objects.get(provider__slug="fitsm-demo-hosting")
    assert application.state == "decided" and application.outcome == "granted"
    assert application.decided_by.email == "examiner@example.org"
    assert application.lead_auditor == auditor.user
    assert application.audit_assessment.kind == "audit" and application.findings.count() == 2
    grants = CertificationGrant.objects.count()
    again = assessment_demo_seed()
    assert CertificationGrant.objects.count() == grants == 1
    assert any("Certified provider" in line and "skipping" in line for line in again["lines"])
