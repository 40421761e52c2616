"""A number in a URL or body that the database cannot hold answers 400, never 500.

Schemas bound the API's numbers (exams.api); this catches any path or form value that reaches
a query out of range (SQLite raises OverflowError, PostgreSQL NumericValueOutOfRange)."""

from django.db import DataError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


class OutOfRangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OverflowError | DataError):
            return None
        detail = "A number in the request is out of range."
        if request.path.startswith("/api/"):
            return JsonResponse({"error": "invalid_request", "detail": detail}, status=400)
        return render(request, "400.html", {"detail": detail}, status=400)


class DatabaseUnavailableMiddleware:
    """While the database restarts, answer 503 with Retry-After (the exam page keeps the answer
    on the device and sends it again), never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return database_unavailable_response(request, exception)


def database_unavailable_response(request, exception):
    """503 with Retry-After for a database that is away (OperationalError, InterfaceError), else
    None."""
    from django.db import InterfaceError, OperationalError

    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    detail = "The service is restarting. Your request was not lost: please try again in a moment."
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": "unavailable", "detail": detail}, status=503)
    else:
        try:
            response = render(request, "503.html", {"detail": detail}, status=503)
        except Exception:  # the page itself needs the database (a context processor, the user)
            response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "2"
    return response


def server_error(request):
    """handler500: a database error raised outside a view (in a middleware that loads the user,
    say) answers 503 like one raised inside it; anything else is the plain 500 page."""
    import sys

    from django.views.defaults import server_error as default_server_error

    return database_unavailable_response(request, sys.exc_info()[1]) or default_server_error(request)
