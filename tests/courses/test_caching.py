import re

import pytest

from courses.models import GlossaryTerm
from tests.conftest import login

pytestmark = pytest.mark.django_db


def urls(tree):
    return [
        tree.catalogue.url,
        tree.course.url,
        tree.module.url,
        tree.reading.url,
        tree.checked.url,
        "/glossary/",
    ]


def test_anonymous_visitors_get_public_pages_without_forms_or_tokens(client, tree):
    GlossaryTerm.objects.create(slug="ci", term="Configuration item", definition="An element under control.")
    for url in urls(tree):
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response["Cache-Control"]
        assert "public" in cache and "max-age=300" in cache, url
        assert "Cookie" in response["Vary"], url
        page = response.content.decode()
        # The language switcher posts without a token for visitors (it only sets their cookie).
        page = re.sub(r'<form class="language-switcher".*?</form>', "", page, flags=re.S)
        assert "csrfmiddlewaretoken" not in page and 'method="post"' not in page, url
        assert "csrftoken" not in response.cookies, url


def test_anonymous_practice_and_enrol_are_sign_in_links(client, tree):
    page = client.get(tree.course.url).content.decode()
    assert f'href="/accounts/login/?next={tree.course.url}">Sign in to enrol' in page
    assert f'href="/accounts/login/?next={tree.course.url}">Sign in to take a practice exam' in page


def test_signed_in_learners_never_get_a_public_page(client, tree, learner):
    login(client, learner)
    for url in urls(tree):
        response = client.get(url)
        cache = response["Cache-Control"]
        assert "public" not in cache and "private" in cache and "no-store" in cache, url
        assert "Cookie" in response["Vary"], url


def test_a_page_showing_a_flash_message_is_not_public(client, tree, learner):
    login(client, learner)
    client.post("/accounts/logout/")
    response = client.get(tree.course.url)
    assert "You have signed out." in response.content.decode()
    assert "public" not in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "public" in client.get(tree.course.url)["Cache-Control"]
