import pytest

from assessments import errors, services
from assessments.models import Score, ScoreChange
from tests.assessments.conftest import item, scope_entries

pytestmark = pytest.mark.django_db


def save(assessment, actor, code, score, seq, comment=None):
    return services.assessment_score_save(
        assessment=assessment, item=item(code), score=score, seq=seq, actor=actor, comment=comment
    )


def test_a_score_is_saved_with_its_comment_and_a_history_row(assessment, assessor):
    row, stale = save(assessment, assessor, "PR3.2", 2, 10, "Reports exist for two services")
    assert not stale and (row.score, row.comment, row.seq, row.changed_by) == (
        2,
        "Reports exist for two services",
        10,
        assessor,
    )
    change = ScoreChange.objects.get()
    assert (change.old_score, change.new_score, change.changed_by) == (None, 2, assessor)


def test_repeating_the_same_write_is_idempotent(assessment, assessor):
    save(assessment, assessor, "PR3.2", 2, 10)
    row, stale = save(assessment, assessor, "PR3.2", 2, 10)
    assert stale and row.score == 2
    assert Score.objects.count() == 1 and ScoreChange.objects.count() == 1


def test_an_older_write_never_overwrites_a_newer_one(assessment, assessor):
    save(assessment, assessor, "PR3.2", 3, 20)
    row, stale = save(assessment, assessor, "PR3.2", 1, 19)
    assert stale and row.score == 3 and row.seq == 20
    assert Score.objects.get().score == 3


def test_a_newer_write_replaces_the_score_and_records_old_and_new(assessment, assessor):
    save(assessment, assessor, "PR3.2", 1, 5)
    row, stale = save(assessment, assessor, "PR3.2", 3, 6)
    assert not stale and row.score == 3
    latest = ScoreChange.objects.order_by("-seq").first()
    assert (latest.old_score, latest.new_score) == (1, 3)


def test_two_assessors_at_once_the_later_sequence_wins_and_the_other_learns_who_changed_it(
    assessment, assessor, second_assessor
):
    save(assessment, assessor, "PR6.1", 2, 1000)
    save(assessment, second_assessor, "PR6.1", 4, 2000)
    row, stale = save(assessment, assessor, "PR6.1", 1, 1500)  # the first one's page was behind
    assert stale
    assert (row.score, row.changed_by, row.seq) == (4, second_assessor, 2000)


def test_a_comment_left_out_keeps_the_stored_comment(assessment, assessor):
    save(assessment, assessor, "PR1.1", 2, 1, "Portfolio in a wiki")
    row, _ = save(assessment, assessor, "PR1.1", 3, 2, None)
    assert row.comment == "Portfolio in a wiki"


@pytest.mark.parametrize(
    "score, comment, seq, field",
    [
        (5, "", 1, "score"),
        (-1, "", 1, "score"),
        (2, "x" * 4001, 1, "comment"),
        (2, "", 0, "seq"),
        (2, "", 2**53 + 1, "seq"),
    ],
)
def test_bad_input_is_refused_naming_the_field(assessment, assessor, score, comment, seq, field):
    with pytest.raises(errors.InvalidInput) as exc:
        save(assessment, assessor, "PR1.1", score, seq, comment)
    assert exc.value.field == field
    assert not Score.objects.exists()


def test_viewers_do_not_score(assessment, viewer):
    with pytest.raises(errors.NotAllowed):
        save(assessment, viewer, "PR1.1", 2, 1)


def test_outsiders_do_not_score(assessment, outsider):
    with pytest.raises(errors.NotAllowed):
        save(assessment, outsider, "PR1.1", 2, 1)


def test_an_out_of_scope_item_is_not_scored(assessment, owner, assessor):
    services.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR5={"in_scope": False, "reason": "Hosted"}),
    )
    with pytest.raises(errors.OutOfScope):
        save(assessment, assessor, "PR5.1", 2, 1)


def test_the_page_without_javascript_does_not_overwrite_a_change_made_meanwhile(
    assessment, assessor, second_assessor
):
    save(assessment, assessor, "PR2.1", 2, 1)
    shown = Score.objects.get().seq  # the second assessor's page shows seq 1
    save(assessment, assessor, "PR2.1", 3, 2)  # the first assessor changes it again
    result = services.assessment_scores_save_form(
        assessment=assessment,
        actor=second_assessor,
        entries=[
            {"item": item("PR2.1"), "score": 1, "comment": "", "base_seq": shown},
            {"item": item("PR2.2"), "score": 2, "comment": "", "base_seq": 0},
        ],
    )
    assert [s.item.code for s in result["conflicts"]] == ["PR2.1"]
    assert [s.item.code for s in result["saved"]] == ["PR2.2"]
    assert Score.objects.get(item__code="PR2.1").score == 3


def test_the_page_without_javascript_saves_over_what_it_showed(assessment, assessor):
    save(assessment, assessor, "PR2.1", 2, 1)
    result = services.assessment_scores_save_form(
        assessment=assessment,
        actor=assessor,
        entries=[{"item": item("PR2.1"), "score": 4, "comment": "ok", "base_seq": 1}],
    )
    assert len(result["saved"]) == 1
    assert Score.objects.get().score == 4 and Score.objects.get().seq > 1
