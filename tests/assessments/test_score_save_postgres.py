"""Two assessors saving the same requirement item at the same moment, on a real database with
concurrent connections: one score row, the higher sequence number wins, no write is lost without
its author being told (stale), and the history holds every applied write."""

import pytest
from django.db import connection

from assessments import services
from assessments.models import Score, ScoreChange
from tests.assessments.conftest import item
from tests.exams.test_races_postgres import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.mark.parametrize("rounds", [3])
def test_concurrent_first_saves_of_one_item_leave_one_row_and_the_higher_sequence(
    assessment, assessor, second_assessor, rounds
):
    for round_ in range(rounds):
        base = 100 * (round_ + 1)
        code = f"PR{round_ + 2}.1"

        def first(code=code, base=base):
            return services.assessment_score_save(
                assessment=assessment, item=item(code), score=1, seq=base + 1, actor=assessor
            )

        def second(code=code, base=base):
            return services.assessment_score_save(
                assessment=assessment, item=item(code), score=3, seq=base + 2, actor=second_assessor
            )

        results = run_together(first, second)
        assert all(outcome == "ok" for outcome, _ in results), results
        stored = Score.objects.get(assessment=assessment, item=item(f"PR{round_ + 2}.1"))
        assert (stored.score, stored.seq, stored.changed_by) == (3, base + 2, second_assessor)
        stale = [value[1] for _, value in results]
        applied = ScoreChange.objects.filter(assessment=assessment, item=item(f"PR{round_ + 2}.1")).count()
        # Either both applied in turn (1 then 3) or the lower one arrived second and was told so.
        assert (applied, stale.count(True)) in ((2, 0), (1, 1))
