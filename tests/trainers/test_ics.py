from datetime import UTC

import icalendar
import pytest

from trainers import ics, services

pytestmark = pytest.mark.django_db


def test_escape_and_fold():
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "é" * 60
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts[:-1])) == line


def test_session_ics_parses_back(client, published_a):
    services.session_update(
        session=published_a,
        actor=None,
        title="FitSM Foundation, Berlin; day one & two — a long title with ümlauts to force line folding",
        public_notes="Bring a laptop.\nLunch included, of course.",
    )
    response = client.get(f"/sessions/{published_a.pk}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    raw = response.content
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    published_a.refresh_from_db()
    assert str(event["SUMMARY"]) == published_a.title
    assert event.decoded("DTSTART") == published_a.starts_at.astimezone(UTC)
    assert event.decoded("DTEND") == published_a.ends_at.astimezone(UTC)
    assert str(event["UID"]) == f"training-session-{published_a.pk}@127.0.0.1"
    assert "DTSTAMP" in event
    assert "Lunch included, of course." in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_trainer_and_organisation_feeds(client, published_a, trainer_a, org_a, session_b):
    for url in (f"/trainers/{trainer_a.slug}/sessions.ics", "/organisations/alpha/sessions.ics"):
        cal = icalendar.Calendar.from_ical(client.get(url).content)
        uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
        assert uids == [f"training-session-{published_a.pk}@127.0.0.1"], url


def test_cancelled_session_is_cancelled_in_the_feed(client, published_a, admin_a):
    services.session_cancel(session=published_a, actor=admin_a)
    cal = icalendar.Calendar.from_ical(client.get("/organisations/alpha/sessions.ics").content)
    assert [str(e["STATUS"]) for e in cal.walk("VEVENT")] == ["CANCELLED"]
