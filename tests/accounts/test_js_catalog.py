"""The scripts' translations: /jsi18n/<language>/ serves Django's JavaScript catalogue of that
language (djangojs), for the offered languages only, to GET only."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _in_js(text):
    """`text` as the catalogue writes it (a JSON string, non-ASCII escaped)."""
    return json.dumps(text)


@pytest.mark.parametrize(
    ("language", "copied"), [("de", "Link kopiert."), ("fr", "Lien copié."), ("en", "Link copied.")]
)
def test_the_catalogue_of_each_offered_language_holds_the_scripts_strings(client, language, copied):
    response = client.get(reverse("javascript_catalog", args=[language]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Content-Language"] == language
    body = response.content.decode()
    assert "django.gettext" in body
    if language != "en":
        assert _in_js(copied) in body
        assert _in_js("Link copied.") in body  # the key the script looks up


def test_the_catalogue_follows_the_address_not_the_browser(client):
    body = client.get(reverse("javascript_catalog", args=["fr"]), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert _in_js("Lien copié.") in body
    assert _in_js("Link kopiert.") not in body


def test_a_language_not_offered_is_not_found(client):
    assert client.get("/jsi18n/es/").status_code == 404


def test_the_catalogue_answers_get_only(client):
    assert client.post(reverse("javascript_catalog", args=["de"])).status_code == 405


def test_the_wallet_loads_the_catalogue_of_its_language_before_its_script(client, django_user_model):
    user = django_user_model.objects.create_user(
        email="h@example.org", password="pw-Long-enough-1", language="de"
    )
    client.force_login(user)

    html = client.get(reverse("certificate_wallet")).content.decode()

    assert html.index('src="/jsi18n/de/"') < html.index("js/copy.js")
