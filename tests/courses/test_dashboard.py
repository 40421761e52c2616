import pytest

from courses import services
from tests.conftest import login
from tests.courses.conftest import RIGHT, answers, build_course

pytestmark = pytest.mark.django_db


def test_my_learning_requires_sign_in(client):
    response = client.get("/me/learning/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/login/?next=/me/learning/"
    )


def test_my_learning_lists_courses_with_progress_and_where_to_continue(client, tree, learner, other_learner):
    services.enrolment_create(user=learner, course=tree.course)
    services.lesson_mark_complete(user=learner, lesson=tree.reading)
    other = build_course(code="OTH", slug="other-course", title="Other course")
    services.enrolment_create(user=other_learner, course=other.course)
    login(client, learner)
    page = client.get("/me/learning/").content.decode()
    assert "Test course" in page and "Other course" not in page
    assert (
        '<progress id="progress-test-course" max="100" value="50">' in page
        and "50 % (1 of 2 lessons)" in page
    )
    assert f'href="{tree.checked.url}">Continue where you left off' in page
    assert "No completed course yet." in page
    assert response_nav_has_my_learning(page)


def response_nav_has_my_learning(page):
    nav = page.split('<nav aria-label="Main">')[1].split("</nav>")[0]
    return 'href="/me/learning/">My learning' in nav


def test_a_completed_course_moves_to_completed_and_points_to_the_exam(client, tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    services.lesson_mark_complete(user=learner, lesson=tree.reading)
    services.knowledge_check_submit(
        user=learner, lesson=tree.checked, block_id=tree.block_id, data=answers(tree, RIGHT)
    )
    login(client, learner)
    page = client.get("/me/learning/").content.decode()
    completed = page.split('id="done-h"')[1]
    assert "Test course" in completed and "100 % (2 of 2 lessons)" in completed
    assert (
        "Ready for the Test course certification exam" in completed
        and f'href="{tree.course.url}#book-h"' in completed
    )
    assert "You are not following a course at the moment" in page


def test_nobody_enrolled_sees_an_empty_dashboard_with_a_way_to_the_catalogue(client, learner):
    login(client, learner)
    page = client.get("/me/learning/").content.decode()
    assert 'href="/courses/">Browse the courses' in page
