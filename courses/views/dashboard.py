from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .. import selectors


@never_cache
@login_required
def my_learning(request):
    rows = selectors.learner_courses(user=request.user)
    context = {
        "in_progress": [r for r in rows if not r["progress"]["complete"]],
        "completed": [r for r in rows if r["progress"]["complete"]],
    }
    return render(request, "courses/my_learning.html", context)
