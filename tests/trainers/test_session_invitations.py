"""Inviting people to a session by e-mail: an invitation is always created and e-mailed, the trainer
never learns whether an account uses the address, and the seat is taken when the invited person
accepts it signed in with that address verified (after signing up, for a person without an account)."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AuditEntry
from tests.factories import UserFactory
from trainers import errors, services
from trainers.models import Participant, SessionInvitation

from .conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(org_a, trainer_a, certification, admin_a):
    """A published session of two seats."""
    session = make_session(org_a, [trainer_a], certification, admin_a, capacity=2)
    return services.session_publish(session=session, actor=admin_a)


def _invite(session, email, actor, capture):
    with capture(execute=True):
        return services.session_invitation_create(session=session, email=email, actor=actor)


# --- services ---------------------------------------------------------------


def test_an_address_with_and_one_without_an_account_are_invited_alike(
    small, trainer_a, learner, mailoutbox, django_capture_on_commit_callbacks
):
    known = _invite(small, learner.email.upper(), trainer_a.user, django_capture_on_commit_callbacks)
    unknown = _invite(small, "nobody-yet@test.example", trainer_a.user, django_capture_on_commit_callbacks)
    for invitation in (known, unknown):
        assert invitation.status == "pending" and invitation.participant_id is None
        assert invitation.expires_at > timezone.now() + timedelta(days=13)
        assert len(invitation.token) >= 40
    assert known.email == learner.email  # stored lower-case
    assert not Participant.objects.exists()  # nobody has a seat before accepting
    assert [m.to for m in mailoutbox] == [[learner.email], ["nobody-yet@test.example"]]
    for message, invitation in zip(mailoutbox, (known, unknown), strict=True):
        assert f"/sessions/invitations/{invitation.token}/" in message.body
        assert message.alternatives and invitation.token in message.alternatives[0][0]
        assert small.title in message.subject
        assert learner.printed_name not in message.body  # the e-mail names nobody either
    audit = AuditEntry.objects.filter(action="session_invitation.sent").values_list("target_id", flat=True)
    assert set(audit) == {str(known.pk), str(unknown.pk)}


def test_inviting_an_address_again_renews_its_one_pending_invitation(
    small, trainer_a, mailoutbox, django_capture_on_commit_callbacks
):
    first = _invite(small, "guest@test.example", trainer_a.user, django_capture_on_commit_callbacks)
    again = _invite(small, "guest@test.example", trainer_a.user, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and again.token == first.token
    assert SessionInvitation.objects.count() == 1 and len(mailoutbox) == 2


def test_a_bad_address_or_a_draft_session_gets_no_invitation(session_a, small, trainer_a):
    with pytest.raises(errors.InvalidTransition) as info:
        services.session_invitation_create(session=small, email="not an address", actor=trainer_a.user)
    assert info.value.field == "email"
    with pytest.raises(errors.InvalidTransition, match="not open for enrolment"):
        services.session_invitation_create(session=session_a, email="guest@test.example", actor=None)
    assert not SessionInvitation.objects.exists()


def test_accepting_with_the_verified_address_takes_a_seat_and_tells_the_person(
    small, trainer_a, learner, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = _invite(small, learner.email, trainer_a.user, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        participant = services.session_invitation_accept(token=invitation.token, user=learner)
    invitation.refresh_from_db()
    assert participant.status == "enrolled" and participant.invited_by == trainer_a.user
    assert invitation.status == "accepted" and invitation.accepted_by == learner
    assert invitation.participant == participant and invitation.responded_at
    assert mailoutbox[-1].to == [learner.email] and "You have a seat" in mailoutbox[-1].subject
    assert AuditEntry.objects.filter(
        action="session_invitation.accepted", target_id=str(invitation.pk)
    ).exists()
    with pytest.raises(errors.InvalidTransition, match="no longer open"):
        services.session_invitation_accept(token=invitation.token, user=learner)
    assert Participant.objects.count() == 1


def test_accepting_a_full_session_gives_the_next_waiting_place(small, trainer_a):
    for _ in range(2):
        services.participant_invite(session=small, user=UserFactory(), actor=trainer_a.user)
    people = [UserFactory() for _ in range(2)]
    invitations = [
        services.session_invitation_create(session=small, email=p.email, actor=trainer_a.user) for p in people
    ]
    places = [
        services.session_invitation_accept(token=i.token, user=p)
        for i, p in zip(invitations, people, strict=True)
    ]
    assert [(p.status, p.position) for p in places] == [("waitlisted", 1), ("waitlisted", 2)]
    assert small.participants.filter(status="enrolled").count() == 2


def test_another_or_an_unverified_address_cannot_accept(small, trainer_a, learner, other_learner):
    invitation = services.session_invitation_create(session=small, email=learner.email, actor=None)
    with pytest.raises(errors.NotAllowed, match="another e-mail address"):
        services.session_invitation_accept(token=invitation.token, user=other_learner)
    EmailAddress.objects.filter(user=learner).update(verified=False)
    with pytest.raises(errors.NotAllowed):
        services.session_invitation_accept(token=invitation.token, user=learner)
    # A second, verified address of the account is as good as the first.
    EmailAddress.objects.create(user=other_learner, email="second@test.example", verified=True)
    second = services.session_invitation_create(session=small, email="Second@test.example", actor=None)
    assert services.session_invitation_accept(token=second.token, user=other_learner).status == "enrolled"
    invitation.refresh_from_db()
    assert invitation.status == "pending" and not small.participants.filter(user=learner).exists()


def test_expired_withdrawn_and_declined_invitations_cannot_be_accepted(small, trainer_a, learner):
    expired = services.session_invitation_create(session=small, email=learner.email, actor=None)
    SessionInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(errors.InvalidTransition, match="expired"):
        services.session_invitation_accept(token=expired.token, user=learner)
    services.session_invitation_resend(invitation=expired, actor=trainer_a.user)  # valid again
    services.session_invitation_withdraw(invitation=expired, actor=trainer_a.user)
    with pytest.raises(errors.InvalidTransition, match="no longer open"):
        services.session_invitation_accept(token=expired.token, user=learner)
    declined = services.session_invitation_create(session=small, email=learner.email, actor=None)
    services.session_invitation_decline(invitation=declined, user=learner)
    with pytest.raises(errors.InvalidTransition):
        services.session_invitation_accept(token=declined.token, user=learner)
    assert not Participant.objects.exists()
    with pytest.raises(errors.InvalidTransition):
        services.session_invitation_withdraw(invitation=declined, actor=trainer_a.user)


def test_a_trainer_of_the_session_cannot_take_a_seat(small, trainer_a):
    invitation = services.session_invitation_create(session=small, email=trainer_a.user.email, actor=None)
    with pytest.raises(errors.NotAllowed, match="Trainers of a session"):
        services.session_invitation_accept(token=invitation.token, user=trainer_a.user)


def test_a_cancelled_session_cannot_be_joined_by_invitation(small, admin_a, learner):
    invitation = services.session_invitation_create(session=small, email=learner.email, actor=None)
    services.session_cancel(session=small, actor=admin_a)
    with pytest.raises(errors.InvalidTransition, match="not open"):
        services.session_invitation_accept(token=invitation.token, user=learner)
    invitation.refresh_from_db()
    assert invitation.status == "pending" and not Participant.objects.exists()


def test_a_request_waiting_for_the_trainer_becomes_a_seat_on_acceptance(small, learner):
    requested = services.participant_request(session=small, user=learner)
    invitation = services.session_invitation_create(session=small, email=learner.email, actor=None)
    participant = services.session_invitation_accept(token=invitation.token, user=learner)
    assert participant.pk == requested.pk and participant.status == "enrolled"


def test_a_failing_csv_import_sends_no_invitation(
    published_a, trainer_a, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(errors.ImportRejected), django_capture_on_commit_callbacks(execute=True):
        services.participants_csv_import(
            session=published_a, data="email\nok@test.example\nbroken\n", actor=trainer_a.user
        )
    assert not SessionInvitation.objects.exists() and mailoutbox == []


# --- the trainer's pages ----------------------------------------------------


def test_the_trainer_gets_the_same_answer_and_sees_only_the_address(
    client, small, trainer_a, learner, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(trainer_a.user)
    answers = []
    for email in (learner.email, "nobody-yet@test.example"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/training/sessions/{small.pk}/invite/", {"email": email}, follow=True)
        message = [m.message for m in response.context["messages"]][0]
        answers.append(message.replace(email, "ADDRESS"))
        assert "No account" not in message
    assert answers[0] == answers[1] == "Invitation sent to ADDRESS. The seat is theirs once they accept it."
    page = client.get(f"/training/sessions/{small.pk}/").content.decode()
    assert learner.email in page and "nobody-yet@test.example" in page
    assert learner.printed_name not in page and learner.last_name not in page
    assert page.count("Invited, not yet accepted") == 2
    assert len(mailoutbox) == 2
    services.session_invitation_accept(token=small.invitations.get(email=learner.email).token, user=learner)
    page = client.get(f"/training/sessions/{small.pk}/").content.decode()
    assert learner.printed_name in page and page.count("Invited, not yet accepted") == 1


def test_a_bad_address_is_shown_at_its_field(client, small, trainer_a):
    client.force_login(trainer_a.user)
    response = client.post(f"/training/sessions/{small.pk}/invite/", {"email": "not-an-address"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_email_error"' in page and 'aria-describedby="id_email_helptext id_email_error"' in page
    assert 'aria-invalid="true"' in page
    assert not SessionInvitation.objects.exists()


def test_the_trainer_sends_again_and_withdraws_an_invitation(
    client, small, trainer_a, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = services.session_invitation_create(session=small, email="guest@test.example", actor=None)
    client.force_login(trainer_a.user)
    url = f"/training/sessions/{small.pk}/invitations/{invitation.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "resend"}, follow=True)
    assert mailoutbox[-1].to == ["guest@test.example"]
    client.post(url, {"action": "withdraw"}, follow=True)
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"
    assert "guest@test.example" not in client.get(f"/training/sessions/{small.pk}/").content.decode()
    other = make_session(small.organisation, list(small.trainers.all()), small.certification, None)
    assert client.post(f"/training/sessions/{other.pk}/invitations/{invitation.pk}/", {}).status_code == 404


# --- the invited person's page ---------------------------------------------


def test_signed_out_the_page_leads_to_sign_in_and_sign_up_and_back(client, small):
    invitation = services.session_invitation_create(session=small, email="new@test.example", actor=None)
    url = f"/sessions/invitations/{invitation.token}/"
    page = client.get(url).content.decode()
    assert small.title in page
    assert f'href="/accounts/login/?next=%2Fsessions%2Finvitations%2F{invitation.token}%2F"' in page
    assert f'href="/accounts/signup/?next=%2Fsessions%2Finvitations%2F{invitation.token}%2F"' in page
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert client.get("/sessions/invitations/not-a-token/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_the_invited_person_accepts_on_the_page(client, small, learner, other_learner):
    invitation = services.session_invitation_create(session=small, email=learner.email, actor=None)
    url = f"/sessions/invitations/{invitation.token}/"
    client.force_login(other_learner)
    page = client.get(url).content.decode()
    assert "sent to another address" in page and "Accept the seat" not in page
    client.post(url, {"action": "accept"})
    assert not Participant.objects.exists()
    client.force_login(learner)
    assert "Accept the seat" in client.get(url).content.decode()
    response = client.post(url, {"action": "accept"}, follow=True)
    assert response.redirect_chain[-1][0] == small.get_absolute_url()
    assert "You have a seat" in response.content.decode()
    assert small.participants.get(user=learner).status == "enrolled"


def test_the_invited_person_may_decline(client, small, learner):
    invitation = services.session_invitation_create(session=small, email=learner.email, actor=None)
    client.force_login(learner)
    client.post(f"/sessions/invitations/{invitation.token}/", {"action": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == "declined" and not Participant.objects.exists()


def test_the_invitation_is_kept_through_sign_up_and_e_mail_verification(
    client, small, trainer_a, mailoutbox, django_capture_on_commit_callbacks
):
    """A person without an account opens the link, signs up with the invited address, confirms it,
    signs in, is pointed back to the invitation and accepts it."""
    _invite(small, "fresh@test.example", trainer_a.user, django_capture_on_commit_callbacks)
    invitation = small.invitations.get()
    accept_url = re.search(r"http://\S+/sessions/invitations/\S+/", mailoutbox[0].body).group(0)
    path = accept_url.split("://", 1)[1].split("/", 1)[1]
    client.get(f"/{path}")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/accounts/signup/?next=/{path}",
            {
                "email": "fresh@test.example",
                "password1": "a-long-new-password-7",
                "password2": "a-long-new-password-7",
                "first_name": "Fresh",
                "last_name": "Person",
            },
        )
    assert response.status_code == 302
    confirm = re.search(r"http://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    confirm_path = "/" + confirm.split("://", 1)[1].split("/", 1)[1]
    response = client.post(confirm_path, follow=True)
    if response.wsgi_request.user.is_authenticated:  # allauth logged them in on confirmation
        page = response.content.decode()
    else:
        response = client.post(
            "/accounts/login/",
            {"login": "fresh@test.example", "password": "a-long-new-password-7"},
            follow=True,
        )
        page = response.content.decode()
    assert invitation.get_absolute_url() in page  # sent back to the invitation, or pointed to it
    response = client.post(invitation.get_absolute_url(), {"action": "accept"}, follow=True)
    assert small.participants.get(user__email="fresh@test.example").status == "enrolled"
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_csv_invitations_are_shown_as_addresses(client, small, trainer_a, learner):
    client.force_login(trainer_a.user)
    upload = SimpleUploadedFile("p.csv", f"email\n{learner.email}\n".encode(), content_type="text/csv")
    client.post(f"/training/sessions/{small.pk}/import/", {"file": upload})
    page = client.get(f"/training/sessions/{small.pk}/").content.decode()
    assert learner.email in page and learner.printed_name not in page
    assert not Participant.objects.exists()
