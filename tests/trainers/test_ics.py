import zoneinfo
from datetime import UTC, datetime

import icalendar
import pytest

from trainers import services
from trainers.models import TrainingSession

pytestmark = pytest.mark.django_db


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
    assert event.decoded("DTSTART") == published_a.starts_at
    assert event.decoded("DTEND") == published_a.ends_at
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


def _at(session, when):
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=when, ends_at=when.replace(hour=when.hour + 3)
    )
    session.refresh_from_db()
    return session


def test_times_are_local_with_a_vtimezone_of_the_sessions_zone(client, published_a):
    # 13:00 UTC in winter is 14:00 in Berlin (CET, +01:00).
    _at(published_a, datetime(2031, 1, 15, 13, 0, tzinfo=UTC))
    raw = client.get(f"/sessions/{published_a.pk}.ics").content
    assert b"DTSTART;TZID=Europe/Berlin:20310115T140000" in raw
    assert b"DTEND;TZID=Europe/Berlin:20310115T170000" in raw
    cal = icalendar.Calendar.from_ical(raw)
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Berlin"
    offsets = {(c.name, str(c["TZNAME"]), c["TZOFFSETTO"].td.total_seconds()) for c in tz.subcomponents}
    assert ("STANDARD", "CET", 3600) in offsets and ("DAYLIGHT", "CEST", 7200) in offsets
    [event] = cal.walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and str(event["DTSTART"].params["TZID"]) == "Europe/Berlin"
    assert (start.hour, start.minute) == (14, 0)
    assert start == datetime(2031, 1, 15, 13, 0, tzinfo=UTC)
    # The zone that the calendar itself carries gives the same instant.
    assert tz.to_tz().utcoffset(datetime(2031, 1, 15, 14, 0)).total_seconds() == 3600


def test_summer_time_comes_from_the_vtimezone(client, published_a):
    _at(published_a, datetime(2031, 7, 15, 12, 0, tzinfo=UTC))  # 14:00 CEST
    raw = client.get(f"/sessions/{published_a.pk}.ics").content
    assert b"DTSTART;TZID=Europe/Berlin:20310715T140000" in raw
    [tz] = icalendar.Calendar.from_ical(raw).walk("VTIMEZONE")
    assert tz.to_tz().utcoffset(datetime(2031, 7, 15, 14, 0)).total_seconds() == 7200


def test_one_vtimezone_per_zone_in_a_feed(client, published_a, org_a, trainer_a, certification, admin_a):
    from tests.trainers.conftest import make_session

    other = make_session(org_a, [trainer_a], certification, admin_a, days=9)
    services.session_update(session=other, actor=None, time_zone="America/New_York")
    services.session_publish(session=other, actor=admin_a)
    cal = icalendar.Calendar.from_ical(client.get("/organisations/alpha/sessions.ics").content)
    assert sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")) == ["America/New_York", "Europe/Berlin"]
    zones = [str(e["DTSTART"].params["TZID"]) for e in cal.walk("VEVENT")]
    assert sorted(zones) == ["America/New_York", "Europe/Berlin"]


def test_pages_show_the_session_in_its_own_zone(client, published_a):
    _at(published_a, datetime(2031, 1, 15, 13, 0, tzinfo=UTC))
    page = client.get(f"/sessions/{published_a.pk}/").content.decode()
    assert "14:00 CET" in page and "Europe/Berlin" in page


def test_a_new_session_takes_the_default_zone_from_settings(
    settings, org_a, trainer_a, certification, admin_a
):
    from trainers.models import default_time_zone

    settings.TRAINING_SESSION_TIME_ZONE = "Europe/Paris"
    assert default_time_zone() == "Europe/Paris"
    assert TrainingSession().time_zone == "Europe/Paris"
    settings.TRAINING_SESSION_TIME_ZONE = ""
    assert TrainingSession().time_zone == settings.TIME_ZONE
    zoneinfo.ZoneInfo(TrainingSession().time_zone)  # an IANA name


def test_an_unknown_zone_is_refused(published_a):
    from trainers import errors

    with pytest.raises(errors.TrainersError):
        services.session_update(session=published_a, actor=None, time_zone="Mars/Olympus")
