"""HTTP caching of the course pages: anonymous visitors get a shared, public copy for a few
minutes; signed-in learners (whose pages show their progress and carry forms with a CSRF token)
never get a publicly cacheable page.

One address serves a page in the reader's language (courses.views.pages), which a visitor's
language cookie or browser (Accept-Language) decides: a shared copy varies by both, and says the
language of its content (Content-Language)."""

from functools import wraps

from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

ANONYMOUS_MAX_AGE = 300


def _is_shareable(request, response):
    if request.user.is_authenticated or request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    # A CSRF token was put into the page, or a cookie or a flash message belongs to this visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and storage.used)


def cache_for_visitor(request, response, *, content_language=None):
    """Set Cache-Control, Vary and Content-Language on a rendered or lazily rendered page response."""
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    response.headers["Content-Language"] = content_language or translation.get_language() or "en"
    if _is_shareable(request, response):
        patch_cache_control(response, public=True, max_age=ANONYMOUS_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def cache_public_for_anonymous(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        return cache_for_visitor(request, view(request, *args, **kwargs))

    return wrapper


class CachedForAnonymousMixin:
    """For Wagtail pages: the caching rules above on every served page."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return cache_for_visitor(request, response, content_language=self.locale.language_code)
