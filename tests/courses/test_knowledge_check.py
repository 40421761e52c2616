import pytest

from accounts.models import AuditEntry
from courses import errors, services
from courses.knowledge_checks import answers_grade, knowledge_check_blocks
from courses.models import KnowledgeCheckAttempt, LessonCompletion
from tests.conftest import login
from tests.courses.conftest import RIGHT, WRONG, answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    return learner


def check_url(tree):
    return f"/learning/lessons/{tree.checked.pk}/check/"


def test_grading_reads_the_correct_options_from_the_block(tree):
    [(block_id, questions)] = knowledge_check_blocks(tree.checked)
    assert block_id == tree.block_id
    assert answers_grade(questions=questions, answers=[1, 0]) == (2, 2)
    assert answers_grade(questions=questions, answers=[0, 0]) == (1, 2)


def test_all_right_answers_complete_the_lesson(tree, enrolled):
    attempt, completion = services.knowledge_check_submit(
        user=enrolled, lesson=tree.checked, block_id=tree.block_id, data=answers(tree, RIGHT)
    )
    assert attempt.passed and (attempt.score, attempt.total) == (2, 2) and attempt.answers == [1, 0]
    assert completion.how == LessonCompletion.How.KNOWLEDGE_CHECK
    assert AuditEntry.objects.filter(action="lesson.completed", target_id=str(completion.pk)).exists()


def test_a_wrong_answer_is_recorded_but_does_not_complete(tree, enrolled):
    attempt, completion = services.knowledge_check_submit(
        user=enrolled, lesson=tree.checked, block_id=tree.block_id, data=answers(tree, WRONG)
    )
    assert not attempt.passed and attempt.score == 1 and completion is None
    assert not LessonCompletion.objects.exists()


def test_the_browser_cannot_claim_correctness(client, tree, enrolled):
    login(client, enrolled)
    data = answers(tree, WRONG) | {"correct": "true", "score": "2", "passed": "1"}
    client.post(check_url(tree), data)
    assert not LessonCompletion.objects.exists()
    assert KnowledgeCheckAttempt.objects.get().score == 1


@pytest.mark.parametrize("value", ["7", "-1", "one", "1.0", "²"])
def test_a_tampered_option_value_gets_a_clear_error_and_changes_nothing(client, tree, enrolled, value):
    login(client, enrolled)
    response = client.post(check_url(tree), answers(tree, {"0": value, "1": "0"}))
    assert response.status_code == 400
    assert "do not match the questions" in response.content.decode()
    assert not KnowledgeCheckAttempt.objects.exists() and not LessonCompletion.objects.exists()


def test_an_unknown_block_changes_nothing(tree, enrolled):
    with pytest.raises(errors.UnknownKnowledgeCheck):
        services.knowledge_check_submit(user=enrolled, lesson=tree.checked, block_id="nope", data={})
    with pytest.raises(errors.UnknownKnowledgeCheck):
        services.knowledge_check_submit(user=enrolled, lesson=tree.reading, block_id=tree.block_id, data={})
    assert not KnowledgeCheckAttempt.objects.exists()


def test_an_unanswered_question_is_named_next_to_it_and_nothing_is_recorded(client, tree, enrolled):
    login(client, enrolled)
    data = answers(tree, {"0": "1"})
    response = client.post(check_url(tree), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Please answer every question" in page
    assert (
        f'id="kc-{tree.block_id}-1-error"' in page
        and f'aria-describedby="kc-{tree.block_id}-1-error"' in page
    )
    # The answer given is kept checked.
    assert 'value="1" checked' in page
    assert not KnowledgeCheckAttempt.objects.exists()


def test_feedback_is_shown_for_the_chosen_options_only(client, tree, enrolled):
    login(client, enrolled)
    response = client.post(check_url(tree), answers(tree, WRONG))
    assert response.status_code == 302 and response["Location"].endswith(f"#kc-{tree.block_id}")
    page = client.get(tree.checked.url).content.decode()
    assert "1 of 2 right" in page
    assert "The manager runs it day to day." in page and "CIs are recorded in the CMDB." in page
    assert "One owner per process." not in page  # the right answer of the missed question stays hidden
    assert "<fieldset" in page and "<legend>" in page


def test_a_failed_try_can_be_followed_by_a_passing_one(client, tree, enrolled):
    login(client, enrolled)
    client.post(check_url(tree), answers(tree, WRONG))
    client.post(check_url(tree), answers(tree, RIGHT))
    assert KnowledgeCheckAttempt.objects.filter(user=enrolled).count() == 2
    assert LessonCompletion.objects.filter(user=enrolled, lesson=tree.checked).exists()
    page = client.get(tree.checked.url).content.decode()
    assert "Passed:" in page and "Completed" in page


def test_a_learner_must_be_enrolled_to_answer(client, tree, learner):
    with pytest.raises(errors.NotEnrolled):
        services.knowledge_check_submit(
            user=learner, lesson=tree.checked, block_id=tree.block_id, data=answers(tree, RIGHT)
        )
    login(client, learner)
    page = client.get(tree.checked.url).content.decode()
    assert "Check my answers" not in page and "Enrol in this course" in page
    client.post(check_url(tree), answers(tree, RIGHT))
    assert not KnowledgeCheckAttempt.objects.exists() and not LessonCompletion.objects.exists()


def test_answering_needs_post_sign_in_and_csrf(client, csrf_client, tree, enrolled):
    assert client.get(check_url(tree)).status_code == 405
    response = client.post(check_url(tree), answers(tree, RIGHT))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    login(csrf_client, enrolled)
    assert csrf_client.post(check_url(tree), answers(tree, RIGHT)).status_code == 403
    assert not KnowledgeCheckAttempt.objects.exists()


def test_the_pass_rule_is_stated_on_the_page(client, tree, enrolled):
    login(client, enrolled)
    assert (
        "Answer every question correctly to complete this lesson"
        in client.get(tree.checked.url).content.decode()
    )
