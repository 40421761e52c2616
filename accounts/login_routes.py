"""Every way to sign in goes through allauth: its rate limits, mandatory e-mail verification and
the second factor. Wagtail's admin login, its page-privacy login and password reset, and
Django's admin login are each sent to the allauth page that does the same job, keeping `next`.
These routes sit before the Wagtail and Django admin URLs, so theirs are never reached."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse


def _to(name):
    def view(request, *args, **kwargs):
        target = reverse(name)
        nxt = request.GET.get("next")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': nxt})}" if nxt else target)

    view.__name__ = f"to_{name}"
    return view


def _gone(request, *args, **kwargs):
    """Page passwords shared by many people are not a way in here: pages are private by login."""
    raise Http404


def login_routes(*, django_admin_path):
    return [
        path("cms/login/", _to("account_login"), name="cms_login_to_account"),
        path("cms/password_reset/", _to("account_reset_password")),
        path("cms/password_reset/<path:rest>", _to("account_reset_password")),
        path("_util/login/", _to("account_login")),
        path("_util/authenticate_with_password/<int:restriction>/<int:page>/", _gone),
        path(f"{django_admin_path}login/", _to("account_login")),
        path(f"{django_admin_path}password_change/", _to("account_change_password")),
    ]
