from datetime import timedelta

import pytest
from django.utils import timezone

from trainers.models import AccreditationReminder
from trainers.services.reminders import accreditations_sweep
from trainers.tasks import accreditations_daily

from .conftest import accredit
from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_expired_accreditations_expire(certification, examiner_user):
    acc = accredit(examiner=examiner_user, certification=certification, organisation=OrganisationFactory())
    result = accreditations_sweep(today=acc.valid_until + timedelta(days=1))
    acc.refresh_from_db()
    assert acc.status == "expired" and result["expired"] == 1
    assert acc.decisions.last().to_status == "expired"


def test_reminders_60_and_14_days_before_are_sent_once_each(
    certification, examiner_user, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory
    from trainers import services

    org = OrganisationFactory()
    admin = UserFactory(email="boss@org.example")
    services.membership_add(organisation=org, user=admin, role="admin")
    acc = accredit(examiner=examiner_user, certification=certification, organisation=org, days_after=100)
    day60 = acc.valid_until - timedelta(days=60)
    for today in (day60 - timedelta(days=1), day60, day60, day60 + timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            accreditations_sweep(today=today)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["boss@org.example"]
    assert "60 days" in mailoutbox[0].subject
    day14 = acc.valid_until - timedelta(days=14)
    for today in (day14, day14 + timedelta(days=2)):
        with django_capture_on_commit_callbacks(execute=True):
            accreditations_sweep(today=today)
    assert len(mailoutbox) == 2 and "14 days" in mailoutbox[1].subject
    assert set(AccreditationReminder.objects.values_list("days_before", flat=True)) == {60, 14}


def test_a_trainer_whose_certificate_expired_is_suspended(trainer_a):
    certificate = trainer_a.user.certificates.get()
    certificate.expires_on = timezone.localdate() - timedelta(days=1)
    certificate.save()
    result = accreditations_daily.delay().get()
    assert result["suspended"] == 1
    assert trainer_a.accreditations.get().status == "suspended"


def test_the_daily_task_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "trainers.tasks.accreditations_daily" in tasks
