"""The broker path: a real Celery worker (started here) runs the sweep against the test database."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from exams import tasks
from exams.models import Attempt

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="needs CELERY_BROKER_URL and a worker"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker needs a shared database server"),
]


@pytest.fixture
def worker():
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.test")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@localhost",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield proc
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_worker_expires_and_grades_an_overdue_attempt(worker, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=attempt.started_at - timedelta(hours=2), deadline=attempt.deadline - timedelta(hours=2)
    )
    tasks.attempts_expire_overdue.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        attempt.refresh_from_db()
        if attempt.state == "graded":
            break
        assert worker.poll() is None, worker.stdout.read()
        time.sleep(0.5)
    assert attempt.state == "graded"
    assert attempt.finished_at == attempt.deadline
