"""The daily accreditation sweep: expiry, expiry reminders, and trainers who no
longer hold the certificate (a certificate may also lapse without a signal)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.background import enqueue
from certificates.selectors import holds_valid_certificate

from .. import errors
from ..models import Accreditation, AccreditationReminder
from .accreditations import accreditation_expire, accreditation_suspend

REMINDER_DAYS = (60, 14)


def _threshold(days_left):
    """The smallest reminder threshold that applies (a late first run sends only the nearest one)."""
    due = [d for d in REMINDER_DAYS if days_left <= d]
    return min(due) if due else None


def accreditations_sweep(*, today=None):
    today = today or timezone.localdate()
    expired = reminded = suspended = 0
    for accreditation in Accreditation.objects.filter(status="accredited", valid_until__lt=today):
        try:
            accreditation_expire(accreditation=accreditation, today=today)
            expired += 1
        except errors.InvalidTransition:
            continue
    for accreditation in Accreditation.objects.filter(
        status="accredited", trainer__isnull=False
    ).select_related("trainer__user", "certification"):
        if not holds_valid_certificate(accreditation.trainer.user, accreditation.certification):
            try:
                accreditation_suspend(
                    accreditation=accreditation,
                    notes=f"The trainer no longer holds a valid {accreditation.certification.name} certificate.",
                )
                suspended += 1
            except errors.InvalidTransition:
                continue
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    for accreditation in Accreditation.objects.filter(
        status="accredited", valid_until__gte=today, valid_until__lte=horizon
    ):
        days = _threshold((accreditation.valid_until - today).days)
        if days is None:
            continue
        try:
            with transaction.atomic():
                reminder = AccreditationReminder.objects.create(
                    accreditation=accreditation, days_before=days, valid_until=accreditation.valid_until
                )
                transaction.on_commit(lambda pk=reminder.pk: _after_reminder(pk))
            reminded += 1
        except IntegrityError:
            continue  # already reminded for this threshold and validity
    return {"expired": expired, "reminded": reminded, "suspended": suspended}


def _after_reminder(reminder_id):
    from ..tasks import accreditation_reminder_send

    enqueue(accreditation_reminder_send, reminder_id)
