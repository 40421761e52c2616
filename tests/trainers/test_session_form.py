"""The session form fills what it can and shows errors at their field; a session in the past gets a
warning, not a refusal; only the actions that apply are offered, and publishing, completing and
cancelling are each confirmed on a page of their own first (no JavaScript needed)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from trainers import errors, services
from trainers.models import Membership, TrainingSession

from .conftest import make_session, make_trainer
from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _form(client):
    response = client.get("/training/sessions/new/")
    assert response.status_code == 200
    return response.context["form"], response.content.decode()


def _post(client, org, certification, trainer, **overrides):
    start = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    data = {
        "organisation": org.pk,
        "certification": certification.pk,
        "trainers": [trainer.pk],
        "starts_at": f"{start}T09:00",
        "ends_at": f"{start}T17:00",
        "time_zone": "Europe/Berlin",
        "mode": "online",
        "meeting_link": "https://meet.example/x",
        "language": "de",
        "capacity": 8,
        **overrides,
    }
    return client.post("/training/sessions/new/", data)


# --- the form ---------------------------------------------------------------


def test_the_form_fills_the_only_organisation_the_trainer_and_what_follows(
    client, trainer_a, org_a, certification
):
    trainer_a.languages = "fr,en"
    trainer_a.save()
    client.force_login(trainer_a.user)
    form, page = _form(client)
    assert form["organisation"].value() == org_a.pk
    assert form.fields["organisation"].empty_label is None  # one organisation, nothing to choose
    assert form["trainers"].value() == [trainer_a.pk]
    assert form["certification"].value() == certification.pk  # the one it is accredited for
    assert form["language"].value() == "fr"  # the trainer's first teaching language
    assert form["time_zone"].value() == "Europe/Berlin"  # Alpha Training is in DE
    assert form["starts_at"].value().hour == 9 and form["ends_at"].value().hour == 17
    assert form["mode"].value() == "online" and form["capacity"].value() == 12
    assert "checked" in str(form["trainers"])


def test_the_language_is_chosen_from_a_list_of_names(client, trainer_a):
    client.force_login(trainer_a.user)
    _, page = _form(client)
    for code, name in (("en", "English"), ("de", "German (Deutsch)"), ("fr", "French (Français)")):
        assert f'<option value="{code}"' in page and name in page
    assert '<select name="language"' in page


def test_an_admin_of_two_organisations_chooses_and_is_not_named_trainer(client, org_a, org_b, certification):
    admin = UserFactory()
    for org in (org_a, org_b):
        services.membership_add(organisation=org, user=admin, role=Membership.Role.ADMIN)
    client.force_login(admin)
    form, _ = _form(client)
    assert form["organisation"].value() is None and form.fields["organisation"].empty_label
    assert not form["trainers"].value()


def test_a_session_created_with_the_defaults_and_a_meeting_link(client, trainer_a, org_a, certification):
    """What the browser journey does: only the meeting link is typed in."""
    client.force_login(trainer_a.user)
    form, _ = _form(client)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = field.widget.format_value(value) if name in ("starts_at", "ends_at") else value
    data["meeting_link"] = "https://meet.example/defaults"
    response = client.post("/training/sessions/new/", data)
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert session.organisation == org_a and list(session.trainers.all()) == [trainer_a]
    assert session.title == f"{certification.name} course" and session.language == "en"
    assert session.local_start.hour == 9 and session.time_zone == "Europe/Berlin"


def test_service_errors_are_shown_at_their_field(client, trainer_a, org_a, certification):
    client.force_login(trainer_a.user)
    response = _post(client, org_a, certification, trainer_a, meeting_link="")
    assert response.status_code == 200 and not TrainingSession.objects.exists()
    form = response.context["form"]
    assert form.errors == {"meeting_link": ["An online or blended session needs a meeting link."]}
    page = response.content.decode()
    assert 'id="id_meeting_link_error"' in page
    assert 'aria-describedby="id_meeting_link_helptext id_meeting_link_error"' in page
    assert "please correct the 1 problem shown below" in page
    response = _post(client, org_a, certification, trainer_a, mode="in_person", venue="")
    assert list(response.context["form"].errors) == ["venue"]


def test_an_outsider_trainer_is_refused_at_the_trainers_field(org_a, certification, examiner_user):
    outsider = make_trainer(OrganisationFactory(), certification, examiner_user, accredited=False)
    with pytest.raises(errors.NotAllowed) as info:
        make_session(org_a, [outsider], certification, None)
    assert info.value.field == "trainers"


def test_a_session_in_the_past_is_created_with_a_warning(client, trainer_a, org_a, certification):
    client.force_login(trainer_a.user)
    day = (timezone.now() - timedelta(days=3)).strftime("%Y-%m-%d")
    response = _post(
        client, org_a, certification, trainer_a, starts_at=f"{day}T09:00", ends_at=f"{day}T17:00"
    )
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and session.status == "draft"
    page = client.get(response["Location"]).content.decode()
    assert page.count("Warning:") >= 2  # the message after saving and the note on the page
    assert "starts in the past" in page


# --- what is offered --------------------------------------------------------


def test_actions_that_cannot_apply_yet_are_not_offered(client, published_a, trainer_a):
    client.force_login(trainer_a.user)
    page = client.get(f"/training/sessions/{published_a.pk}/").content.decode()
    assert "Cancel the session…" in page and "Invite by e-mail" in page
    assert "Mark as completed…" not in page and "Open the exam sitting" not in page  # not started
    assert "Publish…" not in page and 'id="attendance"' not in page
    TrainingSession.objects.filter(pk=published_a.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    page = client.get(f"/training/sessions/{published_a.pk}/").content.decode()
    assert "Mark as completed…" in page and "Open the exam sitting" in page and 'id="attendance"' in page


def test_a_completed_session_offers_no_cancellation_and_no_seats(client, published_a, trainer_a, learner):
    requester = UserFactory()
    services.participant_invite(session=published_a, user=learner, actor=None)
    services.participant_request(session=published_a, user=requester)
    TrainingSession.objects.filter(pk=published_a.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    published_a.refresh_from_db()
    services.session_complete(session=published_a, actor=trainer_a.user)
    client.force_login(trainer_a.user)
    page = client.get(f"/training/sessions/{published_a.pk}/").content.decode()
    for offer in (
        "Cancel the session",
        "Cancel place",
        "Accept",
        "Refuse the request",
        "Invite by e-mail",
        "seats left",
    ):
        assert offer not in page, offer
    assert "Open the exam sitting" in page  # still possible after the session
    public = client.get(published_a.get_absolute_url()).content.decode()
    assert "Seats left" not in public and "Request a seat" not in public
    with pytest.raises(errors.InvalidTransition):
        services.participant_cancel(participant=published_a.participants.get(user=learner), actor=learner)
    assert client.get(f"/training/sessions/{published_a.pk}/confirm/cancel/").status_code == 302
    response = client.post(
        f"/training/sessions/{published_a.pk}/action/", {"action": "cancel", "confirmed": "yes"}
    )
    published_a.refresh_from_db()
    assert response.status_code == 302 and published_a.status == "completed"


def test_the_public_page_names_the_language(client, published_a):
    TrainingSession.objects.filter(pk=published_a.pk).update(language="de")
    assert "German (Deutsch)" in client.get(published_a.get_absolute_url()).content.decode()


# --- confirmation pages -----------------------------------------------------


@pytest.mark.parametrize("kind", ["publish", "cancel"])
def test_a_consequential_action_without_confirmation_only_leads_to_its_page(
    client, session_a, trainer_a, kind
):
    client.force_login(trainer_a.user)
    response = client.post(f"/training/sessions/{session_a.pk}/action/", {"action": kind})
    assert response.status_code == 302
    assert response["Location"] == f"/training/sessions/{session_a.pk}/confirm/{kind}/"
    session_a.refresh_from_db()
    assert session_a.status == "draft"


def test_publishing_after_confirmation(client, session_a, trainer_a):
    client.force_login(trainer_a.user)
    manage = client.get(f"/training/sessions/{session_a.pk}/").content.decode()
    assert f'href="/training/sessions/{session_a.pk}/confirm/publish/"' in manage
    page = client.get(f"/training/sessions/{session_a.pk}/confirm/publish/").content.decode()
    assert "Publish “" in page and "public course calendar" in page
    assert 'name="confirmed" value="yes"' in page and "Yes, publish the session" in page
    assert f'action="/training/sessions/{session_a.pk}/action/"' in page and 'method="post"' in page
    client.post(f"/training/sessions/{session_a.pk}/action/", {"action": "publish", "confirmed": "yes"})
    session_a.refresh_from_db()
    assert session_a.status == "published"


def test_cancelling_after_confirmation_keeps_the_reason(client, published_a, trainer_a, learner):
    from accounts.models import AuditEntry

    services.participant_invite(session=published_a, user=learner, actor=None)
    services.participant_request(session=published_a, user=UserFactory())
    services.session_invitation_create(session=published_a, email="guest@test.example", actor=None)
    client.force_login(trainer_a.user)
    page = client.get(f"/training/sessions/{published_a.pk}/confirm/cancel/").content.decode()
    assert "cannot be undone" in page and 'for="id_reason"' in page
    assert "1 enrolled, 0 on the waiting list, 1 request(s) waiting, 1 invitation(s) not yet accepted" in page
    client.post(
        f"/training/sessions/{published_a.pk}/action/",
        {"action": "cancel", "confirmed": "yes", "reason": "Trainer ill"},
    )
    published_a.refresh_from_db()
    assert published_a.status == "cancelled"
    assert AuditEntry.objects.get(action="training_session.cancelled").reason == "Trainer ill"


def test_completing_after_confirmation(client, published_a, trainer_a):
    TrainingSession.objects.filter(pk=published_a.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(trainer_a.user)
    assert "feedback" in client.get(f"/training/sessions/{published_a.pk}/confirm/complete/").content.decode()
    client.post(f"/training/sessions/{published_a.pk}/action/", {"action": "complete", "confirmed": "yes"})
    published_a.refresh_from_db()
    assert published_a.status == "completed"


def test_a_confirmation_that_cannot_apply_is_not_offered(
    client, published_a, trainer_a, org_a, certification, examiner_user
):
    draft = make_session(org_a, [trainer_a], certification, None, days=20)
    client.force_login(trainer_a.user)
    # Not started yet: no completing; an unknown step does not exist.
    assert client.get(f"/training/sessions/{published_a.pk}/confirm/complete/").status_code == 302
    assert client.get(f"/training/sessions/{published_a.pk}/confirm/delete/").status_code == 404
    services.accreditation_suspend(
        accreditation=org_a.accreditations.get(), actor=examiner_user, notes="Audit."
    )
    response = client.get(f"/training/sessions/{draft.pk}/confirm/publish/", follow=True)
    assert "holds no accreditation" in response.content.decode()
    assert response.redirect_chain[-1][0] == f"/training/sessions/{draft.pk}/"
