"""Voiding an attempt: its own confirmation form with a reason, and the candidate is told who,
when and why (result page and e-mail)."""

import pytest
from django.core import mail

from accounts.roles import TRAINER, role_add
from exams.models import Attempt, AttemptEvent
from tests.factories import UserFactory


def _url(sitting, attempt):
    return f"/invigilate/{sitting.pk}/attempts/{attempt.pk}/void/"


@pytest.fixture
def named_trainer(trainer):
    trainer.first_name, trainer.last_name = "Tara", "Trainer"
    trainer.save()
    return trainer


@pytest.mark.django_db
def test_get_shows_the_form_and_changes_nothing(client, named_trainer, sitting, attempt):
    client.force_login(named_trainer)
    response = client.get(_url(sitting, attempt))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Void the attempt of Lena Learner?" in page
    assert 'name="reason"' in page and 'name="confirmed"' in page and "csrfmiddlewaretoken" in page
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert not mail.outbox


@pytest.mark.django_db
def test_post_with_reason_and_confirmation_voids_and_records_the_invigilator(
    client, named_trainer, sitting, attempt
):
    client.force_login(named_trainer)
    response = client.post(_url(sitting, attempt), {"reason": "Phone on the desk", "confirmed": "on"})
    assert response.status_code == 302 and response["Location"] == f"/invigilate/{sitting.pk}/"
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.VOIDED and attempt.void_reason == "Phone on the desk"
    event = AttemptEvent.objects.get(attempt=attempt, kind=AttemptEvent.Kind.VOIDED)
    assert event.actor == named_trainer


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"reason": "Phone", "confirmed": ""},  # no confirmation
        {"reason": "", "confirmed": "on"},  # no reason
        {"reason": "   ", "confirmed": "on"},  # blank reason
        {"reason": "x" * 501, "confirmed": "on"},  # too long
    ],
)
def test_post_without_confirmation_or_a_valid_reason_is_refused(
    client, named_trainer, sitting, attempt, data
):
    client.force_login(named_trainer)
    response = client.post(_url(sitting, attempt), data)
    assert response.status_code == 400
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert not mail.outbox


@pytest.mark.django_db
def test_a_reason_of_500_characters_is_accepted(client, named_trainer, sitting, attempt):
    client.force_login(named_trainer)
    client.post(_url(sitting, attempt), {"reason": "y" * 500, "confirmed": "on"})
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.VOIDED and len(attempt.void_reason) == 500


@pytest.mark.django_db
def test_the_void_form_needs_csrf(csrf_client, named_trainer, sitting, attempt):
    csrf_client.force_login(named_trainer)
    response = csrf_client.post(_url(sitting, attempt), {"reason": "Phone", "confirmed": "on"})
    assert response.status_code == 403
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


@pytest.mark.django_db
def test_access_needs_login_a_role_and_the_sitting(client, learner, sitting, attempt):
    url = _url(sitting, attempt)
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(learner)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Mine", "confirmed": "on"}).status_code == 403
    stranger = UserFactory()
    role_add(stranger, TRAINER)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Not mine", "confirmed": "on"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


@pytest.mark.django_db
def test_an_attempt_of_another_sitting_is_not_found(
    client, named_trainer, sitting, attempt, certification, now
):
    from datetime import timedelta

    from exams import services

    other = services.sitting_create(
        certification=certification,
        title="Other sitting",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=2),
        created_by=named_trainer,
        invigilators=[named_trainer],
        access_code="",
    )
    client.force_login(named_trainer)
    assert client.get(f"/invigilate/{other.pk}/attempts/{attempt.pk}/void/").status_code == 404


@pytest.mark.django_db
def test_the_candidate_is_told_who_voided_when_and_why(
    client, named_trainer, learner, sitting, attempt, django_capture_on_commit_callbacks
):
    client.force_login(named_trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(sitting, attempt), {"reason": "Notes under the keyboard", "confirmed": "on"}
        )
    assert response.status_code == 302
    attempt.refresh_from_db()
    day = attempt.finished_at.strftime("%-d %b %Y")  # the one date format of the site

    client.force_login(learner)
    page = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
    assert "voided by Tara Trainer on " + day in page
    assert "Notes under the keyboard" in page

    [message] = [m for m in mail.outbox if m.to == [learner.email]]
    assert "voided" in message.subject and "Test exam" in message.subject
    assert "Tara Trainer" in message.body and day in message.body
    assert "Notes under the keyboard" in message.body
    html = message.alternatives[0][0]
    assert "Tara Trainer" in html and "Notes under the keyboard" in html
    assert f"/exams/attempts/{attempt.pk}/result/" in message.body


@pytest.mark.django_db
def test_an_already_voided_attempt_is_not_voided_again(client, named_trainer, sitting, attempt, now):
    from exams import services

    services.attempt_void(attempt=attempt, actor=named_trainer, reason="First", now=now)
    client.force_login(named_trainer)
    response = client.post(_url(sitting, attempt), {"reason": "Second", "confirmed": "on"})
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.void_reason == "First"
    assert AttemptEvent.objects.filter(attempt=attempt, kind=AttemptEvent.Kind.VOIDED).count() == 1


@pytest.mark.django_db
def test_the_service_refuses_a_reason_over_500_characters(named_trainer, attempt, now):
    from exams import errors, services

    with pytest.raises(errors.InvalidTransition):
        services.attempt_void(attempt=attempt, actor=named_trainer, reason="z" * 501, now=now)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS


@pytest.mark.django_db
def test_the_monitor_links_to_the_void_form_and_has_no_direct_void_button(
    client, named_trainer, sitting, attempt
):
    client.force_login(named_trainer)
    page = client.get(f"/invigilate/{sitting.pk}/").content.decode()
    assert _url(sitting, attempt) in page
    assert 'value="void"' not in page
