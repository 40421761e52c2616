"""Serving the Wagtail pages in the reader's language.

A page's address is the same in every language (`/courses/fitsm-foundation/…`): it is looked up
in the page tree of the reader's language (profile, cookie or browser: accounts.languages), as
Wagtail does. When that tree has no page at the address (the page is not translated, or its
translation has another slug), the other languages' trees are tried: the reader is sent to the
version in their language when there is one, and otherwise shown the page found, which then says
it is not yet translated (courses.locales.page_language_state). So the language switcher, which
sends a reader back to the address they were on, shows the same lesson in the new language.

`/<lang>/<address>` shows one language's version whatever the reader's language: the address the
pages' `hreflang` links point to."""

from django.http import Http404
from django.shortcuts import redirect
from wagtail.models import Locale, Page, Site
from wagtail.views import serve as wagtail_serve

from ..locales import active_language, content_languages, page_localized, source_language
from ..models import CatalogueIndexPage, CoursePage, InfoPage, LessonPage, ModulePage

IN_LANGUAGES = (CatalogueIndexPage, CoursePage, ModulePage, LessonPage, InfoPage)


def _components(path):
    return [component for component in path.split("/") if component]


def _root_in(site, language):
    root = site.root_page
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return None
    if root.locale_id == locale.pk:
        return root
    return root.get_translation_or_none(locale)


def _route_in(request, site, language, path):
    root = _root_in(site, language)
    if root is None:
        return None
    try:
        return root.specific.route(request, _components(path))
    except Http404:
        return None


def _route_in_another_language(request, path):
    site = Site.find_for_request(request)
    if site is None:
        return None
    active = active_language()
    others = [source_language()] + [code for code in content_languages() if code != source_language()]
    for language in others:
        if language == active:
            continue
        route = _route_in(request, site, language, path)
        if route is not None:
            return route
    return None


def page_serve(request, path):
    """Wagtail's `serve`, with the lookup in the other languages described above."""
    route = Page.route_for_request(request, path)
    if route is None:
        route = _route_in_another_language(request, path)
        if route is None:
            raise Http404
        page = route[0]
        yours = page_localized(page)
        if yours.pk != page.pk:
            target = yours.get_url(request=request)
            query = request.META.get("QUERY_STRING", "")
            return redirect(f"{target}?{query}" if query else target)
        request._wagtail_route_for_request = route
    return wagtail_serve(request, path)


def page_in_language(request, language, path):
    """One language's version of the page at `path` (a page of that language's tree)."""
    site = Site.find_for_request(request)
    if site is None or not _components(path):
        raise Http404
    route = _route_in(request, site, language, path)
    if route is None or not isinstance(route[0], IN_LANGUAGES):
        raise Http404
    request._wagtail_route_for_request = route
    return wagtail_serve(request, path)
