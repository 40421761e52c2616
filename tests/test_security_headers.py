"""Headers that keep exam and personal data out of browser caches, the Content-Security-Policy,
and numbers out of range answered with 400 instead of a server error."""

import json

import pytest
from django.test import Client

from tests.conftest import mfa_login

pytestmark = pytest.mark.django_db


def _personal_urls(attempt, certificate=None):
    urls = [
        "/me/profile/",
        "/me/learning/",
        "/me/certificates/",
        "/me/exams/",
        f"/exams/attempts/{attempt.pk}/",
        f"/exams/attempts/{attempt.pk}/submit/",
        f"/api/v1/attempts/{attempt.pk}",
        "/api/v1/me/sittings",
        f"/exams/sittings/{attempt.registration.sitting_id}/",
    ]
    if certificate is not None:
        urls.append(f"/me/certificates/{certificate.code}.pdf")
    return urls


def test_every_personal_and_exam_response_is_no_store_private(client, attempt, learner):
    client.force_login(learner)
    for url in _personal_urls(attempt):
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        cache_control = response.headers.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, (url, cache_control)


def test_results_and_the_certificate_pdf_are_no_store(client, attempt, learner, now):
    from exams import services

    services.attempt_submit(attempt=attempt, now=now, actor=learner)
    client.force_login(learner)
    for url in (f"/exams/attempts/{attempt.pk}/result/", f"/api/v1/attempts/{attempt.pk}/result"):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_a_signed_in_lesson_page_is_no_store_and_a_signed_out_one_stays_public(client, learner):
    client.force_login(learner)
    assert "no-store" in client.get("/").headers["Cache-Control"]
    anonymous = Client().get("/glossary/")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")


def test_the_site_sends_a_strict_content_security_policy(client, attempt, learner):
    client.force_login(learner)
    for url in ("/", f"/exams/attempts/{attempt.pk}/", f"/exams/sittings/{attempt.registration.sitting_id}/"):
        policy = client.get(url).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (url, policy)
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_exam_pages_carry_no_inline_script_or_style(client, attempt, learner):
    import re

    client.force_login(learner)
    for url in (f"/exams/attempts/{attempt.pk}/", f"/exams/sittings/{attempt.registration.sitting_id}/"):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


def test_the_admin_policy_allows_its_own_inline_code_from_this_origin_only(client, examiner):
    mfa_login(client, examiner)
    policy = client.get("/cms/").headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy and "https:" not in policy


def test_the_api_has_no_docs_page_loading_a_cdn_and_declares_errors_and_limits(client):
    assert client.get("/api/v1/docs/", follow=True).status_code == 404
    schema = client.get("/api/v1/openapi.json").json()
    save = schema["paths"]["/api/v1/attempts/{attempt_id}/answers/{position}"]["put"]
    assert {"401", "404", "409", "422"} <= set(save["responses"])
    params = {p["name"]: p["schema"] for p in save["parameters"]}
    assert params["position"]["maximum"] == 1000 and params["attempt_id"]["minimum"] == 1
    body = json.dumps(schema["components"]["schemas"]["AnswerIn"])
    assert '"maximum": 9007199254740992' in body


@pytest.mark.parametrize(
    "path, body",
    [
        ("/attempts/{pk}/answers/1", {"key": "A", "seq": 10**19}),
        ("/attempts/99999999999999999999/answers/1", {"key": "A", "seq": 1}),
        ("/attempts/{pk}/answers/99999999999999999999", {"key": "A", "seq": 1}),
    ],
)
def test_numbers_out_of_range_in_the_api_answer_4xx_never_500(client, attempt, learner, path, body):
    client.force_login(learner)
    response = client.put(
        "/api/v1" + path.format(pk=attempt.pk), data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (400, 422), response.content
    assert response.json()["error"] in ("invalid_request",)


def test_numbers_out_of_range_in_page_urls_answer_400(client, learner):
    client.force_login(learner)
    response = client.get("/exams/attempts/99999999999999999999999/result/")
    assert response.status_code in (400, 404)
    assert response.status_code != 500


def test_a_database_that_is_restarting_answers_503_with_retry_after(client, attempt, learner, monkeypatch):
    from django.db import OperationalError

    from exams import services

    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "answer_save_own", down)
    client.force_login(learner)
    response = client.put(
        f"/api/v1/attempts/{attempt.pk}/answers/1",
        data=json.dumps({"key": "A", "seq": 1}),
        content_type="application/json",
    )
    assert response.status_code == 503 and response["Retry-After"] == "2"


def test_a_database_lost_before_the_view_answers_503_too(learner, attempt, monkeypatch):
    """A middleware that loads the signed-in person (language, time zone) meets the restarting
    database before any view does: the answer is still 503 with Retry-After, never 500."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(learner)

    def down(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", down)
    api = client.put(
        f"/api/v1/attempts/{attempt.pk}/answers/1",
        data=json.dumps({"key": "A", "seq": 1}),
        content_type="application/json",
    )
    assert api.status_code == 503 and api["Retry-After"] == "2"
    assert api.json()["error"] == "unavailable"
    page = client.get("/me/exams/")
    assert page.status_code == 503 and page["Retry-After"] == "2"
