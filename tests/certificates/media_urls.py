"""The project's URLs plus media served from MEDIA_ROOT, as `make run` (DEBUG) serves it: a test
that a private file is not reachable there must hold even where media is public."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *project_urlpatterns,
]
