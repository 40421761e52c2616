"""Item statistics per language, and the flag where one language's facility stands apart."""

import pytest

from exams import services
from exams.models import ItemStatistic, Question
from exams.services.statistics import item_statistics_compute, language_gaps
from tests.conftest import correct_key, mfa_login, wrong_key
from tests.exams.languages import translate
from tests.factories import UserFactory


def test_a_gap_beyond_the_setting_with_enough_responses_on_both_sides_is_found():
    figures = {
        "en": {"exposures": 40, "facility": 0.80},
        "de": {"exposures": 30, "facility": 0.60},
        "fr": {"exposures": 35, "facility": 0.78},
    }
    gaps = language_gaps(figures, gap=0.15, minimum=30)
    assert [g[0] for g in gaps] == ["de"]
    assert gaps[0][2] == pytest.approx((0.80 * 40 + 0.78 * 35) / 75)


def test_no_flag_below_the_gap_or_with_too_few_responses():
    figures = {"en": {"exposures": 40, "facility": 0.80}, "de": {"exposures": 29, "facility": 0.40}}
    assert language_gaps(figures, gap=0.15, minimum=30) == []
    figures["de"] = {"exposures": 30, "facility": 0.66}
    assert language_gaps(figures, gap=0.15, minimum=30) == []
    assert language_gaps({"en": {"exposures": 400, "facility": 0.1}}, gap=0.15, minimum=30) == []


def test_the_defaults_come_from_the_settings(settings):
    figures = {"en": {"exposures": 5, "facility": 0.9}, "de": {"exposures": 5, "facility": 0.5}}
    assert language_gaps(figures) == []
    settings.EXAM_LANGUAGE_MIN_RESPONSES = 5
    assert sorted(g[0] for g in language_gaps(figures)) == ["de", "en"]
    settings.EXAM_LANGUAGE_FACILITY_GAP = 0.5
    assert language_gaps(figures) == []


def _sit(sitting, trainer, now, language, right):
    user = UserFactory()
    services.registration_create(sitting=sitting, user=user, actor=trainer)
    attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=now, language=language)
    for seq, item in enumerate(attempt.items.order_by("position"), 1):
        key = correct_key(item) if right else wrong_key(item)
        services.answer_save(attempt=attempt, position=item.position, key=key, seq=seq, now=now)
    services.attempt_submit(attempt=attempt, now=now)


@pytest.fixture
def graded_in_two_languages(sitting, trainer, now, settings):
    settings.EXAM_LANGUAGE_MIN_RESPONSES = 2
    translate(Question.objects.filter(certification=sitting.certification, purpose="exam"))
    for _ in range(6):
        _sit(sitting, trainer, now, "en", right=True)
        _sit(sitting, trainer, now, "de", right=False)
    item_statistics_compute(now=now)
    return sitting


@pytest.mark.django_db
def test_statistics_are_kept_per_language_and_across_languages(graded_in_two_languages):
    # Items are drawn at random: take one seen at least twice in each language (the minimum set above).
    stat = next(
        s
        for s in ItemStatistic.objects.order_by("pk")
        if set(s.by_language) == {"en", "de"} and min(f["exposures"] for f in s.by_language.values()) >= 2
    )
    assert stat.by_language["en"]["facility"] == 1.0 and stat.by_language["de"]["facility"] == 0.0
    total = stat.by_language["en"]["exposures"] + stat.by_language["de"]["exposures"]
    assert stat.exposures == total
    assert stat.facility == pytest.approx(stat.by_language["en"]["exposures"] / total)
    assert stat.flagged and "facility in de 0.00, other languages 1.00" in stat.flag_reasons


@pytest.mark.django_db
def test_the_examiners_statistics_screen_shows_the_languages(graded_in_two_languages, client, examiner):
    response = mfa_login(client, examiner).get("/cms/exams/statistics/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert "Per language" in page and "de 0.00" in page and "(differs)" in page


@pytest.mark.django_db
def test_an_item_drawn_in_english_only_has_one_language_and_no_language_flag(sitting, trainer, now, settings):
    settings.EXAM_LANGUAGE_MIN_RESPONSES = 1
    _sit(sitting, trainer, now, "en", right=True)
    _sit(sitting, trainer, now, "en", right=False)
    item_statistics_compute(now=now)
    for stat in ItemStatistic.objects.all():
        assert set(stat.by_language) == {"en"} and "facility in" not in stat.flag_reasons
