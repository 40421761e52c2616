"""The interface's languages: English, German and French; the profile decides for a signed-in
person, the switcher's cookie or Accept-Language for a visitor; the switcher changes both."""

import re

import pytest
from django.conf import settings
from django.test import Client

from accounts.forms import ProfileForm
from accounts.models import AuditEntry

pytestmark = pytest.mark.django_db


def _lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_the_offered_languages_are_english_german_and_french():
    assert [code for code, _ in settings.LANGUAGES] == ["en", "de", "fr"]
    assert [code for code, _ in ProfileForm.base_fields["language"].choices] == ["en", "de", "fr"]


def test_a_visitor_gets_the_language_the_browser_asks_for(client):
    assert _lang(client.get("/verify/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")) == "de"
    assert _lang(client.get("/verify/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"
    assert _lang(client.get("/verify/", HTTP_ACCEPT_LANGUAGE="es")) == "en"


def test_a_signed_in_person_gets_their_profiles_language_whatever_the_browser_asks(client, learner):
    learner.language = "fr"
    learner.save()
    client.force_login(learner)
    assert _lang(client.get("/verify/", HTTP_ACCEPT_LANGUAGE="de")) == "fr"


def test_the_switcher_sets_a_visitors_cookie_and_returns_to_the_page(client):
    response = client.post("/language/", {"language": "de", "next": "/verify/?code=x"})
    assert response.status_code == 302 and response["Location"] == "/verify/?code=x"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    assert _lang(client.get("/verify/", HTTP_ACCEPT_LANGUAGE="fr")) == "de"


def test_the_switcher_changes_a_signed_in_persons_profile(client, learner):
    client.force_login(learner)
    client.post("/language/", {"language": "de", "next": "/me/profile/"})
    learner.refresh_from_db()
    assert learner.language == "de"
    assert AuditEntry.objects.filter(action="profile.language_set", target_id=str(learner.pk)).exists()


def test_the_switcher_never_sends_people_to_another_site(client):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_unknown_language_is_refused_and_changes_nothing(client, learner):
    client.force_login(learner)
    response = client.post("/language/", {"language": "xx"})
    assert response.status_code == 400
    learner.refresh_from_db()
    assert learner.language == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switcher_changes_nothing_on_get_and_needs_the_csrf_token(learner):
    assert Client().get("/language/?language=de").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert strict.post("/language/", {"language": "de"}).status_code == 403
    learner.refresh_from_db()
    assert learner.language == "en"


def test_every_page_offers_the_switcher(client):
    page = client.get("/verify/").content.decode()
    assert 'action="/language/"' in page
    assert all(f'value="{code}" lang="{code}"' in page for code in ("en", "de", "fr"))


def test_a_visitors_switch_needs_no_token_and_public_pages_carry_none():
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/language/", {"language": "fr", "next": "/verify/"})
    assert response.status_code == 302
    assert (
        "csrfmiddlewaretoken"
        not in strict.get("/verify/").content.decode().split('class="language-switcher"')[1]
    )
