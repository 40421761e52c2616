"""The benchmark's WSGI application: the production application (config.settings.production),
plus one trivial authenticated view for the HTTP floor, and the overload middleware when the
settings do not list it yet (BENCH_SHED=0 leaves the middleware list as it is)."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

import config.urls  # noqa: E402

SHED = "config.overload.OverloadSheddingMiddleware"
if os.environ.get("BENCH_SHED", "1") == "1" and SHED not in settings.MIDDLEWARE:
    settings.MIDDLEWARE = [SHED, *settings.MIDDLEWARE]


def floor(request):
    """The least an authenticated JSON request costs here: every middleware, the session, the
    user, the CSRF check of a PUT, a JSON body read and a JSON answer; no other query."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "unauthenticated"}, status=401)
    body = json.loads(request.body or b"{}")
    return JsonResponse({"ok": True, "user": request.user.pk, "seq": body.get("seq")})


config.urls.urlpatterns.insert(0, path("bench/floor/", floor))
from config.wsgi import application as _django  # noqa: E402  (production's: the clock poll before Django)

NODE = os.environ.get("BENCH_NODE", "")


def application(environ, start_response):
    """The Django application; with BENCH_NODE set, each answer names the node that served it."""
    if not NODE:
        return _django(environ, start_response)

    def named(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Served-By", NODE)], exc_info)

    return _django(environ, named)
