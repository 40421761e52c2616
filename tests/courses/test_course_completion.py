from datetime import timedelta

import pytest
from django.utils import timezone

from courses import hooks, services
from exams.models import Attempt
from tests.conftest import login
from tests.courses.conftest import RIGHT, answers
from tests.factories import CertificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(tree, learner):
    services.enrolment_create(user=learner, course=tree.course)
    services.lesson_mark_complete(user=learner, lesson=tree.reading)
    services.knowledge_check_submit(
        user=learner, lesson=tree.checked, block_id=tree.block_id, data=answers(tree, RIGHT)
    )
    return learner


@pytest.fixture
def sessions_provider():
    before = hooks._upcoming_sessions_provider
    yield hooks.register_upcoming_sessions_provider
    hooks._upcoming_sessions_provider = before


class Session:
    def __init__(self, title):
        self.title = title
        self.starts_at = timezone.now() + timedelta(days=7)
        self.ends_at = self.starts_at + timedelta(days=2)
        self.time_zone = "Europe/Berlin"
        self.mode_label = "Online"
        self.language = "English"
        self.organisation_name = "Example ATO"
        self.seats_left = 3

    def get_absolute_url(self):
        return "/sessions/1/"


def test_a_completed_course_says_so_and_offers_the_voucher_and_eligibility(client, tree, finished):
    login(client, finished)
    page = client.get(tree.course.url).content.decode()
    assert "Course completed" in page and "You have completed every lesson of Test course" in page
    assert 'action="/me/exams/voucher/"' in page and '<label for="voucher-code">' in page
    assert "You are eligible" in page


def test_missing_prerequisites_are_named(client, tree, finished):
    tree.certification.prerequisites.add(CertificationFactory(code="PRE", name="Prerequisite cert"))
    login(client, finished)
    page = client.get(tree.course.url).content.decode()
    assert "Not yet eligible:" in page and "Prerequisite cert" in page


def test_no_sessions_says_so_and_points_to_a_voucher(client, tree):
    page = client.get(tree.course.url).content.decode()
    assert "No scheduled sessions yet" in page and "voucher" in page


def test_upcoming_sessions_come_from_the_hook(client, tree, sessions_provider):
    calls = []

    def provider(certification, limit):
        calls.append((certification.code, limit))
        return [Session("Foundation week")]

    sessions_provider(provider)
    page = client.get(tree.course.url).content.decode()
    assert calls == [("TCO", 5)]
    assert 'href="/sessions/1/">Foundation week</a>' in page and "3 seats left" in page
    assert "No scheduled sessions yet" not in page


def test_the_practice_form_on_the_course_page_starts_a_practice_attempt(client, certification, learner):
    from tests.courses.conftest import build_course

    course = build_course(code=certification.code, slug="tst-course", title="TST course")
    login(client, learner)
    page = client.get(course.course.url).content.decode()
    action = f'action="/exams/practice/{certification.code}/"'
    assert action in page
    response = client.post(f"/exams/practice/{certification.code}/")
    attempt = Attempt.objects.get(user=learner, purpose="practice")
    assert attempt.certification_id == certification.pk and attempt.state == Attempt.State.IN_PROGRESS
    assert response["Location"] == f"/exams/attempts/{attempt.pk}/"
