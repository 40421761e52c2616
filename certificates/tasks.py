from celery import shared_task
from django.utils import timezone

from config.task_retry import RETRY_TRANSIENT

from . import emails, services
from .models import Certificate
from .pdf import certificate_pdf_ensure


@shared_task(acks_late=True)
def certificates_sweep():
    """Beat: issue any certificate a lost signal or dead worker missed (idempotent)."""
    return services.certificates_issue_missing(now=timezone.now())


@shared_task(acks_late=True)
def certificates_notify_sweep():
    """Beat, every minute: queue the PDF and e-mail of certificates whose task was never queued
    (the broker was away when they were issued) or failed for good. Cheap: one indexed query."""
    return services.certificates_notify_missing(now=timezone.now())


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def certificate_issued_notify(certificate_id):
    certificate = (
        Certificate.objects.filter(pk=certificate_id).select_related("user", "certification").first()
    )
    if certificate is None or certificate.notified_at is not None:
        return
    certificate_pdf_ensure(certificate)
    if not services.certificate_notification_claim(certificate=certificate, now=timezone.now()):
        return  # another worker (or a retry) told the holder already
    try:
        emails.certificate_issued(certificate)
    except Exception:
        services.certificate_notification_release(certificate=certificate)
        raise


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def certificate_revoked_notify(certificate_id):
    certificate = Certificate.objects.filter(pk=certificate_id).select_related("user").first()
    if certificate is not None and certificate.revoked_at:
        emails.certificate_revoked(certificate)


# The tasks of organisations' certificates, registered with the worker through this module.
from .organisation_tasks import (  # noqa: E402, F401
    organisation_certificate_issued_notify,
    organisation_certificate_reminder_send,
    organisation_certificate_revoked_notify,
    organisation_certificates_daily,
)
