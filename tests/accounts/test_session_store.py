"""The session store reads sessions in one plain statement; everything else is Django's."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.session_store import SessionStore
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_saved_session_loads_with_its_data():
    store = SessionStore()
    store["answer"] = {"position": 3, "key": "B"}
    store.save()
    again = SessionStore(store.session_key)
    assert again["answer"] == {"position": 3, "key": "B"}
    assert again.session_key == store.session_key


@pytest.mark.django_db
def test_an_expired_session_loads_empty_and_drops_its_key():
    store = SessionStore()
    store["answer"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(store.session_key)
    assert again.load() == {}
    assert again.session_key is None


@pytest.mark.django_db
def test_an_unknown_key_loads_empty():
    again = SessionStore("x" * 32)
    assert again.load() == {}
    assert again.session_key is None


@pytest.mark.django_db
def test_a_signed_in_request_is_recognised_and_a_logout_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    assert SessionStore(key).get("_auth_user_id") == str(user.pk)
    response = client.get("/me/learning/")
    assert response.status_code == 200
    client.post("/accounts/logout/")
    assert SessionStore(key).load() == {}
    assert client.get("/me/learning/").status_code == 302
