"""Concurrent enrolments and completions on PostgreSQL: the unique constraints keep one row and
the services answer every caller without an error."""

import pytest
from django.db import connection

from accounts.models import AuditEntry
from courses import services
from courses.models import Enrolment, LessonCompletion
from tests.courses.conftest import RIGHT, answers, build_course
from tests.exams.test_races_postgres import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_concurrent_enrolments_make_one(learner):
    tree = build_course()
    results = run_together(*[lambda: services.enrolment_create(user=learner, course=tree.course)] * 4)
    assert all(kind == "ok" for kind, _ in results), results
    assert Enrolment.objects.filter(user=learner).count() == 1
    assert sum(1 for _, (_, created) in results if created) == 1
    assert AuditEntry.objects.filter(action="course.enrolled").count() == 1


def test_concurrent_passing_checks_complete_the_lesson_once(learner):
    tree = build_course()
    services.enrolment_create(user=learner, course=tree.course)
    data = answers(tree, RIGHT)
    results = run_together(
        *[
            lambda: services.knowledge_check_submit(
                user=learner, lesson=tree.checked, block_id=tree.block_id, data=data
            )
        ]
        * 3
    )
    assert all(kind == "ok" for kind, _ in results), results
    assert LessonCompletion.objects.filter(user=learner, lesson=tree.checked).count() == 1
    assert AuditEntry.objects.filter(action="lesson.completed").count() == 1
