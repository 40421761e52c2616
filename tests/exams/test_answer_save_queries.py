"""The answer save is the exam's hot path: its database work is counted here so that a
change that adds a query per save is noticed (speed itself is measured in bench/)."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from exams import services
from exams.models import AttemptItem


@pytest.mark.django_db
def test_an_api_answer_save_reads_the_attempt_once_and_writes_item_and_event(learner, attempt, now):
    services.attempt_start(attempt=attempt, now=now, actor=learner)
    client = Client()
    client.force_login(learner)
    client.get("/api/v1/me/sittings")  # the session and user are cached per request, not per save
    with CaptureQueriesContext(connection) as queries:
        response = client.put(
            f"/api/v1/attempts/{attempt.pk}/answers/1",
            data=json.dumps({"key": "A", "seq": 1}),
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    sql = [q["sql"] for q in queries.captured_queries]
    # One read of the attempt row: a SELECT … FOR UPDATE, or (PostgreSQL) the locking CTE of the
    # one statement that also writes the item and its event.
    attempt_reads = [s for s in sql if s.startswith(("SELECT", "WITH")) and 'FROM "exams_attempt"' in s]
    assert len(attempt_reads) == 1, attempt_reads
    assert len(sql) <= 8, sql
    assert AttemptItem.objects.get(attempt=attempt, position=1).seq == 1


@pytest.mark.django_db
def test_beginning_an_attempt_does_not_read_the_registration_or_sitting_again(learner, registration, now):
    with CaptureQueriesContext(connection) as queries:
        attempt, created = services.attempt_begin(sitting=registration.sitting, user=learner, now=now)
    assert created and attempt.state == "in_progress"
    sql = [q["sql"] for q in queries.captured_queries]
    sitting_reads = [s for s in sql if s.startswith("SELECT") and 'FROM "exams_sitting"' in s]
    assert sitting_reads == [], sitting_reads
