"""Passwords are hashed with Argon2id at OWASP's parameters; old PBKDF2 hashes are upgraded at sign-in."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.test import override_settings

from accounts.hashers import Argon2idHasher
from tests.factories import UserFactory

PRODUCTION_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]


def test_the_configured_hashers_are_argon2id_first():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "accounts.hashers.Argon2idHasher"
    assert Argon2idHasher.memory_cost >= 19 * 1024 and Argon2idHasher.time_cost >= 2


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_pbkdf2_hash_is_upgraded_to_argon2id_at_the_next_sign_in(client):
    user = UserFactory(email="old@example.org")
    user.password = PBKDF2PasswordHasher().encode("an old password 42", PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    response = client.post("/accounts/login/", {"login": "old@example.org", "password": "an old password 42"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert isinstance(identify_hasher(user.password), Argon2idHasher)
    before = user.password
    client.logout()
    client.post("/accounts/login/", {"login": "old@example.org", "password": "an old password 42"})
    user.refresh_from_db()
    assert user.password == before  # not re-hashed at every sign-in
