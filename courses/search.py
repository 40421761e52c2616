"""Site search over lessons and the glossary: which course and module a lesson belongs to, a
snippet of the text around the first match with every query word marked, and glossary terms
equal to the query ranked first. Only the reader's language is searched: its lessons and its
glossary terms.

Snippets are built from escaped text: the text of the page is escaped piece by piece and only the
<mark> elements this module adds are markup, so nothing typed in the query or written in a page
reaches the HTML unescaped."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from .locales import active_language
from .models import CoursePage, GlossaryTerm, LessonPage, ModulePage

MAX_QUERY = 200
MAX_LESSONS = 30
MAX_TERMS = 20
SNIPPET_CHARS = 220

# Keys of lesson block values that are not prose a reader sees (markup, ids, flags).
_NOT_TEXT = {"svg", "glossary", "correct", "kind", "id"}
_MARKDOWN = re.compile(r"(^#+\s*)|[*_`>]|\[([^\]]*)\]\([^)]*\)", re.MULTILINE)


def query_clean(raw):
    return " ".join((raw or "").split())[:MAX_QUERY]


def query_words(query):
    """The words of a query to mark in snippets: longest first (so "service desk" marks before "service")."""
    words = {w for w in re.findall(r"\w[\w-]*", query.lower()) if len(w) > 1}
    return sorted(words, key=len, reverse=True)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def lesson_plain_text(lesson):
    """What a reader sees of a lesson's body as one plain string (Markdown marks removed)."""
    parts = []
    for block in lesson.body.raw_data:
        for text in _strings(block.get("value")):
            parts.append(_MARKDOWN.sub(lambda m: m.group(2) or "", text))
    return " ".join(" ".join(parts).split())


def snippet_highlight(*, text, query, width=SNIPPET_CHARS):
    """Up to `width` characters of `text` around the first match of a query word, escaped, with every
    match in <mark>; the start of the text when nothing matches. Returns safe HTML."""
    text = " ".join((text or "").split())
    words = query_words(query)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    window = text[start:end]
    out = ["… " if start > 0 else ""]
    pos = 0
    for match in pattern.finditer(window) if pattern else ():
        out.append(escape(window[pos : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        pos = match.end()
    out.append(escape(window[pos:]))
    out.append(" …" if end < len(text) else "")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def _courses_of(lessons):
    """{lesson pk: (course, module)} in two queries, from the tree paths (lesson → module → course)."""
    step = Page.steplen
    module_paths = {lesson.path[:-step] for lesson in lessons}
    modules = {m.path: m for m in ModulePage.objects.filter(path__in=module_paths)}
    courses = {c.path: c for c in CoursePage.objects.filter(path__in={p[:-step] for p in module_paths})}
    return {
        lesson.pk: (courses.get(lesson.path[: -2 * step]), modules.get(lesson.path[:-step]))
        for lesson in lessons
    }


def site_search(*, query, language=None):
    """Results for the search page, from the pages and terms in `language` (the reader's by default).

    Returns {"query", "best_terms": glossary terms equal to the query (case-insensitive),
    "terms": [{"term", "snippet"}] other matching terms, "lessons": [{"page", "course", "module",
    "snippet"}]}."""
    query = query_clean(query)
    result = {"query": query, "best_terms": [], "terms": [], "lessons": []}
    if not query:
        return result
    # The backend gets the words alone: quotes, brackets and operators are search syntax to some
    # backends (SQLite's FTS5 refuses them), and people type them by accident.
    words = " ".join(re.findall(r"\w+", query))
    if not words:
        return result
    locale = Locale.objects.filter(language_code=language or active_language()).first()
    if locale is None:
        return result
    backend = get_search_backend()
    lessons = list(LessonPage.objects.live().filter(locale=locale).specific().search(words)[:MAX_LESSONS])
    where = _courses_of(lessons)
    result["lessons"] = [
        {
            "page": lesson,
            "course": where[lesson.pk][0],
            "module": where[lesson.pk][1],
            "snippet": snippet_highlight(text=lesson_plain_text(lesson), query=query),
        }
        for lesson in lessons
    ]
    terms = GlossaryTerm.objects.filter(locale=locale)
    exact = list(terms.filter(term__iexact=query).order_by("term"))
    found = [t for t in backend.search(words, terms)[:MAX_TERMS] if t.pk not in {e.pk for e in exact}]
    result["best_terms"] = [
        {"term": t, "snippet": snippet_highlight(text=t.definition, query=query)} for t in exact
    ]
    result["terms"] = [
        {"term": t, "snippet": snippet_highlight(text=t.definition, query=query)} for t in found
    ]
    return result
