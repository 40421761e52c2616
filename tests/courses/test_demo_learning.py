import pytest

from content.demo import demo_learning_seed
from courses.models import Enrolment, KnowledgeCheckAttempt, LessonCompletion
from courses.selectors import course_progress
from tests.courses.conftest import build_course

pytestmark = pytest.mark.django_db


def test_demo_learner_is_enrolled_in_foundation_with_two_lessons_done_idempotently(learner):
    tree = build_course(code="FND", slug="fitsm-foundation", title="FitSM Foundation")
    first = demo_learning_seed(learner)
    counts = (
        Enrolment.objects.count(),
        LessonCompletion.objects.count(),
        KnowledgeCheckAttempt.objects.count(),
    )
    assert first == {"course": tree.course.pk, "lessons_done": [tree.reading.pk, tree.checked.pk]}
    assert counts == (1, 2, 1)
    assert demo_learning_seed(learner) == first
    assert (
        Enrolment.objects.count(),
        LessonCompletion.objects.count(),
        KnowledgeCheckAttempt.objects.count(),
    ) == counts
    assert LessonCompletion.objects.get(lesson=tree.checked).how == "knowledge_check"
    assert course_progress(user=learner, course=tree.course)["complete"]


def test_demo_learning_is_skipped_without_course_pages(learner):
    assert demo_learning_seed(learner) is None
    assert not Enrolment.objects.exists()
