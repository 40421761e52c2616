"""The answer saves' 200 answers are rendered without django-ninja's response validation
(exams.api.answered): each body must still be exactly what the declared schema renders."""

import json

import pytest
from django.test import Client
from ninja.responses import NinjaJSONEncoder

from exams.api import AnswerOut, AnswersOut

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(learner):
    client = Client()
    client.force_login(learner)
    return client


def as_the_schema_renders(schema, body):
    return json.loads(json.dumps(schema.model_validate(body).model_dump(), cls=NinjaJSONEncoder))


def put(client, path, body):
    return client.put(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


def test_a_single_save_answers_what_its_schema_renders(candidate, attempt):
    response = put(candidate, f"/attempts/{attempt.pk}/answers/1", {"key": "B", "seq": 1, "flagged": True})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body == as_the_schema_renders(AnswerOut, body)
    assert set(body) == set(AnswerOut.model_fields)
    assert (body["position"], body["key"], body["flagged"], body["seq"]) == (1, "B", True, 1)
    assert body["saved_at"].endswith("Z") and body["deadline"].endswith("Z")


def test_a_cleared_answer_renders_its_key_as_null(candidate, attempt):
    put(candidate, f"/attempts/{attempt.pk}/answers/2", {"key": "A", "seq": 1})
    body = put(candidate, f"/attempts/{attempt.pk}/answers/2", {"key": None, "seq": 2}).json()

    assert body["key"] is None
    assert body == as_the_schema_renders(AnswerOut, body)


def test_a_batch_answers_what_its_schema_renders(candidate, attempt):
    answers = [{"position": 1, "key": "A", "seq": 1}, {"position": 2, "key": "C", "seq": 2, "flagged": True}]
    response = put(candidate, f"/attempts/{attempt.pk}/answers", {"answers": answers})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body == as_the_schema_renders(AnswersOut, body)
    assert [(a["position"], a["key"], a["refused"]) for a in body["answers"]] == [
        (1, "A", None),
        (2, "C", None),
    ]
