"""The exam page's clock channel: how a running attempt learns within seconds that its deadline
moved (extra time) or that it was closed for it (voided), without a database query per poll.

Every exam page asks every few seconds, so the answer must cost next to nothing: a change is
published to the cache when it commits (`clock_publish`), and a poll reads only the cache. No
entry means "no news": the page keeps the deadline it has, which every answer save also
re-syncs from the database. The URL carries a MAC of the attempt id, so it needs no session and
tells nobody else's clock. Under gunicorn, `config.wsgi` answers it before Django's middleware
(`clock_wsgi`); everywhere else the same answer comes from a plain view."""

import json
import logging

from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

log = logging.getLogger(__name__)

PREFIX = "/api/v1/clock/"
POLL_SECONDS = 5
TTL_SECONDS = 24 * 3600
_SALT = "exams.clock"


def clock_key(attempt_id):
    return f"exam-clock:{attempt_id}"


def clock_mac(attempt_id):
    return salted_hmac(_SALT, str(attempt_id)).hexdigest()[:32]


def clock_path(attempt_id):
    return f"{PREFIX}{attempt_id}/{clock_mac(attempt_id)}"


def clock_publish(*, attempt_id, state, deadline):
    """Tell a running page its attempt's new deadline or state. Called after commit; a cache
    outage only delays the news until the page's next answer save."""
    value = {"state": state, "deadline": deadline.isoformat() if deadline else None}
    try:
        cache.set(clock_key(attempt_id), value, TTL_SECONDS)
    except Exception:  # the cache is down: the next save brings the news
        log.warning("exam clock not published for attempt %s", attempt_id, exc_info=True)


def clock_read(*, attempt_id, mac):
    """(status, body) for a poll: 404 for a wrong MAC, else the server's time and any news."""
    if not constant_time_compare(mac or "", clock_mac(attempt_id)):
        return 404, {"detail": "Not found."}
    try:
        news = cache.get(clock_key(attempt_id))
    except Exception:
        news = None
    body = {"server_now": timezone.now().isoformat(), "state": None, "deadline": None}
    if news:
        body.update(state=news.get("state"), deadline=news.get("deadline"))
    return 200, body


def parse_path(path):
    """`/api/v1/clock/<id>/<mac>` → (id, mac), or None."""
    if not path.startswith(PREFIX):
        return None
    parts = path[len(PREFIX) :].strip("/").split("/")
    if len(parts) != 2 or not parts[0].isdigit() or len(parts[0]) > 18:
        return None
    return int(parts[0]), parts[1]


HEADERS = [
    ("Content-Type", "application/json"),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
]


def clock_wsgi(environ, start_response):
    """The poll answered straight from WSGI (no session, no user, no middleware); None when the
    request is not a clock poll, for Django to handle."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    parsed = parse_path(environ.get("PATH_INFO", ""))
    if parsed is None:
        return None
    status, body = clock_read(attempt_id=parsed[0], mac=parsed[1])
    data = json.dumps(body).encode()
    reason = "200 OK" if status == 200 else "404 Not Found"
    start_response(reason, [*HEADERS, ("Content-Length", str(len(data)))])
    return [data]
