"""Sitting access codes are long and random by default, compared in constant time, and five
wrong codes lock the registration until an invigilator unlocks it."""

from datetime import timedelta

import pytest

from exams import errors, services
from exams.codes import ACCESS_CODE_LENGTH, access_code_normalise
from exams.models import Attempt, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(certification, trainer, learner, now):
    sitting = services.sitting_create(
        certification=certification,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=1),
        created_by=trainer,
        invigilators=[trainer],
    )
    services.sitting_open(sitting=sitting, actor=trainer)
    registration = services.registration_create(sitting=sitting, user=learner, actor=trainer)
    return sitting, registration


def test_a_scheduled_sitting_gets_a_long_random_code_by_default(coded, certification):
    sitting, _ = coded
    assert len(access_code_normalise(sitting.access_code)) == ACCESS_CODE_LENGTH
    other = services.sitting_create(certification=certification)
    assert other.access_code != sitting.access_code
    with pytest.raises(errors.InvalidTransition, match="at least 8"):
        services.sitting_create(certification=certification, access_code="1234")


def test_five_wrong_codes_lock_the_registration_and_the_invigilator_unlocks_it(coded, learner, trainer, now):
    sitting, registration = coded
    for left in (4, 3, 2, 1):
        with pytest.raises(errors.SittingNotOpen, match=f"after {left} more"):
            services.attempt_begin(sitting=sitting, user=learner, now=now, access_code="WRONG-CODE")
    with pytest.raises(errors.RegistrationLocked):
        services.attempt_begin(sitting=sitting, user=learner, now=now, access_code="WRONG-CODE")
    # Locked: even the right code is refused now.
    with pytest.raises(errors.RegistrationLocked):
        services.attempt_begin(sitting=sitting, user=learner, now=now, access_code=sitting.access_code)
    registration.refresh_from_db()
    assert registration.locked_at is not None and registration.access_code_failures == 5
    with pytest.raises(errors.ConflictOfInterest):
        services.registration_unlock(registration=registration, actor=learner)
    services.registration_unlock(registration=registration, actor=trainer)
    attempt, _ = services.attempt_begin(
        sitting=sitting, user=learner, now=now, access_code=sitting.access_code
    )
    assert attempt.state == Attempt.State.IN_PROGRESS


def test_the_invigilation_page_shows_the_lock_and_unlocks_by_post(client, coded, learner, trainer, now):
    sitting, registration = coded
    Registration.objects.filter(pk=registration.pk).update(locked_at=now, access_code_failures=5)
    client.force_login(trainer)
    page = client.get(f"/invigilate/{sitting.pk}/").content.decode()
    assert "Locked" in page and sitting.access_code in page
    assert client.get(f"/invigilate/{sitting.pk}/action/?action=unlock").status_code == 405
    client.post(f"/invigilate/{sitting.pk}/action/", {"action": "unlock", "registration": registration.pk})
    registration.refresh_from_db()
    assert registration.locked_at is None
