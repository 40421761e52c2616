"""Rate limits that see the real client, kept in the cache every process shares.

Behind the TLS proxy production assumes, REMOTE_ADDR is the proxy: every limit keyed on it
would lock out everyone at once. `client_ip` reads the address the trusted proxies recorded
(TRUSTED_PROXY_COUNT hops of X-Forwarded-For) and is the one helper every limit uses; the
sign-in limits of allauth read the same setting.

A limit is a fixed window counter in the cache: `RATES` names each one as
(requests, seconds). Production refuses to start with a per-process cache (config.settings)."""

import hashlib
import logging
import time

from allauth.core.internal.httpkit import get_client_ip
from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

# scope: (allowed requests, window in seconds). Keys say whose budget it is.
RATES = {
    "certificate-search:ip": (10, 600),
    "file-verify:ip": (20, 600),
    "voucher-redeem:user": (10, 600),
    "voucher-redeem:ip": (60, 600),
    "practice-start:user": (30, 3600),
    "access-code:ip": (100, 600),  # wrong codes only: a room of candidates starts freely
    # Sign-in and account forms, per address (POSTs; SignInLimitsMiddleware). Generous: an exam
    # room of hundreds of candidates behind one NAT address signs in within a minute. A guesser
    # is stopped per account by allauth's per-key limit.
    "login:ip": (600, 60),
    "login-failed:ip": (60, 60),  # failed passwords only (AccountAdapter)
    "signup:ip": (20, 60),
    "password-reset:ip": (20, 60),
    "password-reset-key:ip": (20, 60),
}

# The allauth views whose POSTs count against a per-address limit of ours. allauth's own
# per-address limits are off (settings.ACCOUNT_RATE_LIMITS): they keep a list of timestamps per
# address under a lock that a waiting request gives up after one second, so a room signing in
# together behind one address was refused while still under the limit. Ours are one atomic
# counter per window.
FORM_LIMITS = {
    "account_login": "login:ip",
    "account_signup": "signup:ip",
    "account_reset_password": "password-reset:ip",
    "account_reset_password_from_key": "password-reset-key:ip",
}


def client_ip(request):
    """The address of the person, not of our proxy (see TRUSTED_PROXY_COUNT)."""
    try:
        return get_client_ip(request) or "unknown"
    except Exception:  # a forwarded header that does not match the configured proxies
        return request.META.get("REMOTE_ADDR") or "unknown"


def _key(scope, who):
    digest = hashlib.sha256(str(who).encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def _window_key(scope, who):
    allowed, window = settings.RATE_LIMITS.get(scope, RATES[scope])
    return allowed, window, f"{_key(scope, who)}:{int(time.time() // window)}"


def limit_reached(scope, who):
    """Whether `who` has used up the budget of `scope` in this window, without counting."""
    allowed, _, key = _window_key(scope, who)
    try:
        return (cache.get(key) or 0) >= allowed
    except Exception:  # the shared cache is down: fail open rather than refuse every candidate
        log.warning("Rate limit %s not checked: the cache is unreachable.", scope)
        return False


def limit_hit(scope, who):
    """Count one request of `who` (an address, a user id, ...) against `scope`; True when the
    budget of the window is used up (the request must then be refused)."""
    allowed, window, key = _window_key(scope, who)
    try:
        cache.add(key, 0, window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 5)
            count = 1
    except Exception:  # the shared cache is down: fail open rather than refuse every candidate
        log.warning("Rate limit %s not counted: the cache is unreachable.", scope)
        return False
    if count == allowed + 1:
        log.warning("Rate limit %s reached (%s requests in %s s).", scope, allowed, window)
    return count > allowed


def _who(request, user):
    return f"user-{request.user.pk}" if user else client_ip(request)


def request_limited(request, scope, *, user=False):
    """limit_hit for this request: keyed on the user (user=True) or on the client's address."""
    return limit_hit(scope, _who(request, user))


def request_over_limit(request, scope, *, user=False):
    """limit_reached for this request (for limits that count only failures)."""
    return limit_reached(scope, _who(request, user))


class SignInLimitsMiddleware:
    """Per-address limits on the account forms' POSTs (FORM_LIMITS), and on failed passwords."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        match = getattr(request, "resolver_match", None)
        scope = FORM_LIMITS.get(match.url_name if match else None)
        if scope is None:
            return None
        refused = request_limited(request, scope)
        if scope == "login:ip" and not refused:
            refused = request_over_limit(request, "login-failed:ip")
        if refused:
            from django.shortcuts import render

            response = render(request, "429.html", status=429)
            response["Retry-After"] = str(settings.RATE_LIMITS.get(scope, RATES[scope])[1])
            return response
        return None
