"""The authentication backends read a request's user in one plain statement; everything else,
the session's hash check and who may sign in, is Django's and allauth's."""

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import AuthenticationBackend, ModelBackend, user_load
from accounts.models import User
from accounts.session_store import SessionStore
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_user_loaded_has_every_field_the_orm_gives():
    user = UserFactory(first_name="Ada", last_name="Ng", last_login=timezone.now() - timedelta(days=2))
    expected = User.objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        loaded = user_load(user.pk)
    assert len(queries) == 1
    assert type(loaded) is User
    assert not loaded._state.adding
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded.last_login.tzinfo is not None
    assert loaded.check_password("correct-horse-battery")


@pytest.mark.django_db
def test_a_string_id_as_the_session_stores_it_loads_the_user():
    user = UserFactory()
    assert user_load(str(user.pk)).pk == user.pk


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", ["999999", "not-a-number", None])
def test_an_unknown_or_malformed_id_loads_nobody(user_id):
    UserFactory()
    assert user_load(user_id) is None


@pytest.mark.django_db
@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_an_inactive_user_is_not_returned(backend):
    user = UserFactory(is_active=False)
    assert backend().get_user(user.pk) is None
    user.is_active = True
    user.save()
    assert backend().get_user(user.pk).pk == user.pk


def _session(user, backend_path, session_hash=None):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend_path
    store[HASH_SESSION_KEY] = session_hash or user.get_session_auth_hash()
    store.create()
    return store.session_key


@pytest.mark.django_db
@pytest.mark.parametrize(
    "legacy",
    ["django.contrib.auth.backends.ModelBackend", "allauth.account.auth_backends.AuthenticationBackend"],
)
def test_a_session_signed_in_through_a_parent_backend_stays_signed_in(client, legacy):
    user = UserFactory()
    client.cookies["sessionid"] = _session(user, legacy)
    assert client.get("/me/learning/").status_code == 200


@pytest.mark.django_db
def test_a_session_naming_an_unknown_backend_is_anonymous(client):
    user = UserFactory()
    client.cookies["sessionid"] = _session(user, "somewhere.else.Backend")
    response = client.get("/me/learning/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_password_change_still_ends_other_sessions(client):
    user = UserFactory()
    client.cookies["sessionid"] = _session(user, "accounts.backends.ModelBackend")
    assert client.get("/me/learning/").status_code == 200
    user.set_password("a wholly new passphrase")
    user.save()
    response = client.get("/me/learning/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_signing_in_through_the_form_records_a_lean_backend(client):
    UserFactory(email="lean@example.org")
    response = client.post(
        "/accounts/login/", {"login": "lean@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    store = SessionStore(client.cookies["sessionid"].value)
    assert store[BACKEND_SESSION_KEY].startswith("accounts.backends.")
    assert client.get("/me/learning/").status_code == 200
