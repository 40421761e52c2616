from itertools import groupby

from django.shortcuts import render

from ..caching import cache_public_for_anonymous
from ..models import GlossaryTerm


@cache_public_for_anonymous
def glossary(request):
    terms = GlossaryTerm.objects.order_by("term")
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.term[:1].upper())]
    return render(request, "courses/glossary.html", {"letters": letters})


def search(request):
    """Site search over lessons and the glossary (PostgreSQL full text on PostgreSQL)."""
    from ..models import LessonPage

    query = (request.GET.get("q") or "").strip()[:200]
    lessons, terms = [], []
    if query:
        lessons = list(LessonPage.objects.live().specific().search(query)[:30])
        from wagtail.search.backends import get_search_backend

        terms = list(get_search_backend().search(query, GlossaryTerm)[:20])
    return render(request, "courses/search.html", {"query": query, "lessons": lessons, "terms": terms})
