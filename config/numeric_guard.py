"""A number in a URL or body that the database cannot hold answers 400, never 500.

Schemas bound the API's numbers (exams.api); this catches any path or form value that reaches
a query out of range (SQLite raises OverflowError, PostgreSQL NumericValueOutOfRange)."""

from django.db import DataError
from django.http import JsonResponse
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
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        detail = "The service is restarting. Your request was not lost: please try again in a moment."
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": "unavailable", "detail": detail}, status=503)
        else:
            response = render(request, "503.html", {"detail": detail}, status=503)
        response["Retry-After"] = "2"
        return response
