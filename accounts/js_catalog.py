"""The translations of the site's scripts (static/js/*.js): Django's JavaScriptCatalog, one
address per language (`/jsi18n/de/`), so a page loads the catalogue of the language it is in and
browsers and caches may keep each one (they change only with a deployment). A script reads
`window.gettext` and `window.interpolate` and keeps its English text where the catalogue is
missing."""

from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

from .languages import language_valid

_catalogue = JavaScriptCatalog.as_view(domain="djangojs")


@require_GET
def js_catalog(request, language):
    if not language_valid(language):
        raise Http404
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = _catalogue(request)
    patch_cache_control(response, public=True, max_age=3600)
    response.headers["Content-Language"] = language
    return response
