"""Small things a newcomer and an examiner notice first: the favicon, no third-party avatars in
the admin, a quiet console."""

import logging

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import mfa_login

pytestmark = pytest.mark.django_db


def test_every_page_names_a_favicon_that_exists(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg"' in page
    assert finders.find("img/favicon.svg")


def test_the_admin_makes_no_request_to_gravatar(client, examiner):
    mfa_login(client, examiner)
    response = client.get("/cms/")
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode().lower()


def test_routine_task_and_pdf_logs_stay_below_the_console_level():
    for name in ("celery.app.trace", "celery.worker.strategy", "weasyprint", "fontTools"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
    assert logging.getLogger("celery.app.trace").isEnabledFor(logging.WARNING)
