import pytest
from django.db import IntegrityError

from accounts.models import AuditEntry
from courses import services
from courses.models import Enrolment
from tests.conftest import login

pytestmark = pytest.mark.django_db


def enrol_url(tree):
    return f"/learning/courses/{tree.course.pk}/enrol/"


def test_enrolment_create_is_idempotent_and_audited_once(tree, learner):
    first, created = services.enrolment_create(user=learner, course=tree.course)
    again, created_again = services.enrolment_create(user=learner, course=tree.course)
    assert created and not created_again and first.pk == again.pk
    assert Enrolment.objects.filter(user=learner).count() == 1
    assert AuditEntry.objects.filter(action="course.enrolled", target_id=str(first.pk)).count() == 1


def test_the_database_refuses_a_second_enrolment_row(tree, learner):
    Enrolment.objects.create(user=learner, course=tree.course)
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(user=learner, course=tree.course)


def test_enrolling_by_get_is_not_allowed(client, tree, learner):
    login(client, learner)
    assert client.get(enrol_url(tree)).status_code == 405
    assert not Enrolment.objects.exists()


def test_anonymous_enrolment_goes_to_sign_in_and_back_to_the_course(client, tree):
    response = client.post(enrol_url(tree))
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/accounts/login/")
        and "next=/courses/test-course/" in response["Location"]
    )
    assert not Enrolment.objects.exists()


def test_enrolment_needs_the_csrf_token(csrf_client, tree, learner):
    login(csrf_client, learner)
    assert csrf_client.post(enrol_url(tree)).status_code == 403
    assert not Enrolment.objects.exists()
    page = csrf_client.get(tree.course.url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = csrf_client.post(enrol_url(tree), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == tree.course.url
    assert Enrolment.objects.filter(user=learner, course=tree.course).exists()


def test_posting_twice_keeps_one_enrolment_and_the_page_shows_enrolled(client, tree, learner):
    login(client, learner)
    page = client.get(tree.course.url).content.decode()
    assert f'action="/learning/courses/{tree.course.pk}/enrol/"' in page and "Enrol in this course" in page
    client.post(enrol_url(tree))
    client.post(enrol_url(tree))
    assert Enrolment.objects.filter(user=learner).count() == 1
    page = client.get(tree.course.url).content.decode()
    assert "You are enrolled" in page and "Enrol in this course" not in page


def test_enrolment_from_a_lesson_returns_to_the_lesson_but_never_off_site(client, tree, learner):
    login(client, learner)
    response = client.post(enrol_url(tree), {"next": tree.checked.url})
    assert response["Location"] == tree.checked.url
    other = services.enrolment_withdraw(user=learner, course=tree.course)
    assert other
    response = client.post(enrol_url(tree), {"next": "https://evil.example/"})
    assert response["Location"] == tree.course.url


def test_enrolling_in_an_unknown_or_unpublished_course_is_404(client, tree, learner):
    login(client, learner)
    assert client.post("/learning/courses/999999/enrol/").status_code == 404
    tree.course.unpublish()
    assert client.post(enrol_url(tree)).status_code == 404


def test_withdrawing_keeps_completed_lessons(client, tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    services.lesson_mark_complete(user=learner, lesson=tree.reading)
    login(client, learner)
    assert client.get(f"/learning/courses/{tree.course.pk}/withdraw/").status_code == 405
    client.post(f"/learning/courses/{tree.course.pk}/withdraw/")
    assert not Enrolment.objects.exists()
    assert learner.lesson_completions.count() == 1
    assert AuditEntry.objects.filter(action="course.withdrawn").count() == 1
    assert "You completed 1 of 2 lessons before" in client.get(tree.course.url).content.decode()
