"""A seat request tells the session's trainers and acknowledges the learner; acceptance and refusal
tell the learner. Every message is queued after the commit and has a text and an HTML part."""

import pytest

from accounts.models import AuditEntry
from trainers import errors, services

from .conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_trainers(org_a, trainer_a, trainer_a2, certification, admin_a):
    session = make_session(org_a, [trainer_a, trainer_a2], certification, admin_a)
    return services.session_publish(session=session, actor=admin_a)


def test_a_request_tells_every_trainer_and_acknowledges_the_learner(
    two_trainers, trainer_a, trainer_a2, learner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.participant_request(session=two_trainers, user=learner)
    assert len(callbacks) == 1  # queued once, after the commit
    to_trainers, to_learner = mailoutbox
    assert to_trainers.to == sorted([trainer_a.user.email, trainer_a2.user.email])
    assert learner.printed_name in to_trainers.subject and two_trainers.title in to_trainers.subject
    assert f"/training/sessions/{two_trainers.pk}/" in to_trainers.body
    assert to_learner.to == [learner.email] and "We received your request" in to_learner.subject
    assert all(m.alternatives for m in mailoutbox)
    # Asking again while the request is open sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_request(session=two_trainers, user=learner)
    assert len(mailoutbox) == 2


def test_acceptance_tells_the_learner(
    published_a, trainer_a, learner, mailoutbox, django_capture_on_commit_callbacks
):
    participant = services.participant_request(session=published_a, user=learner)
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_accept(participant=participant, actor=trainer_a.user)
    assert mailoutbox[-1].to == [learner.email] and "You have a seat" in mailoutbox[-1].subject


def test_refusal_tells_the_learner_with_the_reason_and_is_audited(
    published_a, trainer_a, learner, mailoutbox, django_capture_on_commit_callbacks
):
    participant = services.participant_request(session=published_a, user=learner)
    with django_capture_on_commit_callbacks(execute=True):
        refused = services.participant_refuse(
            participant=participant, actor=trainer_a.user, reason="Full of staff"
        )
    assert refused.status == "refused"
    message = mailoutbox[-1]
    assert message.to == [learner.email] and "not accepted" in message.subject
    assert "Full of staff" in message.body and "Full of staff" in message.alternatives[0][0]
    entry = AuditEntry.objects.get(action="participant.refused")
    assert entry.actor == trainer_a.user and entry.reason == "Full of staff"
    # Refused stays refused: no second refusal, no acceptance, and asking again changes nothing.
    with pytest.raises(errors.InvalidTransition):
        services.participant_refuse(participant=participant, actor=trainer_a.user)
    with pytest.raises(errors.InvalidTransition):
        services.participant_accept(participant=participant, actor=trainer_a.user)
    assert services.participant_request(session=published_a, user=learner).status == "refused"


def test_only_a_request_can_be_refused(published_a, trainer_a, learner):
    seated = services.participant_invite(session=published_a, user=learner, actor=trainer_a.user)
    with pytest.raises(errors.InvalidTransition, match="Only a request"):
        services.participant_refuse(participant=seated, actor=trainer_a.user)
    seated.refresh_from_db()
    assert seated.status == "enrolled"


def test_the_trainer_refuses_on_the_session_page(client, published_a, trainer_a, learner):
    participant = services.participant_request(session=published_a, user=learner)
    client.force_login(trainer_a.user)
    page = client.get(f"/training/sessions/{published_a.pk}/").content.decode()
    assert "Refuse the request" in page and f'for="rr-{participant.pk}"' in page
    response = client.post(
        f"/training/sessions/{published_a.pk}/participants/{participant.pk}/",
        {"action": "refuse", "reason": "Not eligible"},
        follow=True,
    )
    assert "Refused the request" in response.content.decode()
    participant.refresh_from_db()
    assert participant.status == "refused"
    client.force_login(learner)
    assert "could not accept your request" in client.get(published_a.get_absolute_url()).content.decode()
