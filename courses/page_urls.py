"""The site's Wagtail page addresses (config/urls.py includes these in place of wagtail.urls):
Wagtail's own routes, with page serving in the reader's language (courses.views.pages)."""

import re

from django.urls import re_path
from wagtail import urls as wagtail_urls
from wagtail.urls import serve_pattern

from .locales import content_languages
from .views.pages import page_in_language, page_serve

_LANGUAGES = "|".join(re.escape(code) for code in content_languages())

urlpatterns = [
    *(p for p in wagtail_urls.urlpatterns if getattr(p, "name", None) != "wagtail_serve"),
    re_path(
        rf"^(?P<language>{_LANGUAGES})/(?P<path>(?:[\w\-]+/)+)$", page_in_language, name="page_in_language"
    ),
    re_path(serve_pattern, page_serve, name="wagtail_serve"),
]
