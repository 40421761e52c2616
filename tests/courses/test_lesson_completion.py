import pytest

from courses import errors, services
from courses.models import LessonCompletion
from tests.conftest import login

pytestmark = pytest.mark.django_db


def complete_url(lesson):
    return f"/learning/lessons/{lesson.pk}/complete/"


def test_mark_as_complete_by_post_records_one_completion(client, tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    login(client, learner)
    assert "Mark as complete" in client.get(tree.reading.url).content.decode()
    assert client.get(complete_url(tree.reading)).status_code == 405
    client.post(complete_url(tree.reading))
    client.post(complete_url(tree.reading))
    completion = LessonCompletion.objects.get(user=learner)
    assert completion.lesson_id == tree.reading.pk and completion.how == "marked"
    page = client.get(tree.reading.url).content.decode()
    assert "Lesson complete" in page and "Mark as complete" not in page


def test_a_lesson_with_a_knowledge_check_is_not_completed_by_the_button(tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    with pytest.raises(errors.CompletedByKnowledgeCheck):
        services.lesson_mark_complete(user=learner, lesson=tree.checked)
    assert not LessonCompletion.objects.exists()


def test_completion_requires_enrolment(client, tree, learner):
    with pytest.raises(errors.NotEnrolled):
        services.lesson_mark_complete(user=learner, lesson=tree.reading)
    login(client, learner)
    client.post(complete_url(tree.reading))
    assert not LessonCompletion.objects.exists()


def test_anonymous_completion_goes_to_sign_in(client, tree):
    response = client.post(complete_url(tree.reading))
    assert response.status_code == 302 and f"next={tree.reading.url}" in response["Location"]


def test_completion_needs_the_csrf_token(csrf_client, tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    login(csrf_client, learner)
    assert csrf_client.post(complete_url(tree.reading)).status_code == 403
    assert not LessonCompletion.objects.exists()


def test_lesson_pages_link_to_the_next_lesson(client, tree):
    page = client.get(tree.reading.url).content.decode()
    assert f'rel="next" href="{tree.checked.url}"' in page
    page = client.get(tree.checked.url).content.decode()
    assert f'rel="prev" href="{tree.reading.url}"' in page and "Back to the course" in page
