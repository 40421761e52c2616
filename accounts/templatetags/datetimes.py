"""How people see dates and times: one format everywhere, in the viewer's time zone (activated per
request by accounts.middleware.UserTimeZoneMiddleware, UTC for visitors), and the zone named.

    {% load datetimes %}
    {{ attempt.started_at|when }}                    3 Dec 2026, 14:00 CET
    {{ session.starts_at|when:session.time_zone }}   the same instant in the session's own zone
    {{ certificate.issued_at|day }}                  3 Dec 2026
"""

from django import template

from accounts.timezones import day_format, when_format, when_with_own_time

register = template.Library()


@register.filter
def when(value, zone=None):
    """Date and time with the zone named, in the active zone or in `zone` (an IANA name)."""
    return when_format(value, zone=zone or None)


@register.filter
def day(value, zone=None):
    """The date alone, in the active zone or in `zone`."""
    return day_format(value, zone=zone or None)


@register.filter
def clock(value, zone=None):
    """The time of day with the zone named ("14:00 CET"), in the active zone or in `zone`."""
    return when_format(value, zone=zone or None, with_date=False)


@register.simple_tag(takes_context=True)
def when_in(context, value, zone):
    """An event announced in its own zone, and for a signed-in viewer in another zone also their
    own time: "3 Dec 2026, 14:00 CET (your time: 13:00 UTC)". Visitors see the event's zone only;
    e-mails rendered in accounts.timezones.recipient_time_zone count their recipient as known."""
    user = context.get("user")
    known = bool(getattr(user, "is_authenticated", False)) or bool(context.get("recipient_time_zone"))
    return when_with_own_time(value, zone=zone, viewer_known=known)
