"""iCalendar (RFC 5545) feeds of training sessions, written with the `icalendar` library.

Each event's DTSTART and DTEND carry the session's own zone (TZID=Europe/Berlin, say), and the
calendar holds a VTIMEZONE for every zone its events name, with the offsets and daylight-saving
changes of the years the sessions cover, so calendar apps show the course at its local time and
convert it correctly for people elsewhere. The library escapes TEXT values and folds lines."""

from datetime import date
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

PRODID = "-//FitSM Academy//Training sessions//EN"


def _host():
    return urlsplit(settings.SITE_URL).hostname or "fitsm-academy.example"


def _event(session, *, show_link, stamp):
    status = {"published": "CONFIRMED", "cancelled": "CANCELLED", "completed": "CONFIRMED"}.get(
        session.status, "TENTATIVE"
    )
    url = settings.SITE_URL + session.get_absolute_url()
    description = [
        _("%(course)s course by %(organisation)s.")
        % {"course": session.certification.name, "organisation": session.organisation.name},
        _("Mode: %(mode)s. Language: %(language)s.")
        % {"mode": session.get_mode_display(), "language": session.language},
        _("Local time zone: %(zone)s.") % {"zone": session.time_zone},
    ]
    if session.public_notes:
        description.append(session.public_notes)
    if show_link and session.meeting_link:
        description.append(_("Meeting link: %(link)s") % {"link": session.meeting_link})
    description.append(url)
    location = session.venue if session.venue else (_("Online") if session.mode == "online" else "")

    event = icalendar.Event()
    event.add("uid", f"training-session-{session.pk}@{_host()}")
    event.add("dtstamp", stamp)
    # In the session's own zone: the library writes DTSTART;TZID=<zone>:<local time>.
    event.add("dtstart", session.starts_at.astimezone(session.zone))
    event.add("dtend", session.ends_at.astimezone(session.zone))
    event.add("summary", session.title)
    event.add("description", "\n".join(description))
    event.add("url", url)
    event.add("status", status)
    if location:
        event.add("location", location)
    return event


def _timezones(sessions):
    """One VTIMEZONE per zone the events use, covering the years of its sessions (a year either
    side), so the feed stays small and still names every offset change in between."""
    spans = {}
    for session in sessions:
        first, last = spans.get(session.time_zone, (session.starts_at, session.ends_at))
        spans[session.time_zone] = (min(first, session.starts_at), max(last, session.ends_at))
    for name, (first, last) in sorted(spans.items()):
        zone = next(s.zone for s in sessions if s.time_zone == name)
        yield icalendar.Timezone.from_tzinfo(
            zone,
            tzid=name,
            first_date=date(first.year - 1, 1, 1),
            last_date=date(last.year + 1, 12, 31),
        )


def calendar(sessions, *, name, show_link_for=None, now=None):
    """The VCALENDAR as bytes. `show_link_for(session)` says whether the meeting link may be
    included."""
    sessions = list(sessions)
    stamp = now or timezone.now()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for tz in _timezones(sessions):
        cal.add_component(tz)
    for session in sessions:
        cal.add_component(
            _event(session, show_link=bool(show_link_for and show_link_for(session)), stamp=stamp)
        )
    return cal.to_ical()
