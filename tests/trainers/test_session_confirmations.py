"""Publishing, completing and cancelling a session are confirmed on a page of their own: the
confirmation page (GET) changes nothing, and a POST without the confirmation is sent back to it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from trainers.models import TrainingSession

pytestmark = pytest.mark.django_db


def _started(session):
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    session.refresh_from_db()
    return session


@pytest.mark.parametrize(
    "kind, fixture, status",
    [
        ("publish", "session_a", "draft"),
        ("cancel", "published_a", "published"),
        ("complete", "published_a", "published"),
    ],
)
def test_the_confirmation_page_changes_nothing_and_a_bare_post_is_refused(
    client, request, admin_a, kind, fixture, status
):
    session = (
        _started(request.getfixturevalue(fixture)) if kind == "complete" else request.getfixturevalue(fixture)
    )
    client.force_login(admin_a)
    page = client.get(f"/training/sessions/{session.pk}/confirm/{kind}/")
    assert page.status_code == 200
    assert 'name="confirmed" value="yes"' in page.content.decode()
    session.refresh_from_db()
    assert session.status == status

    refused = client.post(f"/training/sessions/{session.pk}/action/", {"action": kind})
    assert refused.status_code == 302
    assert refused["Location"] == f"/training/sessions/{session.pk}/confirm/{kind}/"
    session.refresh_from_db()
    assert session.status == status


@pytest.mark.parametrize(
    "kind, fixture, after",
    [
        ("publish", "session_a", "published"),
        ("cancel", "published_a", "cancelled"),
        ("complete", "published_a", "completed"),
    ],
)
def test_the_confirmed_post_changes_the_state(client, request, admin_a, kind, fixture, after):
    session = request.getfixturevalue(fixture)
    if kind == "complete":
        session = _started(session)
    client.force_login(admin_a)
    response = client.post(f"/training/sessions/{session.pk}/action/", {"action": kind, "confirmed": "yes"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == after


def test_the_confirmation_page_is_get_only_and_for_the_session_managers(client, session_a, admin_b, learner):
    url = f"/training/sessions/{session_a.pk}/confirm/publish/"
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(admin_b)
    assert client.get(url).status_code in (403, 404)
    session_a.refresh_from_db()
    assert session_a.status == "draft"
