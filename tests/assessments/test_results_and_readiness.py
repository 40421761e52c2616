import pytest
from django.utils import timezone

from assessments import selectors, services
from assessments.models import CertificationLevel
from tests.assessments.conftest import scope_entries, score_all

pytestmark = pytest.mark.django_db


def _results(assessment):
    return {r["code"]: r for r in selectors.assessment_results(assessment)["requirements"]}


def test_a_process_meets_its_goal_when_every_item_reaches_the_target(assessment, owner):
    services.assessment_scope_set(
        assessment=assessment, actor=owner, entries=scope_entries(assessment, PR3={"target": 3})
    )
    score_all(assessment, owner, value=3, overrides={"PR6.2": 2, "PR6.4": 1})
    results = _results(assessment)
    assert results["PR3"]["met"] and results["PR3"]["minimum"] == 3 and results["PR3"]["mean"] == 3
    assert not results["PR6"]["met"]
    assert results["PR6"]["below"] == ["PR6.2", "PR6.4"]
    assert results["PR6"]["minimum"] == 1 and results["PR6"]["mean"] == pytest.approx(2.4)


def test_an_unscored_item_counts_as_below_target(assessment, owner):
    results = _results(assessment)
    assert not results["PR1"]["met"] and results["PR1"]["below"] == ["PR1.1", "PR1.2", "PR1.3", "PR1.4"]


def test_an_out_of_scope_process_is_neither_met_nor_in_the_gap_list(assessment, owner):
    services.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR5={"in_scope": False, "reason": "Hosted"}),
    )
    results = selectors.assessment_results(assessment)
    pr5 = next(r for r in results["requirements"] if r["code"] == "PR5")
    assert not pr5["in_scope"] and not pr5["met"]
    assert not [g for g in results["gaps"] if g["requirement"].code == "PR5"]


def test_the_gap_list_is_sorted_by_distance_to_target_then_by_id(assessment, owner):
    services.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR10={"target": 4}, PR2={"target": 4}),
    )
    score_all(
        assessment, owner, value=4, overrides={"PR10.1": 1, "PR2.3": 1, "PR2.1": 3, "GR1.2": 2, "PR9.2": 2}
    )
    # every target is the default 3 except PR10 and PR2 (4): gaps PR2.3 3, PR10.1 3, PR2.1 1, GR1.2 1, PR9.2 1
    gaps = [(g["item"].code, g["gap"]) for g in selectors.assessment_results(assessment)["gaps"]]
    assert gaps == [("PR2.3", 3), ("PR10.1", 3), ("GR1.2", 1), ("PR2.1", 1), ("PR9.2", 1)]


def _ready(assessment, code):
    level = CertificationLevel.objects.get(code=code)
    return selectors.readiness(assessment=assessment, level=level)


def test_all_fours_are_ready_for_both_levels(assessment, owner):
    score_all(assessment, owner, value=4)
    assert _ready(assessment, "essentials")["ready"] and _ready(assessment, "plus")["ready"]


def test_plus_allows_the_configured_number_of_minor_exceptions(assessment, owner):
    allowed = CertificationLevel.objects.get(code="plus").criteria["rules"][0]["max_exceptions"]
    exceptions = {f"PR7.{n}": 3 for n in range(1, allowed + 1)}
    score_all(assessment, owner, value=4, overrides=exceptions)
    assert _ready(assessment, "plus")["ready"]
    score_all(assessment, owner, value=4, overrides=exceptions | {"PR8.1": 3}, start=1000)
    verdict = _ready(assessment, "plus")
    assert not verdict["ready"] and "PR8.1" in verdict["missing"][0]


def test_an_exception_further_below_than_allowed_is_missing(assessment, owner):
    score_all(assessment, owner, value=4, overrides={"PR7.1": 2})
    verdict = _ready(assessment, "plus")
    assert not verdict["ready"] and any("PR7.1" in m for m in verdict["missing"])


def test_plus_needs_every_process_in_scope_and_essentials_only_the_key_ones(assessment, owner):
    services.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR5={"in_scope": False, "reason": "Hosted"}),
    )
    score_all(assessment, owner, value=4)
    assert _ready(assessment, "essentials")["ready"]
    verdict = _ready(assessment, "plus")
    assert not verdict["ready"] and any("PR5" in m for m in verdict["missing"])


def test_changing_the_criteria_in_the_data_changes_the_verdict(assessment, owner, examiner):
    score_all(assessment, owner, value=4, overrides={"PR13.1": 3})
    assert _ready(assessment, "plus")["ready"]
    level = CertificationLevel.objects.get(code="plus")
    criteria = level.criteria
    criteria["rules"][0]["max_exceptions"] = 0
    services.certification_level_update(
        level=level,
        actor=examiner,
        name=level.name,
        summary=level.summary,
        validity_years=3,
        criteria=criteria,
    )
    assert not _ready(assessment, "plus")["ready"]


def test_essentials_ignores_a_weak_non_key_process_above_its_floor(assessment, owner):
    score_all(assessment, owner, value=4, overrides={"PR9.1": 1, "PR9.2": 1})
    assert _ready(assessment, "essentials")["ready"]
    assert not _ready(assessment, "plus")["ready"]


def test_the_trend_has_one_column_per_submitted_assessment(provider, owner, instrument):
    first = services.assessment_create(provider=provider, title="First", actor=owner)
    score_all(first, owner, value=2)
    services.assessment_submit(assessment=first, actor=owner, now=timezone.now())
    second = services.assessment_create(provider=provider, title="Second", actor=owner)
    score_all(second, owner, value=3)
    services.assessment_submit(assessment=second, actor=owner, now=timezone.now())
    services.assessment_create(provider=provider, title="Draft, not in the trend", actor=owner)
    trend = selectors.provider_trend(provider)
    assert [a.title for a in trend["assessments"]] == ["First", "Second"]
    pr1 = next(r for r in trend["rows"] if r["code"] == "PR1")
    assert pr1["values"] == [2, 3]


def test_the_chart_geometry_scales_scores_and_targets_on_zero_to_four():
    from assessments.charts import score_target_chart

    chart = score_target_chart([("PR1", 2, 4), ("PR2", None, 3)], width=560)
    span = 560 - 70 - 90
    assert chart["bars"][0]["score_w"] == span / 2 and chart["bars"][0]["target_w"] == span
    assert chart["bars"][1]["display"] == "—" and chart["bars"][1]["score_w"] == 0
