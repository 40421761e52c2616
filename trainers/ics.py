"""iCalendar (RFC 5545) output for training sessions, written by hand.

Lines end in CRLF and are folded at 75 octets (continuation lines start with
a space, never splitting a UTF-8 character); TEXT values escape backslash,
semicolon, comma and newlines. Times are given in UTC (the trailing Z), so no
VTIMEZONE is needed; the session's own zone is named in the description."""

from datetime import UTC

from django.conf import settings
from django.utils import timezone

PRODID = "-//FitSM Academy//Training sessions//EN"


def escape_text(value):
    return (
        str(value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Fold one content line into chunks of at most 75 octets."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # do not split a multi-byte character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines carry a leading space
    return "\r\n ".join(parts) + "\r\n"


def _utc(dt):
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(session, *, show_link, stamp):
    status = {"published": "CONFIRMED", "cancelled": "CANCELLED", "completed": "CONFIRMED"}.get(
        session.status, "TENTATIVE"
    )
    url = settings.SITE_URL + session.get_absolute_url()
    description = [
        f"{session.certification.name} course by {session.organisation.name}.",
        f"Mode: {session.get_mode_display()}. Language: {session.language}.",
        f"Local time zone: {session.time_zone}.",
    ]
    if session.public_notes:
        description.append(session.public_notes)
    if show_link and session.meeting_link:
        description.append(f"Meeting link: {session.meeting_link}")
    description.append(url)
    location = session.venue if session.venue else ("Online" if session.mode == "online" else "")
    lines = [
        "BEGIN:VEVENT",
        f"UID:training-session-{session.pk}@{_host()}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(session.starts_at)}",
        f"DTEND:{_utc(session.ends_at)}",
        f"SUMMARY:{escape_text(session.title)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"URL:{url}",
        f"STATUS:{status}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    lines.append("END:VEVENT")
    return lines


def _host():
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "fitsm-academy.example"


def calendar(sessions, *, name, show_link_for=None, now=None):
    """The VCALENDAR text. `show_link_for(session)` says whether the meeting link may be included."""
    stamp = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for session in sessions:
        lines += _event_lines(session, show_link=bool(show_link_for and show_link_for(session)), stamp=stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
