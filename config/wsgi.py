import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django_application = get_wsgi_application()

from exams.clock import clock_wsgi  # noqa: E402  (needs the apps loaded)


def application(environ, start_response):
    """Django, except the exam page's clock poll, answered before the middleware (exams.clock)."""
    answered = clock_wsgi(environ, start_response)
    return django_application(environ, start_response) if answered is None else answered
