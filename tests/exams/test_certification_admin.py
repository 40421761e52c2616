"""Examiners edit certifications in the CMS through exams.services.scheme: validated, audited."""

import pytest

from accounts.models import AuditEntry
from exams import errors
from exams.models import Certification
from exams.services import scheme
from tests.exams.test_admin_views import cms  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _form(cert, **over):
    data = {
        "code": cert.code,
        "name": cert.name,
        "earned_by": cert.earned_by,
        "question_count": cert.question_count,
        "duration_minutes": cert.duration_minutes,
        "pass_mark": cert.pass_mark,
        "options_per_question": cert.options_per_question,
        "closed_book": "on" if cert.closed_book else "",
        "position": cert.position,
    }
    data.update(over)
    return {k: v for k, v in data.items() if v != ""}


def test_an_edit_that_the_blueprint_cannot_fill_is_refused_and_changes_nothing(cms, certification):  # noqa: F811
    response = cms.post(
        f"/cms/certification/edit/{certification.pk}/", _form(certification, question_count=5)
    )
    assert response.status_code == 200
    assert "the quotas sum to 4, the exam has 5 questions" in response.content.decode()
    certification.refresh_from_db()
    assert certification.question_count == 4
    assert not AuditEntry.objects.filter(action="certification.updated").exists()


def test_a_valid_edit_is_saved_and_audited_and_the_code_cannot_change(cms, certification, examiner):  # noqa: F811
    response = cms.post(
        f"/cms/certification/edit/{certification.pk}/",
        _form(certification, closed_book="", code="HACK", duration_minutes=15),
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert (certification.code, certification.closed_book, certification.duration_minutes) == (
        "TST",
        False,
        15,
    )
    entry = AuditEntry.objects.get(action="certification.updated")
    assert entry.actor == examiner and entry.data["closed_book"] == ["True", "False"]


def test_creating_a_certification_goes_through_the_service(cms, examiner):  # noqa: F811
    response = cms.post(
        "/cms/certification/new/",
        {"code": "new", "name": "New exam", "earned_by": "exam", "question_count": 10,
         "duration_minutes": 20, "pass_mark": 70, "options_per_question": 4, "position": 9},
    )  # fmt: skip
    assert response.status_code == 302
    cert = Certification.objects.get(code="NEW")
    assert AuditEntry.objects.filter(action="certification.created", target_id=str(cert.pk)).exists()


def test_the_service_refuses_impossible_parameters(certification, examiner):
    with pytest.raises(errors.InvalidTransition, match="pass mark"):
        scheme.certification_update(certification=certification, actor=examiner, pass_mark=0)
    with pytest.raises(errors.InvalidTransition, match="own prerequisite"):
        scheme.certification_update(
            certification=certification, actor=examiner, prerequisites=[certification]
        )
    with pytest.raises(errors.InvalidTransition, match="cannot be changed here: code"):
        scheme.certification_update(certification=certification, actor=examiner, code="X")
