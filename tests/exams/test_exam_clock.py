"""The exam page's clock poll: extra time and a void reach a running page without a session
or a database query; a wrong MAC tells nothing."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams import services
from exams.clock import clock_mac, clock_path, clock_wsgi

pytestmark = pytest.mark.django_db


def _wsgi_get(path, method="GET"):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = clock_wsgi({"REQUEST_METHOD": method, "PATH_INFO": path}, start_response)
    return seen, body


def test_a_poll_without_news_gives_the_server_time_only(client, attempt):
    response = client.get(clock_path(attempt.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["server_now"] and body["deadline"] is None and body["state"] is None
    assert response["Cache-Control"] == "no-store"


def test_a_wrong_mac_answers_404_and_tells_nothing(client, attempt):
    response = client.get(f"/api/v1/clock/{attempt.pk}/{'0' * 32}")
    assert response.status_code == 404
    assert "deadline" not in response.json()
    other = clock_path(attempt.pk + 1).rsplit("/", 1)[1]
    assert client.get(f"/api/v1/clock/{attempt.pk}/{other}").status_code == 404


def test_extra_time_is_published_when_it_commits(
    client, attempt, trainer, django_capture_on_commit_callbacks
):
    before = attempt.deadline
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.attempt_extend(attempt=attempt, minutes=7, reason="Fire alarm", actor=trainer)
        assert client.get(clock_path(attempt.pk)).json()["deadline"] is None  # not before commit
    for callback in callbacks:
        callback()
    body = client.get(clock_path(attempt.pk)).json()
    assert body["state"] == "in_progress"
    assert body["deadline"] == (before + timedelta(minutes=7)).isoformat()


def test_a_void_is_published(client, attempt, trainer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_void(
            attempt=attempt, actor=trainer, reason="Notes on the desk", now=attempt.started_at
        )
    assert client.get(clock_path(attempt.pk)).json()["state"] == "voided"


def test_the_wsgi_shortcut_answers_without_a_query_or_a_session(
    attempt, trainer, django_capture_on_commit_callbacks
):
    before = attempt.deadline
    with django_capture_on_commit_callbacks(execute=True):
        services.attempt_extend(attempt=attempt, minutes=3, reason="Late start", actor=trainer)
    with CaptureQueriesContext(connection) as queries:
        seen, body = _wsgi_get(clock_path(attempt.pk))
    assert len(queries) == 0
    assert seen["status"] == "200 OK"
    assert seen["headers"]["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in seen["headers"]
    data = json.loads(b"".join(body))
    assert data["deadline"] == (before + timedelta(minutes=3)).isoformat()


def test_the_wsgi_shortcut_leaves_everything_else_to_django(attempt):
    assert _wsgi_get(clock_path(attempt.pk), method="POST") == ({}, None)
    assert _wsgi_get(f"/api/v1/attempts/{attempt.pk}") == ({}, None)
    assert _wsgi_get("/api/v1/clock/abc/def") == ({}, None)
    seen, _ = _wsgi_get(f"/api/v1/clock/{attempt.pk}/nope")
    assert seen["status"] == "404 Not Found"


def test_the_clock_answers_only_get(client, attempt):
    assert client.post(clock_path(attempt.pk)).status_code == 405


def test_the_exam_page_and_the_api_give_the_clock_address(client, attempt, learner):
    client.force_login(learner)
    page = client.get(f"/exams/attempts/{attempt.pk}/")
    assert f'data-clock="{clock_path(attempt.pk)}"' in page.content.decode()
    api = client.get(f"/api/v1/attempts/{attempt.pk}")
    assert api.json()["clock_url"] == clock_path(attempt.pk)
    assert clock_mac(attempt.pk) in api.json()["clock_url"]
