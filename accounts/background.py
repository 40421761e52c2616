"""Queueing background work without putting the request at the mercy of the broker.

Work is queued after the transaction that makes it necessary commits. If the broker is
unreachable at that moment the request still succeeds: the failure is logged, and the
periodic sweeps that own each kind of work catch up what was not queued."""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)


def _run_in_thread(task, args, kwargs):
    """Without a broker (development), run the task beside the request instead of inside it,
    so nobody waits for a PDF to render. The thread closes its own database connection."""

    def run():
        try:
            task.apply(args=args, kwargs=kwargs)
        except Exception:
            log.exception("Background task %s failed; its periodic sweep will catch up.", task.name)
        finally:
            close_old_connections()

    threading.Thread(target=run, name=f"task-{task.name}", daemon=True).start()


def enqueue(task, *args, countdown=None, **kwargs):
    """Queue `task` now; never raises because the broker is down. Returns True when queued.
    Without a broker, with BACKGROUND_TASKS_IN_THREADS (development), the task runs in a thread."""
    from config.celery import app

    if app.conf.task_always_eager and settings.BACKGROUND_TASKS_IN_THREADS:
        _run_in_thread(task, args, kwargs)
        return True
    try:
        if countdown is None:
            task.apply_async(args=args, kwargs=kwargs)
        else:
            task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
        return True
    except Exception:  # the broker (or the worker in eager mode) failed: the sweep catches up
        log.exception("Could not queue %s; its periodic sweep will catch up.", getattr(task, "name", task))
        return False


def enqueue_on_commit(task, *args, countdown=None, **kwargs):
    """Queue `task` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task, *args, countdown=countdown, **kwargs))
