from celery import shared_task
from django.utils import timezone

from config.task_retry import RETRY_TRANSIENT

from . import services
from .services.statistics import item_statistics_compute


@shared_task(acks_late=True)
def attempts_expire_overdue():
    """Beat, every 15 s: close attempts past deadline + grace and grade them."""
    return services.attempts_expire_overdue(now=timezone.now())


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def attempt_grade(attempt_id):
    return services.attempt_grade(attempt_id=attempt_id, now=timezone.now())


@shared_task(acks_late=True)
def item_statistics_recompute():
    return item_statistics_compute(now=timezone.now())


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def attempt_void_notify(attempt_id):
    """To the candidate: their attempt was voided, by whom, when and why."""
    from . import emails
    from .models import Attempt

    attempt = Attempt.objects.filter(pk=attempt_id).select_related("user", "certification").first()
    if attempt is not None and attempt.state == Attempt.State.VOIDED:
        emails.attempt_voided(attempt)
