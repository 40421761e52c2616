"""The directory names countries and languages in words, in the language of the page."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_countries_are_named_in_the_directory_and_its_filter(client, org_a, org_b):
    page = client.get("/organisations/").content.decode()
    assert "<td>Germany</td>" in page and "<td>France</td>" in page
    assert '<option value="DE">Germany</option>' in page
    assert "Country</dt><dd>Germany</dd>" in client.get("/organisations/alpha/").content.decode()


def test_countries_follow_the_language_of_the_page(client, org_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert "<td>Deutschland</td>" in client.get("/organisations/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "<td>Allemagne</td>" in client.get("/organisations/").content.decode()


def test_teaching_languages_are_named(client, trainer_a):
    trainer_a.languages = "de, fr"
    trainer_a.save()
    page = client.get(trainer_a.get_absolute_url()).content.decode()
    assert "German and French" in page
    assert "German and French" in client.get("/trainers/").content.decode()
