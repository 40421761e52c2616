import pytest

from assessments import errors, services
from assessments.models import Assessment
from tests.assessments.conftest import item, scope_entries, score_all

pytestmark = pytest.mark.django_db


def test_submit_is_refused_while_an_item_in_scope_is_not_scored(assessment, owner):
    from assessments.models import Score

    score_all(assessment, owner)
    Score.objects.filter(item__code="PR14.3").delete()
    with pytest.raises(errors.NotReady, match="1 of 82"):
        services.assessment_submit(assessment=assessment, actor=owner)
    assert Assessment.objects.get().state == "draft"


def test_out_of_scope_items_need_no_score_to_submit(assessment, owner):
    services.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR5={"in_scope": False, "reason": "Hosted"}),
    )
    score_all(assessment, owner)
    submitted = services.assessment_submit(assessment=assessment, actor=owner)
    assert submitted.state == "submitted" and submitted.submitted_at and submitted.submitted_by == owner


def test_only_the_sms_owner_submits(assessment, owner, assessor):
    score_all(assessment, owner)
    with pytest.raises(errors.NotAllowed):
        services.assessment_submit(assessment=assessment, actor=assessor)


def test_a_submitted_assessment_is_locked(assessment, owner, assessor):
    score_all(assessment, owner)
    services.assessment_submit(assessment=assessment, actor=owner)
    with pytest.raises(errors.AssessmentLocked):
        services.assessment_score_save(
            assessment=assessment, item=item("PR1.1"), score=1, seq=10**6, actor=assessor
        )
    with pytest.raises(errors.AssessmentLocked):
        services.assessment_scope_set(assessment=assessment, actor=owner, entries=scope_entries(assessment))
    with pytest.raises(errors.AssessmentLocked):
        services.evidence_link_add(
            assessment=assessment, item=item("PR1.1"), url="https://x.example/a", actor=owner
        )
    with pytest.raises(errors.AssessmentLocked):
        services.assessment_submit(assessment=assessment, actor=owner)


def test_an_assessment_keeps_its_instrument_version_when_a_new_one_is_loaded(assessment):
    from assessments.models import Instrument

    Instrument.objects.filter(pk=assessment.instrument_id).update(is_current=False)
    newer = Instrument.objects.create(version="FitSM-1 v4", is_current=True)
    assessment.refresh_from_db()
    assert assessment.instrument.version == "FitSM-1 v3.0.1" and newer.is_current
