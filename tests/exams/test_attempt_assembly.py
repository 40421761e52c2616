import random
from collections import Counter

import pytest

from exams import errors, services
from exams.models import Attempt, AttemptItem, Question
from tests.conftest import correct_key, wrong_key
from tests.factories import UserFactory


def _fresh(certification):
    """A new candidate registered in a draft sitting (nothing pre-generated)."""
    from exams.models import Registration

    sitting = services.sitting_create(certification=certification)
    user = UserFactory()
    return {"user": user, "registration": Registration.objects.create(sitting=sitting, user=user)}


@pytest.mark.django_db
def test_draw_follows_the_blueprint_quotas(attempt):
    topics = Counter(
        i.question_version.question.topic.code
        for i in attempt.items.select_related("question_version__question__topic")
    )
    assert topics == {"T1": 2, "T2": 2}
    assert attempt.total == 4


@pytest.mark.django_db
def test_draw_uses_only_approved_exam_questions(certification, learner):
    Question.objects.filter(purpose="exam").update(status=Question.Status.DRAFT)
    with pytest.raises(errors.BlueprintUnfillable, match="T1"):
        services.attempt_assemble(certification=certification, **_fresh(certification))


@pytest.mark.django_db
def test_draw_prefers_the_least_exposed_questions(certification, learner):
    exposed = list(Question.objects.filter(purpose="exam", topic__code="T1")[:1])
    Question.objects.filter(pk=exposed[0].pk).update(exposure_count=50)
    for _ in range(5):
        attempt = services.attempt_assemble(
            certification=certification, rng=random.Random(1), **_fresh(certification)
        )
        drawn = set(attempt.items.values_list("question_version__question_id", flat=True))
        assert exposed[0].pk not in drawn
        Question.objects.filter(pk__in=drawn).update(exposure_count=0)


@pytest.mark.django_db
def test_assembly_counts_exposures_once_the_draw_committed(
    certification, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.attempt_assemble(certification=certification, **_fresh(certification))
        ids = list(attempt.items.values_list("question_version__question_id", flat=True))
        assert set(Question.objects.filter(pk__in=ids).values_list("exposure_count", flat=True)) == {0}
    assert set(Question.objects.filter(pk__in=ids).values_list("exposure_count", flat=True)) == {1}


@pytest.mark.django_db
def test_order_and_permutation_are_frozen_on_the_attempt(client, attempt, learner):
    client.force_login(learner)
    first = client.get(f"/api/v1/attempts/{attempt.pk}").json()
    second = client.get(f"/api/v1/attempts/{attempt.pk}").json()
    assert first["questions"] == second["questions"]
    assert [q["position"] for q in first["questions"]] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_options_are_shuffled_per_attempt(certification, learner):
    orders = set()
    for _ in range(12):
        a = services.attempt_assemble(
            certification=certification, rng=random.Random(_), **_fresh(certification)
        )
        item = a.items.order_by("position").first()
        labels = tuple(item.question_version.options.get(pk=oid).label for oid in item.option_order)
        orders.add(labels)
    assert len(orders) > 1


@pytest.mark.django_db
def test_scoring_is_by_option_identity_not_displayed_letter(attempt, now):
    items = list(AttemptItem.objects.filter(attempt=attempt).order_by("position"))
    # Force a permutation where the correct option is not shown under its source letter.
    for seq, item in enumerate(items, 1):
        item.option_order = list(reversed(item.option_order))
        item.save(update_fields=["option_order"])
        key = correct_key(item) if item.position <= 3 else wrong_key(item)
        services.answer_save(attempt=attempt, position=item.position, key=key, seq=seq, now=now)
    attempt = services.attempt_submit(attempt=attempt, now=now)
    assert (attempt.correct, attempt.total, attempt.passed) == (3, 4, True)


@pytest.mark.django_db
def test_pass_rule_uses_integers_at_the_boundary(certification, registration, learner, now):
    # 75 % of 4 = 3: exactly 3 correct passes, 2 does not.
    attempt, _ = services.attempt_begin(sitting=registration.sitting, user=learner, now=now)
    for seq, item in enumerate(attempt.items.order_by("position"), 1):
        key = correct_key(item) if item.position <= 2 else wrong_key(item)
        services.answer_save(attempt=attempt, position=item.position, key=key, seq=seq, now=now)
    attempt = services.attempt_submit(attempt=attempt, now=now)
    assert attempt.correct == 2 and attempt.passed is False
    assert [t["total"] for t in attempt.by_topic] == [2, 2]


@pytest.mark.django_db
def test_practice_draw_never_uses_exam_questions(certification, learner, now):
    attempt = services.practice_attempt_begin(user=learner, certification=certification, now=now)
    purposes = set(attempt.items.values_list("question_version__question__purpose", flat=True))
    assert purposes == {"practice"}
    assert attempt.state == Attempt.State.IN_PROGRESS and attempt.registration is None


@pytest.mark.django_db
def test_pregenerated_attempt_exists_when_a_scheduled_sitting_opens(certification, trainer, learner, now):
    from datetime import timedelta

    sitting = services.sitting_create(
        certification=certification,
        opens_at=now,
        closes_at=now + timedelta(hours=1),
        created_by=trainer,
        access_code="",
    )
    services.registration_create(sitting=sitting, user=learner, actor=trainer)
    assert not Attempt.objects.filter(user=learner).exists()
    services.sitting_open(sitting=sitting, actor=trainer)
    ready = Attempt.objects.get(user=learner)
    assert ready.state == Attempt.State.READY and ready.items.count() == 4
    attempt, created = services.attempt_begin(sitting=sitting, user=learner, now=now)
    assert created and attempt.pk == ready.pk and attempt.state == Attempt.State.IN_PROGRESS


@pytest.mark.django_db
def test_a_new_version_does_not_change_a_running_attempt(attempt, examiner):
    from exams.services.bank import question_revise

    item = attempt.items.select_related("question_version__question").first()
    question = item.question_version.question
    question_revise(
        question=question,
        actor=examiner,
        stem="Changed stem?",
        options={k: f"new {k}" for k in "ABCD"},
        answer="A",
        rationale="New.",
        reference="FitSM-1 GR2",
    )
    item.refresh_from_db()
    assert item.question_version.stem != "Changed stem?"
    assert question.versions.count() == 2


@pytest.mark.django_db
def test_opening_a_sitting_spreads_its_draws_over_the_bank(certification, trainer):
    """Three candidates drawing 2 of each topic's 3 questions in the one transaction that opens
    the sitting: each draw sees the exposures of the draws before it, so every question is
    drawn exactly twice (drawn blind to each other, that happens 2 times in 9)."""
    from exams.models import Registration

    sitting = services.sitting_create(certification=certification, invigilators=[trainer])
    for _ in range(3):
        Registration.objects.create(sitting=sitting, user=UserFactory())
    services.sitting_open(sitting=sitting, actor=trainer)
    counts = Question.objects.filter(certification=certification, purpose="exam").values_list(
        "exposure_count", flat=True
    )
    assert sorted(counts) == [2] * 6
