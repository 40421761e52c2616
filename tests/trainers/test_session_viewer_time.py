"""A training session is announced in its own zone; a signed-in viewer in another zone also sees
their own time beside it, a visitor sees the session's zone only."""

import pytest

from accounts.timezones import when_format
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_a_viewer_in_tokyo_sees_berlin_time_and_their_own(client, published_a, learner):
    learner.time_zone = "Asia/Tokyo"
    learner.save()
    own = when_format(published_a.starts_at, zone="Asia/Tokyo")
    shown = when_format(published_a.starts_at, zone=published_a.time_zone)
    assert published_a.time_zone == "Europe/Berlin" and own != shown
    login(client, learner)
    page = client.get(f"/sessions/{published_a.pk}/").content.decode()
    own_clock = own.split(", ")[1]
    assert shown in page and "(your time: " in page and own_clock in page


def test_a_visitor_sees_the_sessions_own_zone_only(client, published_a):
    page = client.get(f"/sessions/{published_a.pk}/").content.decode()
    assert when_format(published_a.starts_at, zone="Europe/Berlin") in page
    assert "your time" not in page


def test_a_viewer_in_the_sessions_zone_sees_the_time_once(client, published_a, learner):
    learner.time_zone = "Europe/Berlin"
    learner.save()
    login(client, learner)
    page = client.get(f"/sessions/{published_a.pk}/").content.decode()
    assert "your time" not in page
