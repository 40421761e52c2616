"""Queueing background work without putting the request at the mercy of the broker.

Work is queued after the transaction that makes it necessary commits. If the broker is
unreachable at that moment the request still succeeds: the failure is logged, and the
periodic sweeps that own each kind of work catch up what was not queued."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue(task, *args, countdown=None, **kwargs):
    """Queue `task` now; never raises because the broker is down. Returns True when queued."""
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
