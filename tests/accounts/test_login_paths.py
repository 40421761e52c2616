"""Every URL that accepts a password signs in through allauth, with the same rate limits,
mandatory e-mail verification and second factor; the old Wagtail and Django admin forms
accept nothing."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from config.settings import base
from tests.conftest import TOTP_SECRET
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
LEGACY_LOGIN_URLS = ["/cms/login/", "/_util/login/", f"/{settings.DJANGO_ADMIN_PATH}login/"]
LIMITS = override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS)


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _signed_in(client):
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", LEGACY_LOGIN_URLS)
def test_each_legacy_login_url_leads_to_allauths_login_and_accepts_no_password(url):
    user = UserFactory(email="ex@example.org")
    client = Client()
    page = client.get(url + "?next=/cms/")
    assert page.status_code == 302 and page["Location"] == "/accounts/login/?next=%2Fcms%2F"
    posted = client.post(url, {"username": user.email, "password": PASSWORD, "login": user.email})
    assert posted.status_code in (302, 404, 405) and not _signed_in(client)


def test_page_passwords_are_not_a_way_in():
    assert Client().post("/_util/authenticate_with_password/1/1/", {"password": "x"}).status_code == 404


def test_wagtails_password_reset_is_allauths(client):
    response = client.get("/cms/password_reset/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/reset/")


@LIMITS
def test_password_reset_mails_one_address_a_bounded_number_of_times(client):
    UserFactory(email="reset@example.org")
    for _ in range(12):
        client.post("/accounts/password/reset/", {"email": "reset@example.org"})
    assert 1 <= len(mail.outbox) <= 3


@LIMITS
def test_wrong_passwords_lock_the_account_for_a_while_even_for_the_right_one(client):
    UserFactory(email="victim@example.org")
    for _ in range(6):
        client.post("/accounts/login/", {"login": "victim@example.org", "password": "wrong-guess"})
    client.post("/accounts/login/", {"login": "victim@example.org", "password": PASSWORD})
    assert not _signed_in(client)


@LIMITS
def test_a_room_behind_one_address_signs_in_while_a_guesser_is_stopped_per_account():
    users = [UserFactory(email=f"candidate{i}@example.org") for i in range(40)]
    for user in users:  # 40 people from the same address within a minute
        c = Client(REMOTE_ADDR="203.0.113.9")
        c.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        assert _signed_in(c), user.email


def test_an_unverified_account_cannot_sign_in(client):
    user = UserFactory(email="new@example.org")
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post("/accounts/login/", {"login": "new@example.org", "password": PASSWORD})
    assert not _signed_in(client)
    assert "confirm-email" in response.get("Location", "") or response.status_code == 200


def _code():
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def test_an_examiner_with_totp_needs_the_code_before_the_cms(client, examiner):
    Authenticator.objects.create(user=examiner, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    response = client.post("/accounts/login/", {"login": examiner.email, "password": PASSWORD})
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert not _signed_in(client)
    assert client.get("/cms/").status_code == 302
    client.post("/accounts/2fa/authenticate/", {"code": _code()})
    assert _signed_in(client)
    assert client.get("/cms/").status_code == 200
