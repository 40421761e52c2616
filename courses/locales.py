"""The languages of the course content: which language a page is in, its versions in the other
languages, and the original a learner's progress belongs to.

Every course page and glossary term exists once per language (Wagtail locale); the versions of
one page share its `translation_key`, and each language has its own page tree under its
translation of the site root. English is the source language: a translation is loaded from
content/courses/<course>/locale/<lang>/ (content.course_loader). Progress rows (enrolment,
lesson completion, knowledge-check attempts) point at the original page of a translation group,
so a learner who changes language keeps their progress."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_supported_language_variant, pgettext_lazy
from wagtail.models import Locale, Page

# A language's name inside a sentence of the reader's language ("shown in English", "auf Englisch").
NAMES_IN_TEXT = {
    "en": pgettext_lazy("language name in a sentence", "English"),
    "de": pgettext_lazy("language name in a sentence", "German"),
    "fr": pgettext_lazy("language name in a sentence", "French"),
}


def content_languages():
    return [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES]


def language_name(code):
    return dict(settings.WAGTAIL_CONTENT_LANGUAGES).get(code, code)


def source_language():
    return settings.LANGUAGE_CODE


def active_language():
    """The language the reader's pages are in (profile, cookie or browser: accounts.languages),
    as one of the content languages."""
    code = translation.get_language() or source_language()
    try:
        code = get_supported_language_variant(code)
    except LookupError:
        return source_language()
    return code if code in content_languages() else source_language()


def language_of(page_or_term):
    return Locale.objects.filter(pk=page_or_term.locale_id).values_list("language_code", flat=True).first()


def _model_of(page):
    return page.specific_class or type(page) if isinstance(page, Page) else type(page)


def page_original(page):
    """The page of a translation group that progress belongs to: its source-language version,
    else the oldest version. A page is its own original when it has no other version."""
    cached = getattr(page, "_original", None)
    if cached is not None:
        return cached
    model = _model_of(page)
    versions = model.objects.filter(translation_key=page.translation_key)
    original = versions.filter(locale__language_code=source_language()).first()
    if original is None:
        original = versions.order_by("pk").first() or page
    if original.pk == page.pk:
        original = page
    page._original = original
    return original


def page_localized(page, language=None):
    """The live version of a page in a language (the active one by default), or the page itself
    when that language has none."""
    language = language or active_language()
    model = _model_of(page)
    version = (
        model.objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=language)
        .first()
    )
    return version or page


def pages_localized(pages, language, *, defer=()):
    """Each page replaced by its live version in `language` when there is one, order kept, in one
    query. Every page returned carries `origin_pk`: the pk of the page it stands for."""
    pages = list(pages)
    if not pages:
        return []
    model = _model_of(pages[0])
    versions = model.objects.live().filter(
        translation_key__in=[p.translation_key for p in pages], locale__language_code=language
    )
    if defer:
        versions = versions.defer(*defer)
    by_key = {v.translation_key: v for v in versions}
    out = []
    for page in pages:
        shown = by_key.get(page.translation_key, page)
        shown.origin_pk = page.pk
        shown._original = page if page.pk != shown.pk else getattr(page, "_original", None)
        out.append(shown)
    return out


def address_in_language(url, language):
    """The address that shows a page in one language whatever the reader's language: the page's
    URL with the language code in front of its path (courses.page_urls)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{language}{parts.path}"))


def page_versions(*, page, request=None):
    """The live versions of a page, in the order of the content languages:
    [{"language", "name", "page", "url" (the address pinned to that language), "absolute_url",
    "current"}]."""
    versions = {
        p.locale.language_code: p
        for p in Page.objects.live().filter(translation_key=page.translation_key).select_related("locale")
    }
    current = language_of(page)
    versions.setdefault(current, page)
    rows = []
    for code in content_languages():
        version = versions.get(code)
        if version is None:
            continue
        url = version.get_url(request=request) if version.pk != page.pk else page.get_url(request=request)
        if not url:
            continue
        pinned = address_in_language(url, code)
        rows.append(
            {
                "language": code,
                "name": language_name(code),
                "page": version,
                "url": pinned,
                "absolute_url": request.build_absolute_uri(pinned) if request is not None else pinned,
                "current": code == current,
            }
        )
    return rows


def page_language_state(*, page, request=None):
    """What a course page says about its languages: the language its content is in (and so
    `<html lang>`), its versions, and, when it is not in the reader's language, whether it is
    not yet translated or where the reader's version is."""
    content = language_of(page)
    active = active_language()
    versions = page_versions(page=page, request=request)
    yours = next((v for v in versions if v["language"] == active and not v["current"]), None)
    return {
        "content_language": content,
        "content_language_name": NAMES_IN_TEXT.get(content, language_name(content)),
        "LANGUAGE_CODE": content,
        "page_versions": versions,
        "reader_language": active,
        "reader_language_name": language_name(active),
        "not_translated": content != active and yours is None,
        "version_in_reader_language": yours,
    }
