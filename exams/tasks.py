from celery import shared_task
from django.utils import timezone

from . import services
from .services.statistics import item_statistics_compute


@shared_task(acks_late=True)
def attempts_expire_overdue():
    """Beat, every 30 s: close attempts past deadline + grace and grade them."""
    return services.attempts_expire_overdue(now=timezone.now())


@shared_task(acks_late=True)
def attempt_grade(attempt_id):
    return services.attempt_grade(attempt_id=attempt_id, now=timezone.now())


@shared_task(acks_late=True)
def item_statistics_recompute():
    return item_statistics_compute(now=timezone.now())
