from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import UserFactory
from trainers import services
from trainers.models import TrainingSession

pytestmark = pytest.mark.django_db


def _paths(session):
    base = f"/training/sessions/{session.pk}"
    return [f"{base}/", f"{base}/edit/", f"{base}/confirm/cancel/", f"{base}/confirm/complete/"]


def _posts(session, participant_id=1, invitation_id=1):
    base = f"/training/sessions/{session.pk}"
    return [
        (f"{base}/action/", {"action": "cancel", "confirmed": "yes"}),
        (f"{base}/invite/", {"email": "x@y.example"}),
        (f"{base}/import/", {}),
        (f"{base}/participants/{participant_id}/", {"action": "cancel"}),
        (f"{base}/participants/{participant_id}/", {"action": "refuse"}),
        (f"{base}/invitations/{invitation_id}/", {"action": "withdraw"}),
        (f"{base}/attendance/", {"day": session.days[0].isoformat()}),
        (f"{base}/edit/", {"title": "Hijacked"}),
    ]


def _world(session, learner):
    """A seat and a pending invitation that outsiders must not touch."""
    participant = services.participant_invite(session=session, user=learner, actor=None)
    invitation = services.session_invitation_create(session=session, email="guest@test.example", actor=None)
    return participant, invitation


def _untouched(session, participant, invitation):
    session.refresh_from_db()
    participant.refresh_from_db()
    invitation.refresh_from_db()
    assert session.status == "published" and session.title != "Hijacked"
    assert participant.status == "enrolled"
    assert invitation.status == "pending"
    assert session.invitations.count() == 1


def test_changes_are_post_only(client, published_a, trainer_a, learner):
    participant, invitation = _world(published_a, learner)
    client.force_login(trainer_a.user)
    for path, _data in _posts(published_a, participant.pk, invitation.pk):
        if path.endswith("/edit/"):
            continue  # the edit form is a page; its POST is the change
        assert client.get(path).status_code == 405, path
    _untouched(published_a, participant, invitation)


def test_anonymous_is_sent_to_sign_in(client, published_a):
    for path in ["/training/", "/training/sessions/new/", *_paths(published_a)]:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


def test_learners_get_403(client, learner, published_a):
    client.force_login(learner)
    for path in ["/training/", "/training/sessions/new/", *_paths(published_a)]:
        assert client.get(path).status_code == 403, path


def test_another_organisations_trainer_and_admin_get_404_and_change_nothing(
    client, published_a, trainer_b, admin_b, learner
):
    participant, invitation = _world(published_a, learner)
    for user in (trainer_b.user, admin_b):
        client.force_login(user)
        for path in _paths(published_a):
            assert client.get(path).status_code == 404, path
        for path, data in _posts(published_a, participant.pk, invitation.pk):
            assert client.post(path, data).status_code == 404, path
        assert client.get("/training/organisations/alpha/").status_code == 404
        assert (
            client.post("/training/organisations/alpha/invite/", {"email": "a@b.example"}).status_code == 404
        )
    _untouched(published_a, participant, invitation)


def test_a_trainer_of_the_same_organisation_manages_only_the_sessions_they_teach(
    client, published_a, trainer_a, trainer_a2, learner
):
    participant, invitation = _world(published_a, learner)
    client.force_login(trainer_a2.user)
    assert published_a.title not in client.get("/training/").content.decode()
    for path in _paths(published_a):
        assert client.get(path).status_code == 404, path
    for path, data in _posts(published_a, participant.pk, invitation.pk):
        assert client.post(path, data).status_code == 404, path
    _untouched(published_a, participant, invitation)
    client.force_login(trainer_a.user)  # the session's own trainer still may
    assert client.get(_paths(published_a)[0]).status_code == 200
    assert client.get(_paths(published_a)[2]).status_code == 200


def test_an_affiliate_admin_sees_nothing_of_the_sponsor(client, published_a, affiliate):
    admin = UserFactory()
    services.membership_add(organisation=affiliate, user=admin, role="admin")
    client.force_login(admin)
    for path in _paths(published_a):
        assert client.get(path).status_code == 404
    assert client.get("/training/organisations/alpha/").status_code == 404
    assert client.get("/training/organisations/gamma/").status_code == 200
    assert published_a.title not in client.get("/training/").content.decode()


def test_trainer_creates_and_publishes_a_session(client, trainer_a, org_a, certification):
    client.force_login(trainer_a.user)
    start = (timezone.now() + timedelta(days=21)).replace(hour=9, minute=0)
    response = client.post(
        "/training/sessions/new/",
        {
            "organisation": org_a.pk,
            "certification": certification.pk,
            "title": "Spring course",
            "trainers": [trainer_a.pk],
            "starts_at": start.strftime("%Y-%m-%dT09:00"),
            "ends_at": start.strftime("%Y-%m-%dT17:00"),
            "time_zone": "Europe/Berlin",
            "mode": "online",
            "meeting_link": "https://meet.example/spring",
            "language": "en",
            "capacity": 8,
        },
    )
    session = TrainingSession.objects.get(title="Spring course")
    assert response.status_code == 302 and session.status == "draft"
    assert session.local_start.hour == 9 and session.time_zone == "Europe/Berlin"
    client.post(f"/training/sessions/{session.pk}/action/", {"action": "publish", "confirmed": "yes"})
    session.refresh_from_db()
    assert session.status == "published"


def test_bad_session_input_shows_errors_and_creates_nothing(client, trainer_a, org_a, certification):
    client.force_login(trainer_a.user)
    response = client.post(
        "/training/sessions/new/",
        {
            "organisation": org_a.pk,
            "certification": certification.pk,
            "trainers": [trainer_a.pk],
            "starts_at": "2031-01-02T17:00",
            "ends_at": "2031-01-02T09:00",
            "time_zone": "UTC",
            "mode": "online",
            "language": "en",
            "capacity": 8,
        },
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_publish_refusal_is_shown(client, session_a, trainer_a, org_a, examiner_user):
    services.accreditation_suspend(
        accreditation=org_a.accreditations.get(), actor=examiner_user, notes="Audit."
    )
    client.force_login(trainer_a.user)
    page = client.get(f"/training/sessions/{session_a.pk}/").content.decode()
    assert "cannot be published yet" in page and "holds no accreditation" in page
    assert "Publish…" not in page  # not offered while it cannot apply
    response = client.post(
        f"/training/sessions/{session_a.pk}/action/", {"action": "publish", "confirmed": "yes"}, follow=True
    )
    assert "holds no accreditation" in response.content.decode()
    session_a.refresh_from_db()
    assert session_a.status == "draft"


def test_invite_and_csv_upload_send_invitations_and_show_addresses_only(
    client, published_a, trainer_a, learner, other_learner
):
    client.force_login(trainer_a.user)
    base = f"/training/sessions/{published_a.pk}"
    client.post(f"{base}/invite/", {"email": learner.email})
    assert not published_a.participants.exists()
    assert published_a.invitations.get().email == learner.email
    bad = SimpleUploadedFile("p.csv", b"email\nnot-an-address\n", content_type="text/csv")
    page = client.post(f"{base}/import/", {"file": bad}, follow=True).content.decode()
    assert "line 2: “not-an-address” is not an e-mail address" in page
    assert published_a.invitations.count() == 1
    good = SimpleUploadedFile("p.csv", f"email\n{other_learner.email}\n".encode(), content_type="text/csv")
    page = client.post(f"{base}/import/", {"file": good}, follow=True).content.decode()
    assert "Sent 1 invitation(s)" in page
    assert set(published_a.invitations.values_list("email", flat=True)) == {
        learner.email,
        other_learner.email,
    }
    assert not published_a.participants.exists()
    assert learner.printed_name not in page and other_learner.printed_name not in page
    assert page.count("Invited, not yet accepted") >= 2


def test_attendance_form_marks_each_enrolled_participant(
    client, published_a, trainer_a, learner, other_learner
):
    a = services.participant_invite(session=published_a, user=learner, actor=None)
    b = services.participant_invite(session=published_a, user=other_learner, actor=None)
    client.force_login(trainer_a.user)
    day = published_a.days[0]
    client.post(
        f"/training/sessions/{published_a.pk}/attendance/", {"day": day.isoformat(), "present": [a.pk]}
    )
    assert a.attendance.get(day=day).present is True
    assert b.attendance.get(day=day).present is False


def test_opening_the_sitting_leads_to_invigilation(client, published_a, trainer_a, learner):
    services.participant_invite(session=published_a, user=learner, actor=None)
    TrainingSession.objects.filter(pk=published_a.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(trainer_a.user)
    response = client.post(f"/training/sessions/{published_a.pk}/action/", {"action": "open_sitting"})
    published_a.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/invigilate/{published_a.sitting_id}/"
    monitor = client.get(response["Location"])
    assert monitor.status_code == 200 and learner.printed_name in monitor.content.decode()


def test_admin_dashboard_shows_trainers_expiry_and_voucher_pool(
    client, admin_a, org_a, trainer_a, certification, examiner_user
):
    services.organisation_vouchers_allocate(
        organisation=org_a,
        certification=certification,
        count=2,
        valid_until=timezone.now() + timedelta(days=30),
        actor=examiner_user,
    )
    client.force_login(admin_a)
    page = client.get("/training/organisations/alpha/").content.decode()
    expiry = trainer_a.accreditations.get().valid_until
    assert trainer_a.display_name in page and expiry.strftime("%-d %b %Y") in page
    assert "<td>TST</td><td>2</td><td>0</td><td>0</td><td>0</td><td>2</td>" in page.replace("\n", "")
    codes = [v.voucher.code for v in org_a.vouchers.select_related("voucher")]
    vouchers_page = client.get("/training/organisations/alpha/vouchers/").content.decode()
    assert all(code in vouchers_page for code in codes)


def test_trainer_invitation_is_accepted_after_sign_in(
    client, admin_a, org_a, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/training/organisations/alpha/invite/", {"email": "new.trainer@test.example"})
    invitation = org_a.invitations.get()
    assert mailoutbox[0].to == ["new.trainer@test.example"] and invitation.token in mailoutbox[0].body
    url = f"/training/invitations/{invitation.token}/"
    assert client.get(url).status_code == 404  # not the invited address
    newcomer = UserFactory(email="new.trainer@test.example")
    client.force_login(newcomer)
    client.post(url)
    assert org_a.memberships.filter(user=newcomer, role="trainer").exists()
    assert client.post(url, follow=True).status_code == 200
    assert org_a.memberships.filter(user=newcomer).count() == 1


def test_results_show_scores_never_answers(client, published_a, trainer_a, learner):
    from exams import services as exam_services
    from tests.conftest import correct_key

    services.participant_invite(session=published_a, user=learner, actor=None)
    TrainingSession.objects.filter(pk=published_a.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    published_a.refresh_from_db()
    sitting = services.session_sitting_open(session=published_a, actor=trainer_a.user)
    now = timezone.now()
    attempt, _ = exam_services.attempt_begin(
        sitting=sitting, user=learner, now=now, access_code=sitting.access_code
    )
    for seq, item in enumerate(attempt.items.order_by("position"), 1):
        exam_services.answer_save(
            attempt=attempt, position=item.position, key=correct_key(item), seq=seq, now=now
        )
    exam_services.attempt_submit(attempt=attempt, now=now)
    client.force_login(trainer_a.user)
    page = client.get(f"/training/sessions/{published_a.pk}/").content.decode()
    assert "100.0 %" in page and "(1 of 1 graded exams)" in page
    first = attempt.items.first().question_version
    assert first.stem not in page and first.question.external_id not in page
    home = client.get("/training/").content.decode()
    assert "100.0 %" in home
