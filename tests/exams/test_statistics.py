import pytest

from exams import services
from exams.models import FormStatistic, ItemStatistic
from exams.services.statistics import item_statistics_compute, kr20, point_biserial
from tests.conftest import correct_key, wrong_key
from tests.factories import UserFactory


def test_kr20_of_a_perfectly_consistent_test_is_one():
    matrix = [[1, 1, 1], [0, 0, 0], [1, 1, 1], [0, 0, 0]]
    assert kr20(matrix) == pytest.approx(1.0)


def test_point_biserial_sign():
    assert point_biserial([1, 1, 0, 0], [5, 4, 1, 0]) > 0.9
    assert point_biserial([0, 0, 1, 1], [5, 4, 1, 0]) < -0.9
    assert point_biserial([1, 1, 1, 1], [5, 4, 1, 0]) is None


@pytest.mark.django_db
def test_statistics_from_graded_attempts(sitting, trainer, now):
    for good in [4, 4, 2, 1, 0]:
        user = UserFactory()
        services.registration_create(sitting=sitting, user=user, actor=trainer)
        attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=now)
        for seq, item in enumerate(attempt.items.order_by("position"), 1):
            key = correct_key(item) if item.position <= good else wrong_key(item)
            services.answer_save(attempt=attempt, position=item.position, key=key, seq=seq, now=now)
        services.attempt_submit(attempt=attempt, now=now)
    assert item_statistics_compute(now=now) > 0
    stat = ItemStatistic.objects.order_by("-exposures").first()
    assert 0 <= stat.facility <= 1 and sum(stat.option_frequencies.values()) == stat.exposures
    form = FormStatistic.objects.get(certification=sitting.certification, sitting__isnull=True)
    assert form.candidates == 5 and form.mean == pytest.approx(2.2) and form.pass_rate == pytest.approx(0.4)
