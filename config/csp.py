"""Content-Security-Policy on every page (django-csp).

The site's own pages allow scripts, styles, fonts and images from this origin only: no inline
script or style anywhere, so an injected tag or attribute does nothing. Wagtail's and Django's
admin screens need inline styles and scripts of their own: they get a policy that allows those
but still only from this origin (never a third-party CDN)."""

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}


class SiteCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(("/cms/", f"/{settings.DJANGO_ADMIN_PATH}")):
            response._csp_replace = {**ADMIN_REPLACE, **(getattr(response, "_csp_replace", None) or {})}
        return super().process_response(request, response)
