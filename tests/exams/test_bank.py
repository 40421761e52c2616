import pytest

from exams import errors
from exams.models import Question
from exams.services import bank
from tests.factories import QuestionFactory


def _item(**over):
    data = dict(
        external_id="TST-T1-900",
        certification="TST",
        purpose="exam",
        topic="T1",
        stem="Which is right?",
        options={"A": "one", "B": "two", "C": "three", "D": "four"},
        answer="B",
        rationale="Because.",
        reference="FitSM-1 PR1.1",
        difficulty=2,
        position="file item 1",
    )
    data.update(over)
    return bank.ItemData(**data)


@pytest.mark.django_db
def test_author_cannot_approve_their_own_question(certification, examiner, trainer):
    q = QuestionFactory(topic=certification.topics.first(), status=Question.Status.IN_REVIEW, author=examiner)
    with pytest.raises(errors.InvalidTransition, match="second examiner"):
        bank.question_approve(question=q, actor=examiner)
    q = bank.question_approve(question=q, actor=trainer)
    assert q.status == Question.Status.APPROVED and q.approved_by == trainer


@pytest.mark.django_db
def test_the_database_also_refuses_self_approval(certification, examiner):
    from django.db import IntegrityError

    q = QuestionFactory(topic=certification.topics.first(), author=examiner)
    with pytest.raises(IntegrityError):
        Question.objects.filter(pk=q.pk).update(approved_by=examiner)


@pytest.mark.django_db
def test_revising_an_approved_question_publishes_a_new_version_in_review(certification, examiner):
    q = QuestionFactory(topic=certification.topics.first())
    old = q.current_version
    q = bank.question_revise(
        question=q,
        actor=examiner,
        stem="New?",
        options={"A": "a", "B": "b", "C": "c", "D": "d"},
        answer="C",
        rationale="R",
        reference="FitSM-1 PR2",
    )
    assert q.current_version.number == 2 and q.status == Question.Status.IN_REVIEW
    old.refresh_from_db()
    assert old.stem.startswith("Stem of")


@pytest.mark.django_db
def test_blueprint_validation_names_the_short_topic(certification):
    bank.blueprint_validate(certification)
    with pytest.raises(errors.BlueprintUnfillable, match="T2 needs 6"):
        bank.blueprint_validate(certification, times=3)


@pytest.mark.django_db
def test_import_is_all_or_nothing_and_reports_every_bad_item(certification):
    items = [
        _item(),
        _item(external_id="TST-T1-901", answer="E", position="file item 2"),
        _item(external_id="TST-T1-902", options={"A": "x"}, topic="NOPE", position="file item 3"),
    ]
    with pytest.raises(errors.BankError) as exc:
        bank.items_import(items)
    assert (
        "file item 2" in exc.value.detail
        and "file item 3" in exc.value.detail
        and "unknown topic" in exc.value.detail
    )
    assert not Question.objects.filter(external_id__startswith="TST-T1-90").exists()


@pytest.mark.django_db
def test_import_is_idempotent_and_versions_changed_wording(certification):
    assert bank.items_import([_item()])["created"] == 1
    assert bank.items_import([_item()])["unchanged"] == 1
    assert bank.items_import([_item(stem="Which one is right?")])["updated"] == 1
    q = Question.objects.get(external_id="TST-T1-900")
    assert q.versions.count() == 2 and q.current_version.stem == "Which one is right?"


@pytest.mark.django_db
def test_import_refuses_a_rationale_that_names_an_option_letter(certification):
    with pytest.raises(errors.BankError, match="names an option by its letter"):
        bank.items_import([_item(rationale="B is right: the others confuse the roles.")])
    assert not Question.objects.filter(external_id="TST-T1-900").exists()


@pytest.mark.django_db
def test_import_refuses_two_options_that_say_the_same(certification):
    options = {"A": "The SMS owner", "B": "the  SMS owner", "C": "three", "D": "four"}
    with pytest.raises(errors.BankError, match="options A = B say the same"):
        bank.items_import([_item(options=options)])
    assert not Question.objects.filter(external_id="TST-T1-900").exists()


@pytest.mark.django_db
def test_retiring_a_question_the_blueprint_needs_is_refused(certification, examiner):
    t1 = certification.topics.get(code="T1")
    exam = list(Question.objects.filter(topic=t1, purpose="exam"))
    bank.question_retire(question=exam[0], actor=examiner)  # 3 -> 2, the quota: still fillable
    with pytest.raises(errors.BlueprintUnfillable, match="T1 would keep 1 approved exam questions"):
        bank.question_retire(question=exam[1], actor=examiner)
    assert Question.objects.get(pk=exam[1].pk).status == Question.Status.APPROVED


@pytest.mark.django_db
def test_revising_a_question_the_blueprint_needs_is_refused(certification, examiner):
    t1 = certification.topics.get(code="T1")
    first, second, _ = Question.objects.filter(topic=t1, purpose="exam")
    bank.question_retire(question=first, actor=examiner)
    with pytest.raises(errors.BlueprintUnfillable, match="goes back to review"):
        bank.question_revise(
            question=second,
            actor=examiner,
            stem="New wording?",
            options={"A": "w", "B": "x", "C": "y", "D": "z"},
            answer="A",
            rationale="The first option is right.",
            reference="FitSM-1 PR1.1",
        )
    second.refresh_from_db()
    assert second.status == Question.Status.APPROVED and second.versions.count() == 1


@pytest.mark.django_db
def test_an_import_that_moves_questions_out_of_a_needed_topic_is_refused(certification):
    t1 = certification.topics.get(code="T1")
    moved = list(Question.objects.filter(topic=t1, purpose="exam").select_related("current_version")[:2])
    items = []
    for q in moved:
        opts = {o.label: o.text for o in q.current_version.options.all()}
        key = next(o.label for o in q.current_version.options.all() if o.is_correct)
        items.append(
            _item(external_id=q.external_id, topic="T2", options=opts, answer=key,
                  stem=q.current_version.stem, rationale=q.current_version.rationale,
                  reference=q.current_version.reference)
        )  # fmt: skip
    with pytest.raises(errors.BlueprintUnfillable, match="The import was refused"):
        bank.items_import(items)
    assert Question.objects.filter(topic=t1, purpose="exam").count() == 3


@pytest.mark.django_db
def test_opening_a_sitting_whose_blueprint_cannot_be_filled_is_refused(certification, examiner):
    from exams import services
    from exams.models import Sitting

    sitting = services.sitting_create(certification=certification, created_by=examiner)
    Question.objects.filter(topic__code="T2", purpose="exam").update(status=Question.Status.RETIRED)
    with pytest.raises(errors.BlueprintUnfillable, match="topic T2 needs 2"):
        services.sitting_open(sitting=sitting, actor=examiner)
    assert Sitting.objects.get(pk=sitting.pk).state == Sitting.State.DRAFT
