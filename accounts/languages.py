"""The interface's languages: English, German and French (settings.LANGUAGES).

Who decides which one a page is in: for a signed-in person, their profile (UserLanguageMiddleware,
after authentication, every request); for a visitor, the language switcher's cookie, then the
browser's Accept-Language (Django's LocaleMiddleware). The switcher on every page changes the
profile of a signed-in person and the cookie of anyone (`language_switch` view)."""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def languages_offered():
    return [code for code, _ in settings.LANGUAGES]


def language_valid(code):
    return code in languages_offered()


@contextmanager
def recipient_language(recipients):
    """Render an e-mail in its recipients' language: while the block runs, the active language is
    the profile language shared by every account among `recipients` (users or e-mail addresses).
    When one has no account or their languages differ, the language active already stays (the
    sender's page, or English in a background task). Yields the language used."""
    from .recipients import recipient_accounts

    users = recipient_accounts(recipients)
    languages = {u.language for u in users if language_valid(getattr(u, "language", None))}
    language = languages.pop() if users and len(languages) == 1 else translation.get_language()
    with translation.override(language or settings.LANGUAGE_CODE):
        yield language


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
