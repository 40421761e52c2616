"""Countries and languages in words, in the language of the page (Babel's locale data):
`{{ "DE"|country_name }}` → "Germany" (or "Deutschland"), `{{ "fr"|language_name }}` → "French",
`{{ codes|language_names }}` → "German and French". An unknown code is shown as it is."""

from babel import Locale, UnknownLocaleError
from django import template
from django.utils.translation import get_language

register = template.Library()


def _locale():
    try:
        return Locale.parse((get_language() or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


@register.filter
def country_name(code):
    code = (code or "").strip().upper()
    return _locale().territories.get(code, code)


@register.filter
def language_name(code):
    code = (code or "").strip().lower()
    name = _locale().languages.get(code, code)
    return name[:1].upper() + name[1:]


@register.filter
def language_names(codes):
    """The languages in words, listed as the page's language lists things ("German and French",
    "Deutsch und Französisch")."""
    from babel.lists import format_list

    names = [language_name(c) for c in codes]
    return format_list(names, locale=_locale()) if names else ""
