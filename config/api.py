"""The JSON API (/api/v1/): session authentication with CSRF, errors as
{"error": "<code>", "detail": "<message>"}; the OpenAPI schema at /api/v1/openapi.json."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import SessionAuth

from assessments.api import router as assessments_router
from assessments.errors import AssessmentError
from certificates.api import router as certificates_router
from exams.api import router as exams_router
from exams.errors import ExamError

api = NinjaAPI(
    title="FitSM Academy API",
    version="1",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    # No interactive docs page: it would load Swagger's scripts from a third-party CDN. The
    # schema itself is served; any OpenAPI viewer reads it.
    docs_url=None,
    auth=SessionAuth(csrf=True),
)


def _error(request, code, detail, status):
    return api.create_response(request, {"error": code, "detail": detail}, status=status)


@api.exception_handler(ExamError)
def on_exam_error(request, exc):
    return _error(request, exc.code, exc.detail, exc.status)


@api.exception_handler(AssessmentError)
def on_assessment_error(request, exc):
    return _error(request, exc.code, exc.detail, exc.status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(request, "unauthenticated", "Sign in first.", 401)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    parts = []
    for err in exc.errors:
        loc = ".".join(str(p) for p in err.get("loc", []) if p not in ("body", "payload"))
        parts.append(f"{loc}: {err.get('msg')}" if loc else str(err.get("msg")))
    return _error(request, "invalid_request", "; ".join(parts) or "The request body is not valid.", 422)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, "not_found", "Not found.", 404)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    return _error(request, "error", str(exc), exc.status_code)


api.add_router("/", exams_router)
api.add_router("/", certificates_router)
api.add_router("/", assessments_router)
