from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from .selectors import user_has_mfa


class AdminRequiresMFAMiddleware:
    """Staff and examiners reach the CMS only once they have set up TOTP."""

    PREFIXES = ("/cms/",)
    ALLOWED = ("/cms/login/", "/cms/logout/", "/cms/password_reset/")

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
            messages.warning(request, "Set up two-factor authentication before using the administration.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)
