"""Time zones of people: which names are valid, and the one way dates and times are written.

A time zone is an IANA name from zoneinfo.available_timezones(); "UTC" is the default and the
fallback for anything else. Dates follow the active language (day, month, year in its own
pattern and month names); times are 24-hour everywhere."""

import zoneinfo
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_TIME_ZONE = "UTC"
# Day, month and year in each language's usual order and punctuation ("3 Dec 2026", "3. Dez.
# 2026", "3 déc. 2026"): CLDR patterns, month names from Babel's locale data.
DATE_PATTERNS = {"en": "d MMM y", "de": "d. MMM y", "fr": "d MMM y"}
TIME_FORMAT = "H:i"


def date_in_language(value):
    """`value` (a date) in the active language's pattern."""
    from babel.dates import format_date
    from django.utils import translation

    language = (translation.get_language() or "en").split("-")[0]
    pattern = DATE_PATTERNS.get(language, DATE_PATTERNS["en"])
    return format_date(value, format=pattern, locale=language if language in DATE_PATTERNS else "en")


@lru_cache(maxsize=1)
def time_zone_names():
    """Every valid zone name, sorted (the list behind the profile's select)."""
    return tuple(sorted(zoneinfo.available_timezones() | {DEFAULT_TIME_ZONE}))


def time_zone_is_valid(name):
    return isinstance(name, str) and name in time_zone_names()


def time_zone_or_default(name):
    """`name` when it is a valid zone, else UTC (what the sign-up form does with the browser's guess)."""
    name = (name or "").strip() if isinstance(name, str) else ""
    return name if time_zone_is_valid(name) else DEFAULT_TIME_ZONE


def time_zone_choices():
    return [(name, name) for name in time_zone_names()]


INVALID_TIME_ZONE = _("“%(value)s” is not a time zone we know. Choose one from the list, e.g. Europe/Berlin.")


def time_zone_validate(value):
    """Refuse anything but an IANA zone name we know, with a message saying what to enter."""
    if not time_zone_is_valid(value):
        raise ValidationError(INVALID_TIME_ZONE, code="invalid_time_zone", params={"value": value})


def _zone(zone):
    if zone is None:
        return timezone.get_current_timezone()
    if isinstance(zone, str):
        return zoneinfo.ZoneInfo(time_zone_or_default(zone))
    return zone


def _zone_label(value):
    name = value.tzname() or ""
    if name and name[0] in "+-":  # zones without an abbreviation (e.g. "+04")
        name = f"UTC{name}"
    return name


def when_format(value, *, zone=None, with_date=True):
    """'3 Dec 2026, 14:00 CET': `value` (an aware datetime) in `zone` (default: the active zone)."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime):
        return day_format(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    local = timezone.localtime(value, _zone(zone))
    clock = f"{dateformat.format(local, TIME_FORMAT)} {_zone_label(local)}"
    if not with_date:
        return clock
    return f"{date_in_language(local.date())}, {clock}"


def day_format(value, *, zone=None):
    """'3 Dec 2026': the date of `value` in `zone` (default: the active zone); dates as they are."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_default_timezone())
        value = timezone.localtime(value, _zone(zone))
    elif not isinstance(value, date):
        return str(value)
    return date_in_language(value.date() if isinstance(value, datetime) else value)


YOUR_TIME = _("%(when)s (your time: %(own)s)")


def when_with_own_time(value, *, zone, viewer_known=True):
    """`value` in the event's `zone`, followed by the viewer's own time (the active zone) when the
    viewer is known and their wall-clock time differs; the date is repeated only when it differs."""
    shown = when_format(value, zone=zone)
    if not viewer_known or not isinstance(value, datetime):
        return shown
    own = when_format(value)
    if own == shown:
        return shown
    if day_format(value) == day_format(value, zone=zone):
        own = when_format(value, with_date=False)
    return YOUR_TIME % {"when": shown, "own": own}


@contextmanager
def recipient_time_zone(recipients):
    """Render an e-mail in its recipient's zone: while the block runs, the active zone is the
    profile zone shared by every account among `recipients` (e-mail addresses or users), or UTC
    when a recipient has no account or the recipients' zones differ. Yields that zone's name, or
    None when the recipients' zone is not known."""
    from .recipients import recipient_accounts

    users = recipient_accounts(recipients)
    zones = {time_zone_or_default(getattr(u, "time_zone", None)) for u in users}
    zone = zones.pop() if users and len(zones) == 1 else None
    with timezone.override(zone or DEFAULT_TIME_ZONE):
        yield zone
