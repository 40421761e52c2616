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


def test_the_minute_sweep_queues_what_the_broker_never_got(certificate, settings):
    from certificates.tasks import certificates_notify_sweep

    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["certificates.tasks.certificates_notify_sweep"] == timedelta(minutes=1)
    Certificate.objects.filter(pk=certificate.pk).update(
        notified_at=None, issued_at=timezone.now() - timedelta(minutes=3)
    )
    mail.outbox.clear()
    certificates_notify_sweep.apply()
    certificate.refresh_from_db()
    assert certificate.notified_at is not None
    assert len(mail.outbox) == 1


def test_a_certificate_issued_a_moment_ago_is_left_to_its_own_task(certificate):
    Certificate.objects.filter(pk=certificate.pk).update(notified_at=None, issued_at=timezone.now())
    assert services.certificates_notify_missing(now=timezone.now()) == 0


@pytest.mark.parametrize("error", ["OperationalError", "InterfaceError", "OSError"])
def test_a_database_or_mail_server_away_makes_the_task_retry(certificate, monkeypatch, error):
    """PostgreSQL restarting while a worker renders the PDF is retried, not left for the sweep
    and a fault in the task itself (below) is not."""
    import django.db

    from certificates import tasks

    exception = getattr(django.db, error, OSError)
    Certificate.objects.filter(pk=certificate.pk).update(notified_at=None)
    calls = []

    def away(_certificate):
        calls.append(1)
        raise exception("server closed the connection unexpectedly")

    monkeypatch.setattr(tasks, "certificate_pdf_ensure", away)
    from celery.exceptions import Retry

    with pytest.raises(Retry):  # Celery is asked to run it again later
        certificate_issued_notify.apply(args=[certificate.pk], throw=True)
    assert len(calls) >= 1
    certificate.refresh_from_db()
    assert certificate.notified_at is None


def test_a_fault_in_the_task_itself_is_not_retried(certificate, monkeypatch):
    from certificates import tasks

    Certificate.objects.filter(pk=certificate.pk).update(notified_at=None)
    calls = []

    def broken(_certificate):
        calls.append(1)
        raise ValueError("a bug")

    monkeypatch.setattr(tasks, "certificate_pdf_ensure", broken)
    with pytest.raises(ValueError):
        certificate_issued_notify.apply(args=[certificate.pk], throw=True)
    assert calls == [1]
