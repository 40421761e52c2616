from itertools import groupby

from django.shortcuts import render

from ..caching import cache_public_for_anonymous
from ..models import GlossaryTerm
from ..search import site_search


@cache_public_for_anonymous
def glossary(request):
    terms = GlossaryTerm.objects.order_by("term")
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.term[:1].upper())]
    return render(request, "courses/glossary.html", {"letters": letters})


def search(request):
    """Site search over lessons and the glossary (PostgreSQL full text on PostgreSQL)."""
    return render(request, "courses/search.html", site_search(query=request.GET.get("q")))
