"""A certificate whose PDF and e-mail were never queued (the broker was down at commit) is caught
up by the sweep, and the holder is told exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from certificates.tasks import certificate_issued_notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(passed_attempt):
    return Certificate.objects.get(attempt=passed_attempt)


def test_the_sweep_queues_the_notification_a_dead_broker_never_sent(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        notified_at=None, issued_at=timezone.now() - timedelta(minutes=10)
    )
    mail.outbox.clear()
    services.certificates_issue_missing(now=timezone.now())
    certificate.refresh_from_db()
    assert certificate.notified_at is not None and certificate.pdf
    assert len(mail.outbox) == 1 and certificate.display_code in mail.outbox[0].body
    services.certificates_issue_missing(now=timezone.now() + timedelta(minutes=5))
    certificate_issued_notify.apply(args=[certificate.pk])
    assert len(mail.outbox) == 1  # exactly once


def test_a_failed_e_mail_releases_the_claim_for_a_retry(certificate, monkeypatch):
    from certificates import emails

    Certificate.objects.filter(pk=certificate.pk).update(notified_at=None)

    def broken(_certificate):
        raise OSError("mail server down")

    monkeypatch.setattr(emails, "certificate_issued", broken)
    from celery.exceptions import Retry

    with pytest.raises((OSError, Retry)):  # autoretry asks Celery to try again later
        certificate_issued_notify.apply(args=[certificate.pk], throw=True)
    certificate.refresh_from_db()
    assert certificate.notified_at is None
