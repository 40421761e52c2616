"""Overload shedding: past capacity the site answers at once with 503 and Retry-After instead
of letting requests queue for tens of seconds.

Each request carries the time it was queued in X-Request-Start (set by the load balancer, or
by the gunicorn worker of config/gunicorn.py: `t=<microseconds since the epoch>`; seconds and
milliseconds are understood too). A request that waited longer than its budget is answered 503
before anything else runs: no session, no database. The exam page keeps such an answer on the
device and sends it again after Retry-After with backoff, so shedding costs a candidate a few
seconds, never an answer; a queued save would have cost the same wait and held a thread.

Settings (or environment variables of the same name):
OVERLOAD_QUEUE_BUDGET_MS  the longest wait a request may have had (default 1000; 0 turns shedding off)
OVERLOAD_RETRY_AFTER      seconds sent in Retry-After (default 2)

MIDDLEWARE: first, "config.overload.OverloadSheddingMiddleware"."""

import logging
import threading
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from config.env import env_int

log = logging.getLogger(__name__)
BUSY = "The server is busy. Please try again in a moment."
# Sane bounds for a stamp: older than this is a clock problem, not a queue.
_MAX_PLAUSIBLE_WAIT = 600.0


def _setting(name, default):
    value = getattr(settings, name, None)
    return env_int(name, default, minimum=0) if value is None else int(value)


def queue_wait(header, now=None):
    """Seconds since the X-Request-Start stamp (None when absent or implausible)."""
    if not header:
        return None
    raw = header.strip()
    if raw.startswith("t="):
        raw = raw[2:]
    try:
        stamp = float(raw)
    except ValueError:
        return None
    # Seconds, milliseconds or microseconds since the epoch, told apart by their size.
    if stamp > 1e14:
        stamp /= 1_000_000
    elif stamp > 1e11:
        stamp /= 1000
    wait = (time.time() if now is None else now) - stamp
    if wait < 0:
        return 0.0
    return wait if wait <= _MAX_PLAUSIBLE_WAIT else None


class OverloadSheddingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.budget = _setting("OVERLOAD_QUEUE_BUDGET_MS", 1000) / 1000
        self.retry_after = max(1, _setting("OVERLOAD_RETRY_AFTER", 2))
        self.shed = 0
        self._lock = threading.Lock()

    def __call__(self, request):
        if self.budget > 0:
            wait = queue_wait(request.META.get("HTTP_X_REQUEST_START"))
            if wait is not None and wait > self.budget:
                return self._busy(request, wait)
        return self.get_response(request)

    def _busy(self, request, wait):
        with self._lock:
            self.shed += 1
            shed = self.shed
        if shed == 1 or shed % 100 == 0:
            log.warning("Overloaded: %s requests shed so far (this one waited %.2f s).", shed, wait)
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": "overloaded", "detail": BUSY}, status=503)
        else:
            response = HttpResponse(BUSY, status=503, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(self.retry_after)
        response["Cache-Control"] = "no-store"
        return response
