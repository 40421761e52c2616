"""Nothing personal or exam-related stays in a browser's cache.

On a shared test-centre PC the disk cache would keep every page a signed-in person saw: exam
questions, answers, results, certificates. Every response to a signed-in request is sent
`Cache-Control: no-store, private` (whatever the view set), and so is every response under
the exam, personal and administration paths whoever asks. Public pages seen signed out keep
their own caching."""

from django.utils.cache import patch_vary_headers

PRIVATE_PREFIXES = (
    "/me/",
    "/exams/",
    "/invigilate/",
    "/training/",
    "/cms/",
    "/api/v1/attempts",
    "/api/v1/me/",
)
NO_STORE = "no-store, private, max-age=0"


class NoStoreForPeopleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or request.path.startswith(PRIVATE_PREFIXES):
            response["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
            patch_vary_headers(response, ("Cookie",))
        return response
