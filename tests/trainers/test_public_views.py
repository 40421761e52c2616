import pytest

from trainers import services

pytestmark = pytest.mark.django_db


def test_organisation_directory_lists_status_and_scope(client, org_a, org_b, examiner_user):
    services.accreditation_withdraw(
        accreditation=org_b.accreditations.get(), actor=examiner_user, notes="Closed."
    )
    page = client.get("/organisations/").content.decode()
    assert "Alpha Training" in page and "Beta Academy" in page
    assert "Withdrawn" in page and "TST (accredited)" in page
    filtered = client.get("/organisations/?country=DE").content.decode()
    assert "Alpha Training" in filtered and "Beta Academy" not in filtered


def test_a_withdrawn_organisation_keeps_its_page_shown_as_such(client, org_b, examiner_user):
    services.accreditation_withdraw(
        accreditation=org_b.accreditations.get(), actor=examiner_user, notes="Closed."
    )
    response = client.get("/organisations/beta/")
    assert response.status_code == 200
    assert "WITHDRAWN" in response.content.decode()


def test_unknown_or_unaccredited_pages_are_404(client, certification):
    from .factories import OrganisationFactory

    org = OrganisationFactory(slug="applicant")
    services.accreditation_apply(certification=certification, organisation=org)
    assert client.get("/organisations/applicant/").status_code == 404
    assert client.get("/trainers/nobody/").status_code == 404


def test_trainer_page_verifies_the_accreditation(client, trainer_a, examiner_user):
    url = trainer_a.get_absolute_url()
    page = client.get(url).content.decode()
    assert "ACCREDITED" in page and "Test exam (TST)" in page and "Alpha Training" in page
    services.accreditation_suspend(
        accreditation=trainer_a.accreditations.get(), actor=examiner_user, notes="Audit."
    )
    page = client.get(url).content.decode()
    assert "SUSPENDED" in page and "may not teach" in page


def test_trainer_directory_filters(client, trainer_a, trainer_b):
    trainer_a.languages = "de"
    trainer_a.save()
    page = client.get("/trainers/?language=de").content.decode()
    assert trainer_a.display_name in page and trainer_b.display_name not in page


def test_calendar_lists_published_sessions_with_filters(client, published_a, session_b, org_a, trainer_a):
    from .conftest import make_session

    draft = make_session(org_a, [trainer_a], published_a.certification, None, days=40, title="Hidden draft")
    page = client.get("/sessions/").content.decode()
    assert published_a.get_absolute_url() in page and session_b.get_absolute_url() in page
    assert draft.title not in page
    page = client.get("/sessions/?country=FR&mode=online").content.decode()
    assert published_a.get_absolute_url() not in page and session_b.get_absolute_url() in page
    assert client.get("/sessions/?mode=in_person").content.decode().count("/sessions/") <= 2


def test_draft_session_page_is_404(client, session_a):
    assert client.get(f"/sessions/{session_a.pk}/").status_code == 404


def _ics_description(client, session):
    import icalendar

    cal = icalendar.Calendar.from_ical(client.get(f"/sessions/{session.pk}.ics").content)
    return str(next(iter(cal.walk("VEVENT")))["DESCRIPTION"])


def test_meeting_link_is_shown_to_enrolled_participants_only(client, published_a, learner, trainer_a):
    link = "https://meet.example/room-42"
    url = f"/sessions/{published_a.pk}/"
    assert link not in client.get(url).content.decode()
    client.force_login(learner)
    services.participant_request(session=published_a, user=learner)
    assert link not in client.get(url).content.decode()
    services.participant_accept(participant=published_a.participants.get(), actor=trainer_a.user)
    assert link in client.get(url).content.decode()
    assert link in _ics_description(client, published_a)
    client.logout()
    assert link not in _ics_description(client, published_a)


def test_meeting_link_for_the_trainer_and_admin_not_for_another_admin(
    client, published_a, trainer_a, admin_a, admin_b
):
    link = "https://meet.example/room-42"
    url = f"/sessions/{published_a.pk}/"
    for user, shown in ((trainer_a.user, True), (admin_a, True), (admin_b, False)):
        client.force_login(user)
        assert (link in client.get(url).content.decode()) is shown


def test_requesting_a_seat(csrf_client, published_a, learner):
    url = f"/sessions/{published_a.pk}/request/"
    assert csrf_client.post(url).status_code == 403  # no CSRF token
    csrf_client.force_login(learner)
    page = csrf_client.get(f"/sessions/{published_a.pk}/")
    token = page.cookies["csrftoken"].value
    response = csrf_client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert published_a.participants.get().status == "requested"


def test_requesting_by_get_changes_nothing(client, published_a, learner):
    client.force_login(learner)
    assert client.get(f"/sessions/{published_a.pk}/request/").status_code == 405
    assert not published_a.participants.exists()


def test_anonymous_request_goes_to_sign_in(client, published_a):
    response = client.post(f"/sessions/{published_a.pk}/request/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not published_a.participants.exists()


def test_course_page_hook_gets_sessions(published_a):
    from courses.hooks import upcoming_sessions

    assert upcoming_sessions(published_a.certification)[0].title == published_a.title


def test_trainer_and_organisation_pages_list_upcoming_sessions_with_seats(
    client, published_a, trainer_a, learner
):
    services.participant_invite(session=published_a, user=learner, actor=None)
    for url in (trainer_a.get_absolute_url(), "/organisations/alpha/"):
        page = client.get(url).content.decode().replace("\n", "")
        assert published_a.get_absolute_url() in page and "<td>9</td></tr>" in page.replace(" ", ""), url


def test_session_times_are_shown_in_the_sessions_own_time_zone(client, published_a):
    """Europe/Berlin is UTC+1 in winter, UTC+2 in summer: the pages print Berlin's wall-clock time."""
    local = published_a.starts_at.astimezone(published_a.zone)
    assert local.hour != published_a.starts_at.hour  # the fixture's start is not on UTC's clock
    shown = local.strftime("%H:%M")
    utc = published_a.starts_at.strftime("%H:%M")
    for path in (f"/sessions/{published_a.pk}/", "/sessions/"):
        page = client.get(path).content.decode()
        assert shown in page and "Europe/Berlin" in page, path
        assert utc not in page, path
