"""The exam page's clock poll as a plain view: the same answer `config.wsgi` gives before
Django's middleware under gunicorn (see exams.clock), for the development server and tests."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from ..clock import clock_read


@require_GET
def clock(request, attempt_id, mac):
    status, body = clock_read(attempt_id=attempt_id, mac=mac)
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
