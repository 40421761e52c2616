import pytest

from assessments import errors, services
from assessments.models import ScopeEntry
from tests.assessments.conftest import scope_entries

pytestmark = pytest.mark.django_db


def test_a_new_assessment_has_everything_in_scope_with_a_target_and_keeps_its_instrument(
    assessment, instrument
):
    assert assessment.instrument == instrument
    entries = ScopeEntry.objects.filter(assessment=assessment)
    assert entries.count() == 21
    assert all(e.in_scope and 1 <= e.target <= 4 for e in entries)


def test_a_process_out_of_scope_needs_a_reason(assessment, owner):
    with pytest.raises(errors.InvalidInput) as exc:
        services.assessment_scope_set(
            assessment=assessment,
            actor=owner,
            entries=scope_entries(assessment, PR5={"in_scope": False, "reason": " "}),
        )
    assert exc.value.field == "PR5-reason"
    assert ScopeEntry.objects.get(assessment=assessment, requirement__code="PR5").in_scope


def test_a_process_goes_out_of_scope_with_its_reason(assessment, owner):
    services.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR5={"in_scope": False, "reason": "Run by our host"}),
    )
    entry = ScopeEntry.objects.get(assessment=assessment, requirement__code="PR5")
    assert not entry.in_scope and entry.reason == "Run by our host"


def test_general_requirements_are_always_in_scope(assessment, owner):
    with pytest.raises(errors.InvalidInput, match="always in scope"):
        services.assessment_scope_set(
            assessment=assessment,
            actor=owner,
            entries=scope_entries(assessment, GR2={"in_scope": False, "reason": "x"}),
        )


@pytest.mark.parametrize("target", [0, 5, None, "x"])
def test_targets_are_between_one_and_four(assessment, owner, target):
    with pytest.raises(errors.InvalidInput) as exc:
        services.assessment_scope_set(
            assessment=assessment, actor=owner, entries=scope_entries(assessment, PR1={"target": target})
        )
    assert exc.value.field == "PR1-target"


def test_targets_are_set_per_process_and_for_the_general_requirements(assessment, owner):
    services.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR1={"target": 4}, GR1={"target": 2}),
    )
    targets = dict(
        ScopeEntry.objects.filter(assessment=assessment).values_list("requirement__code", "target")
    )
    assert targets["PR1"] == 4 and targets["GR1"] == 2


def test_the_database_refuses_out_of_scope_without_reason(assessment):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ScopeEntry.objects.filter(assessment=assessment, requirement__code="PR2").update(
            in_scope=False, reason=""
        )


def test_only_the_sms_owner_sets_the_scope(assessment, assessor):
    with pytest.raises(errors.NotAllowed):
        services.assessment_scope_set(
            assessment=assessment, actor=assessor, entries=scope_entries(assessment)
        )
