import re

import pytest
from django.core import mail

from accounts.models import User


@pytest.mark.django_db
def test_signup_then_email_verification_then_login(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "New.Person@Example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "first_name": "Zoë",
            "last_name": "Łukasiewicz",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="new.person@example.org")
    assert user.printed_name == "Zoë Łukasiewicz"
    # Verification is mandatory: no session before the link is followed.
    client.logout()
    login = client.post(
        "/accounts/login/", {"login": "new.person@example.org", "password": "a-long-enough-passphrase"}
    )
    assert login.status_code == 302 and "confirm-email" in login["Location"]
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    assert client.post(path).status_code == 302
    client.logout()
    login = client.post(
        "/accounts/login/", {"login": "new.person@example.org", "password": "a-long-enough-passphrase"}
    )
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_form_has_login_and_password_fields(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'name="login"' in page and 'name="password"' in page


@pytest.mark.django_db
def test_signup_requires_the_printed_name(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "x@example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db
def test_profile_edit_by_post_only_and_validated(client, learner):
    client.force_login(learner)
    bad = client.post(
        "/me/profile/", {"first_name": "A", "last_name": "B", "language": "en", "country": "Germany"}
    )
    assert bad.status_code == 200 and "two-letter" in bad.content.decode()
    learner.refresh_from_db()
    assert learner.country == ""
    good = client.post(
        "/me/profile/", {"first_name": "Åsa", "last_name": "Ng", "language": "de", "country": "se"}
    )
    assert good.status_code == 302
    learner.refresh_from_db()
    assert (learner.printed_name, learner.country, learner.language) == ("Åsa Ng", "SE", "de")


@pytest.mark.django_db
def test_profile_needs_login(client):
    assert client.get("/me/profile/").status_code == 302


@pytest.mark.django_db
def test_e_mails_name_the_platform_never_example_com(client):
    from django.core import mail

    client.post(
        "/accounts/signup/",
        {"email": "n@example.org", "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase",
         "first_name": "Ada", "last_name": "Lovelace"},
    )  # fmt: skip
    assert mail.outbox, "no confirmation e-mail"
    message = mail.outbox[-1]
    assert "example.com" not in message.subject + message.body
    assert "FitSM Academy" in message.subject + message.body


@pytest.mark.django_db
def test_sign_in_lands_on_my_learning(client):
    from tests.factories import UserFactory

    UserFactory(email="l@example.org")
    response = client.post(
        "/accounts/login/", {"login": "l@example.org", "password": "correct-horse-battery"}
    )
    assert response["Location"] == "/me/learning/"
