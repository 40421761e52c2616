"""Reactions of the exam engine to its own events."""

from django.conf import settings
from django.db import transaction

from accounts.background import enqueue

from .models import Purpose
from .services.statistics import item_statistics_schedule


def on_attempt_graded(sender, attempt, **kwargs):
    """Item statistics follow the exam results: one recompute, debounced, after the grading commits."""
    if attempt.purpose != Purpose.EXAM:
        return
    from .tasks import item_statistics_recompute

    delay = settings.ITEM_STATISTICS_DELAY_SECONDS
    transaction.on_commit(
        lambda: item_statistics_schedule(
            delay_seconds=delay,
            schedule=lambda countdown: enqueue(item_statistics_recompute, countdown=countdown),
        )
    )
