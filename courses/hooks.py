"""Hooks through which apps above `courses` add to its pages.

`courses` never imports `trainers`: trainers registers a provider here that
lists the upcoming published training sessions of a certification, and the
course page shows them. Until one is registered, a course lists none."""

_upcoming_sessions_provider = None


def register_upcoming_sessions_provider(func):
    """Register func(certification, limit) -> list of sessions. The last registration wins.

    Each session needs: `title`, `starts_at`, `ends_at` (aware datetimes), `time_zone` (name),
    `mode_label`, `language`, `organisation_name`, `seats_left` (int or None) and
    `get_absolute_url()`."""
    global _upcoming_sessions_provider
    _upcoming_sessions_provider = func
    return func


def upcoming_sessions(certification, limit=5):
    if _upcoming_sessions_provider is None:
        return []
    return list(_upcoming_sessions_provider(certification, limit))


_sessions_calendar_url = None


def register_sessions_calendar_url(func):
    """Register func(certification) -> the URL of the public calendar filtered to it."""
    global _sessions_calendar_url
    _sessions_calendar_url = func
    return func


def sessions_calendar_url(certification):
    return _sessions_calendar_url(certification) if _sessions_calendar_url is not None else None
