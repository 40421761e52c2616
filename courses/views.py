from itertools import groupby

from django.shortcuts import render

from .models import GlossaryTerm


def glossary(request):
    terms = GlossaryTerm.objects.order_by("term")
    letters = [(letter, list(group)) for letter, group in groupby(terms, key=lambda t: t.term[:1].upper())]
    return render(request, "courses/glossary.html", {"letters": letters})
