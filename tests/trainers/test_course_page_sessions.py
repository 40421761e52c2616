"""The course page lists the certification's upcoming published sessions through the
courses hook that trainers registers, and links the calendar filtered to it."""

import pytest

from tests.courses.conftest import build_course
from trainers import services


@pytest.mark.django_db
def test_course_page_lists_published_sessions_and_links_the_calendar(
    client, certification, session_a, admin_a
):
    course = build_course(code=certification.code, slug="tst-course", title="TST course")
    page = client.get(course.course.url).content.decode()
    assert "No scheduled sessions yet" in page  # a draft is not offered
    assert f'href="/sessions/?certification={certification.code}"' in page

    services.session_publish(session=session_a, actor=admin_a)
    page = client.get(course.course.url).content.decode()
    assert f'href="/sessions/{session_a.pk}/">{session_a.title}</a>' in page
    assert "10 seats left" in page
    calendar = client.get(f"/sessions/?certification={certification.code}").content.decode()
    assert f"/sessions/{session_a.pk}/" in calendar
