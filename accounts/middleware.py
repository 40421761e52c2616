from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from .selectors import session_passed_mfa, user_has_mfa
from .timezones import DEFAULT_TIME_ZONE, time_zone_or_default


class AdminRequiresMFAMiddleware:
    """The CMS (and Django's admin) holds the question bank and its keys: it is reached only by
    a session that passed the second factor. An account without TOTP is sent to set it up; a
    session that signed in with the password alone is asked for the code first."""

    ALLOWED = ("/cms/login/", "/cms/logout/", "/cms/password_reset/")

    @property
    def PREFIXES(self):  # noqa: N802
        return ("/cms/", f"/{settings.DJANGO_ADMIN_PATH}")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            settings.ADMIN_REQUIRES_MFA
            and path.startswith(self.PREFIXES)
            and not path.startswith(self.ALLOWED)
            and request.user.is_authenticated
            and not user_has_mfa(request.user)
        ):
            messages.warning(
                request, gettext("Set up two-factor authentication before using the administration.")
            )
            return redirect("mfa_activate_totp")
        if (
            settings.ADMIN_REQUIRES_MFA
            and path.startswith(self.PREFIXES)
            and not path.startswith(self.ALLOWED)
            and request.user.is_authenticated
            and not session_passed_mfa(request)
        ):
            messages.info(
                request, gettext("Enter the code from your authenticator app to open the administration.")
            )
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """Dates and times are shown in the signed-in person's time zone (their profile), UTC for
    visitors. Comes after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        zone = DEFAULT_TIME_ZONE
        if user is not None and user.is_authenticated:
            zone = time_zone_or_default(getattr(user, "time_zone", None))
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
