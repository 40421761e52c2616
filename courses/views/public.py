import unicodedata
from itertools import groupby

from django.shortcuts import render

from ..caching import cache_public_for_anonymous
from ..search import site_search
from ..selectors import glossary_terms


def _letter(term):
    plain = unicodedata.normalize("NFKD", term.term[:1])
    return (plain[:1] or term.term[:1]).upper()


@cache_public_for_anonymous
def glossary(request):
    """The glossary in the reader's language (terms not yet translated in English)."""
    terms = glossary_terms()
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=_letter)]
    return render(request, "courses/glossary.html", {"letters": letters})


def search(request):
    """Site search over lessons and the glossary (PostgreSQL full text on PostgreSQL)."""
    return render(request, "courses/search.html", site_search(query=request.GET.get("q")))
