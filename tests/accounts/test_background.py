"""Work queued after commit never fails the request when the broker is down."""

import time

import pytest

from accounts.background import enqueue


@pytest.fixture
def dead_broker(request):
    """A Celery app whose broker address answers nothing (a closed local port)."""
    from config.celery import app

    saved = {k: app.conf.get(k) for k in ("task_always_eager", "broker_url", "broker_connection_timeout")}
    saved_policy = app.conf.get("broker_transport_options")
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:9/0"
    app.conf.broker_connection_timeout = 1
    app.conf.broker_transport_options = {"max_retries": 0}
    app.pool.force_close_all()
    yield app
    for k, v in saved.items():
        app.conf[k] = v
    app.conf.broker_transport_options = saved_policy
    app.pool.force_close_all()


def test_enqueue_with_the_broker_down_returns_false_quickly_instead_of_raising(dead_broker, caplog):
    from exams.tasks import item_statistics_recompute

    started = time.monotonic()
    assert enqueue(item_statistics_recompute) is False
    assert time.monotonic() - started < 15
    assert "periodic sweep will catch up" in caplog.text


def test_enqueue_with_a_working_queue_runs_the_task(db):
    from exams.tasks import item_statistics_recompute

    assert enqueue(item_statistics_recompute) is True


def test_without_a_broker_in_development_queued_work_runs_beside_the_request(settings, db):
    """The request returns before the task has finished: it runs in a thread of its own."""
    import threading

    from config.celery import app

    settings.BACKGROUND_TASKS_IN_THREADS = True
    started, release = threading.Event(), threading.Event()

    @app.task(name="tests.slow_task")
    def slow_task():
        started.set()
        release.wait(5)
        return "done"

    assert enqueue(slow_task) is True
    assert started.wait(5)  # it runs...
    assert not release.is_set()  # ...while we (the request) already went on
    release.set()
