"""Background work for organisations' certificates; every task is idempotent. Imported by
certificates.tasks, so the worker registers these tasks."""

from celery import shared_task
from django.utils import timezone

from config.task_retry import RETRY_TRANSIENT

from . import organisation_emails as emails
from . import organisation_services as services
from .models import OrganisationCertificate, OrganisationCertificateReminder
from .organisation_pdf import organisation_certificate_pdf_ensure


@shared_task(acks_late=True)
def organisation_certificates_daily():
    """Beat, once a day: remind before expiry, and tell of certificates nobody was told of."""
    now = timezone.now()
    return {
        "reminded": services.organisation_certificates_remind(today=timezone.localdate(now)),
        "notified": services.organisation_certificates_notify_missing(now=now),
    }


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def organisation_certificate_issued_notify(certificate_id):
    certificate = OrganisationCertificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.notified_at is not None:
        return
    organisation_certificate_pdf_ensure(certificate)
    if not services.organisation_certificate_notification_claim(certificate=certificate, now=timezone.now()):
        return  # another worker (or a retry) told them already
    try:
        emails.organisation_certificate_issued(certificate)
    except Exception:
        services.organisation_certificate_notification_release(certificate=certificate)
        raise


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def organisation_certificate_reminder_send(reminder_id):
    reminder = (
        OrganisationCertificateReminder.objects.filter(pk=reminder_id).select_related("certificate").first()
    )
    if reminder is None or reminder.sent_at is not None:
        return
    certificate = reminder.certificate
    if certificate.revoked_at or certificate.suspended_at or certificate.expires_on != reminder.expires_on:
        return  # no longer in force, or its validity changed: nothing to remind of
    if not services.organisation_certificate_reminder_claim(reminder=reminder, now=timezone.now()):
        return
    try:
        emails.organisation_certificate_reminder(certificate, reminder.days_before)
    except Exception:
        services.organisation_certificate_reminder_release(reminder=reminder)
        raise


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def organisation_certificate_revoked_notify(certificate_id):
    certificate = OrganisationCertificate.objects.filter(pk=certificate_id).first()
    if certificate is not None and certificate.revoked_at:
        emails.organisation_certificate_revoked(certificate)
