"""The interface's languages: English, German and French (settings.LANGUAGES).

Who decides which one a page is in: for a signed-in person, their profile (UserLanguageMiddleware,
after authentication, every request); for a visitor, the language switcher's cookie, then the
browser's Accept-Language (Django's LocaleMiddleware). The switcher on every page changes the
profile of a signed-in person and the cookie of anyone (`language_switch` view)."""

from django.conf import settings
from django.utils import translation


def languages_offered():
    return [code for code, _ in settings.LANGUAGES]


def language_valid(code):
    return code in languages_offered()


class UserLanguageMiddleware:
    """A signed-in person's pages are in their profile's language, whatever the browser asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", None) if user is not None and user.is_authenticated else None
        if language and language_valid(language) and language != getattr(request, "LANGUAGE_CODE", None):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
