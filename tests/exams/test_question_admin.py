"""The examiner's question list opens the question screen; writing a question goes through the
bank service; statistics say when, from how many and what the colours and flags mean."""

import pytest
from django.utils import timezone

from accounts.models import AuditEntry
from exams.models import ItemStatistic, Question
from exams.services.statistics import item_statistics_compute
from tests.exams.test_admin_views import cms  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_question_list_links_each_question_to_its_full_screen(cms, certification):  # noqa: F811
    q = Question.objects.filter(purpose="exam").first()
    page = cms.get("/cms/question/").content.decode()
    assert f'href="/cms/exams/questions/{q.pk}/review/"' in page
    assert q.current_version.stem[:20] in page
    assert cms.get(f"/cms/question/edit/{q.pk}/")["Location"] == f"/cms/exams/questions/{q.pk}/review/"
    screen = cms.get(f"/cms/exams/questions/{q.pk}/review/").content.decode()
    assert "(key)" in screen and "Rationale" in screen and "History" in screen


def test_the_generic_edit_and_delete_screens_save_nothing(cms, certification):  # noqa: F811
    q = Question.objects.first()
    cms.post(f"/cms/question/edit/{q.pk}/", {"external_id": "CHANGED", "difficulty": 3})
    cms.post(f"/cms/question/delete/{q.pk}/")
    q.refresh_from_db()
    assert q.external_id != "CHANGED" and q.difficulty != 3


def test_writing_a_question_creates_an_audited_draft_by_its_author(cms, certification, examiner):  # noqa: F811
    topic = certification.topics.get(code="T1")
    data = {
        "external_id": "TST-T1-500", "topic": topic.pk, "purpose": "exam", "difficulty": 2,
        "stem": "Which role approves the SMS policy?", "option_a": "SMS owner", "option_b": "SMS manager",
        "option_c": "Process owner", "option_d": "Service owner", "answer": "A",
        "rationale": "The SMS owner approves the policy; the others act below that level.", "reference": "FitSM-1 GR1.2",
    }  # fmt: skip
    response = cms.post("/cms/question/new/", data)
    q = Question.objects.get(external_id="TST-T1-500")
    assert response.status_code == 302 and q.status == Question.Status.DRAFT and q.author == examiner
    assert AuditEntry.objects.filter(action="question.created", target_id=str(q.pk)).exists()
    again = cms.post("/cms/question/new/", data | {"rationale": "A is right."})
    assert again.status_code == 400 and "is taken" in again.content.decode()
    assert "names an option by its letter" in again.content.decode()


def test_statistics_page_says_when_from_how_many_and_what_flags_mean(cms, certification, candidate_attempts):  # noqa: F811
    item_statistics_compute(now=timezone.now())
    page = cms.get("/cms/exams/statistics/").content.decode()
    assert "from 3 graded attempts" in page
    assert "Fewer than 30 candidates" in page
    assert "Red</span>: flagged" in page and "negative" in page
    assert "(key)" in page


@pytest.fixture
def candidate_attempts(certification):
    """Three graded exam attempts: two candidates answer every item right, one every item wrong."""
    from exams import services
    from tests.factories import UserFactory

    now = timezone.now()
    for right in (True, True, False):
        user = UserFactory()
        sitting = services.sitting_on_demand_get(certification=certification)
        services.registration_create(sitting=sitting, user=user)
        attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=now)
        for item in attempt.items.select_related("question_version"):
            options = list(item.question_version.options.all())
            chosen = next(o for o in options if o.is_correct == right)
            from exams.presentation import KEYS

            services.answer_save(
                attempt=attempt,
                position=item.position,
                key=KEYS[item.option_order.index(chosen.id)],
                seq=1,
                now=now,
            )
        services.attempt_submit(attempt=attempt, now=now, actor=user)


def test_distractors_nobody_chooses_and_negative_discrimination_are_flagged(
    certification, candidate_attempts, settings
):
    from exams.services import statistics

    settings_min = statistics.DISTRACTOR_MIN_EXPOSURES
    statistics.DISTRACTOR_MIN_EXPOSURES = 1
    try:
        item_statistics_compute(now=timezone.now())
    finally:
        statistics.DISTRACTOR_MIN_EXPOSURES = settings_min
    reasons = " ".join(ItemStatistic.objects.values_list("flag_reasons", flat=True))
    assert "distractor never chosen" in reasons


def test_grading_an_exam_asks_for_one_debounced_recompute(certification, settings):
    from django.core.cache import cache

    from exams.services.statistics import PENDING_KEY, item_statistics_schedule

    cache.delete(PENDING_KEY)
    calls = []
    assert item_statistics_schedule(delay_seconds=60, schedule=calls.append)
    assert not item_statistics_schedule(delay_seconds=60, schedule=calls.append)
    assert calls == [60]
    item_statistics_compute(now=timezone.now())
    assert item_statistics_schedule(delay_seconds=60, schedule=calls.append)
    cache.delete(PENDING_KEY)


def test_grading_an_exam_attempt_recomputes_statistics_in_the_background(
    certification, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from exams import services
    from exams.services.statistics import PENDING_KEY
    from tests.factories import UserFactory

    cache.delete(PENDING_KEY)
    user, now = UserFactory(), timezone.now()
    sitting = services.sitting_on_demand_get(certification=certification)
    services.registration_create(sitting=sitting, user=user)
    attempt, _ = services.attempt_begin(sitting=sitting, user=user, now=now)
    assert not ItemStatistic.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_submit(attempt=attempt, now=now, actor=user)
    assert ItemStatistic.objects.count() == 4  # the eager task ran after the grading committed


def test_the_question_screen_previews_the_options_as_a_candidate_sees_them(cms, certification):  # noqa: F811
    q = Question.objects.filter(purpose="exam").first()
    page = cms.get(f"/cms/exams/questions/{q.pk}/review/").content.decode()
    preview = page.split("Preview as a candidate sees it")[1].split("</details>")[0]
    assert preview.count('type="radio"') == 4 and "(key)" not in preview


def test_the_cms_dashboard_shows_the_work_waiting(cms, certification, examiner, trainer):  # noqa: F811
    from tests.factories import QuestionFactory

    mine = QuestionFactory(
        topic=certification.topics.first(), status=Question.Status.IN_REVIEW, author=examiner
    )
    theirs = QuestionFactory(
        topic=certification.topics.first(), status=Question.Status.IN_REVIEW, author=trainer
    )
    page = cms.get("/cms/").content.decode()
    assert "Exam work waiting" in page and "Certificates: recent decisions" in page
    assert theirs.external_id in page and mine.external_id not in page
