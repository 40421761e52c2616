"""Per-address limits on the account forms are counters of ours, atomic and without a lock; an
exam room behind one address is never refused below them, a flood is."""

import pytest
from allauth.account import app_settings as account_settings
from django.test import Client, override_settings

from config.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
ROOM = "203.0.113.9"


def _signed_in(client):
    return "_auth_user_id" in client.session


def _login(email, password=PASSWORD, address=ROOM):
    client = Client(REMOTE_ADDR=address)
    return client, client.post("/accounts/login/", {"login": email, "password": password})


@override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)
def test_no_allauth_limit_is_kept_per_address():
    per_address = {
        action: rate for action, rate in account_settings.RATE_LIMITS.items() if rate and "/ip" in rate
    }
    assert per_address == {}


@override_settings(RATE_LIMITS={"login:ip": (3, 60)})
def test_the_sign_ins_of_one_address_are_bounded_per_minute():
    users = [UserFactory(email=f"c{i}@example.org") for i in range(5)]
    for user in users[:3]:
        client, _ = _login(user.email)
        assert _signed_in(client)
    client, response = _login(users[3].email)
    assert response.status_code == 429 and not _signed_in(client)
    assert response["Retry-After"] == "60"
    assert "Too many attempts" in response.content.decode()
    client, _ = _login(users[4].email, address="198.51.100.7")  # another address is not affected
    assert _signed_in(client)


@override_settings(RATE_LIMITS={"login-failed:ip": (2, 60)})
def test_failed_passwords_from_one_address_stop_its_sign_ins_for_a_while():
    users = [UserFactory(email=f"f{i}@example.org") for i in range(3)]
    for user in users[:2]:
        client, response = _login(user.email, password="wrong-guess")
        assert response.status_code == 200 and not _signed_in(client)
    client, response = _login(users[2].email)
    assert response.status_code == 429 and not _signed_in(client)
    client, _ = _login(users[2].email, address="198.51.100.7")
    assert _signed_in(client)


@override_settings(RATE_LIMITS={"login-failed:ip": (2, 60)})
def test_good_sign_ins_do_not_use_up_the_failure_budget():
    users = [UserFactory(email=f"g{i}@example.org") for i in range(4)]
    for user in users:
        client, _ = _login(user.email)
        assert _signed_in(client)


@override_settings(RATE_LIMITS={"signup:ip": (1, 60)})
def test_sign_ups_are_bounded_per_address():
    form = {
        "email": "new1@example.org",
        "password1": "a-long-new-password-1",
        "password2": "a-long-new-password-1",
    }
    assert Client(REMOTE_ADDR=ROOM).post("/accounts/signup/", form).status_code != 429
    form["email"] = "new2@example.org"
    assert Client(REMOTE_ADDR=ROOM).post("/accounts/signup/", form).status_code == 429


@override_settings(RATE_LIMITS={"login:ip": (1, 60)})
def test_the_sign_in_page_itself_is_never_limited():
    client = Client(REMOTE_ADDR=ROOM)
    for _ in range(5):
        assert client.get("/accounts/login/").status_code == 200
