from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services
from courses.models import LessonCompletion, LessonPage
from courses.selectors import course_progress
from tests.courses.conftest import RIGHT, answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    return learner


def add_module_with_lessons(tree, slug, count):
    from courses.models import ModulePage

    module = tree.course.add_child(instance=ModulePage(title=f"Module {slug}", slug=slug))
    return [
        module.add_child(instance=LessonPage(title=f"{slug} {i}", slug=f"{slug}-{i}", body=[]))
        for i in range(1, count + 1)
    ]


def test_nothing_done_is_zero_and_continues_with_the_first_lesson(tree, enrolled):
    p = course_progress(user=enrolled, course=tree.course)
    assert (p["done"], p["total"], p["percent"], p["complete"]) == (0, 2, 0, False)
    assert p["continue_lesson"].pk == tree.reading.pk
    assert [m["total"] for m in p["modules"]] == [2]


def test_progress_counts_completions_per_module_and_course(tree, enrolled):
    second = add_module_with_lessons(tree, "extra", 2)
    services.lesson_mark_complete(user=enrolled, lesson=tree.reading)
    services.lesson_mark_complete(user=enrolled, lesson=second[0])
    p = course_progress(user=enrolled, course=tree.course)
    assert (p["done"], p["total"], p["percent"]) == (2, 4, 50)
    assert [(m["done"], m["total"], m["percent"]) for m in p["modules"]] == [(1, 2, 50), (1, 2, 50)]
    assert [r["done"] for r in p["modules"][0]["lessons"]] == [True, False]


def test_percent_rounds_down_so_100_means_all_done(tree, enrolled):
    add_module_with_lessons(tree, "extra", 1)
    services.lesson_mark_complete(user=enrolled, lesson=tree.reading)
    services.knowledge_check_submit(
        user=enrolled, lesson=tree.checked, block_id=tree.block_id, data=answers(tree, RIGHT)
    )
    p = course_progress(user=enrolled, course=tree.course)
    assert (p["done"], p["total"], p["percent"], p["complete"]) == (2, 3, 66, False)


def test_unpublished_lessons_do_not_count(tree, enrolled):
    services.lesson_mark_complete(user=enrolled, lesson=tree.reading)
    tree.checked.unpublish()
    p = course_progress(user=enrolled, course=tree.course)
    assert (p["done"], p["total"], p["complete"]) == (1, 1, True)
    assert p["continue_lesson"] is None


def test_another_learners_completions_do_not_count(tree, enrolled, other_learner):
    services.enrolment_create(user=other_learner, course=tree.course)
    services.lesson_mark_complete(user=other_learner, lesson=tree.reading)
    assert course_progress(user=enrolled, course=tree.course)["done"] == 0


def test_continue_is_the_first_open_lesson_after_the_latest_completion(tree, enrolled):
    extra = add_module_with_lessons(tree, "extra", 2)
    now = timezone.now()
    LessonCompletion.objects.create(user=enrolled, lesson=extra[0], how="marked", completed_at=now)
    LessonCompletion.objects.create(
        user=enrolled, lesson=tree.reading, how="marked", completed_at=now - timedelta(days=1)
    )
    assert course_progress(user=enrolled, course=tree.course)["continue_lesson"].pk == extra[1].pk
    # The last lesson done most recently: continue wraps around to the first open one.
    LessonCompletion.objects.create(
        user=enrolled, lesson=extra[1], how="marked", completed_at=now + timedelta(1)
    )
    assert course_progress(user=enrolled, course=tree.course)["continue_lesson"].pk == tree.checked.pk


def test_the_course_page_shows_progress_in_text_and_a_labelled_bar(client, tree, enrolled):
    services.lesson_mark_complete(user=enrolled, lesson=tree.reading)
    client.force_login(enrolled)
    page = client.get(tree.course.url).content.decode()
    assert '<label for="course-progress">Course progress</label>' in page
    assert '<progress id="course-progress" max="100" value="50">' in page and "50 % (1 of 2 lessons)" in page
    assert "(1 of 2 done)" in page and "Completed</span>" in page
    assert "continue with “Checked lesson”" in page
    module_page = client.get(tree.module.url).content.decode()
    assert module_page.count("Completed</span>") == 1
