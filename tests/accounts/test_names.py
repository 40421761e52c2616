"""Names printed on certificates: NFC-normalised, single-spaced, no control or format characters;
right-to-left scripts allowed."""

import unicodedata

import pytest

from accounts import services
from accounts.models import User
from accounts.names import name_normalise, name_problems

REFUSED = [
    "Ada\u202eecalov",  # right-to-left override
    "Ada\u2066x\u2069",  # isolates
    "\u200bAda",  # zero-width space
    "Ad\u200da",  # zero-width joiner
    "Ada\ufeff",  # byte-order mark
    "Ada\x07",  # BEL
    "Ada\x1b[31m",  # ESC
    "Ada\u2028Lovelace",  # line separator
    "\ue000Ada",  # private use
    "1234",  # no letter
]
ACCEPTED = ["محمد", "שרה", "Zoë", "Nguyễn Thị", "Mary-Ann O'Neil", "王小明"]


@pytest.mark.parametrize("name", REFUSED)
def test_control_and_format_characters_are_refused(name):
    assert name_problems(name)


@pytest.mark.parametrize("name", ACCEPTED)
def test_names_of_every_script_are_accepted(name):
    assert name_problems(name) == []


def test_names_are_nfc_normalised_and_single_spaced():
    decomposed = unicodedata.normalize("NFD", "  Zoë   van  Dijk ")
    assert name_normalise(decomposed) == "Zoë van Dijk"
    assert unicodedata.is_normalized("NFC", name_normalise(decomposed))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Ada\u202eecalov", "Ada\x1b[31m"])
def test_sign_up_refuses_a_name_with_hidden_characters_and_creates_nothing(client, name):
    response = client.post(
        "/accounts/signup/",
        {"email": "x@example.org", "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase",
         "first_name": name, "last_name": "Lovelace"},
    )  # fmt: skip
    assert response.status_code == 200 and "invisible or control characters" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db
def test_sign_up_stores_the_normalised_name(client):
    client.post(
        "/accounts/signup/",
        {"email": "z@example.org", "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase",
         "first_name": unicodedata.normalize("NFD", "Zoë  Anne"), "last_name": "محمد"},
    )  # fmt: skip
    user = User.objects.get(email="z@example.org")
    assert (user.first_name, user.last_name) == ("Zoë Anne", "محمد")


@pytest.mark.django_db
def test_the_profile_refuses_hidden_characters_in_the_form_and_the_service(client, learner):
    from django.core.exceptions import ValidationError

    client.force_login(learner)
    response = client.post(
        "/me/profile/", {"first_name": "A\u200bda", "last_name": "B", "language": "en", "country": ""}
    )
    assert response.status_code == 200 and "invisible or control characters" in response.content.decode()
    with pytest.raises(ValidationError):
        services.profile_update(
            user=learner, first_name="Ada\u202e", last_name="B", language="en", country=""
        )
    learner.refresh_from_db()
    assert "\u202e" not in learner.first_name and "\u200b" not in learner.first_name
