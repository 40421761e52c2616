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
