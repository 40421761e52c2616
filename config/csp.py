"""Content-Security-Policy on every page (django-csp).

The site's own pages allow scripts, styles, fonts and images from this origin only: no inline
script or style anywhere, so an injected tag or attribute does nothing. Wagtail's and Django's
admin screens need inline styles and scripts of their own: they get a policy that allows those
but still only from this origin (never a third-party CDN).

Most answers (every JSON answer of the exam API) carry the site's policy unchanged: no nonce, no
per-view change. That policy is built from the settings once per process and reused; django-csp
builds it anew for every response otherwise. A response with anything of its own (a nonce, a
decorator's change, an admin screen) is built by django-csp as before."""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

ADMIN_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}
# What a view or decorator can set on a response to change its policy (django-csp 4).
RESPONSE_PARTS = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
# (header, settings name, exemption attribute): the enforced policy and the report-only one.
HEADERS = (
    (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
)
_site_policies = {}


@receiver(setting_changed)
def _site_policies_forget(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _site_policies.clear()


def site_policies():
    """[(header, value, excluded URL prefixes, exemption attribute)] of the settings' own policies,
    built once."""
    if "all" not in _site_policies:
        found = []
        for header, name, exempt in HEADERS:
            value = build_policy(report_only=header == HEADER_REPORT_ONLY)
            prefixes = tuple((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())
            if value:
                found.append((header, value, prefixes, exempt))
        _site_policies["all"] = found
    return _site_policies["all"]


class SiteCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(("/cms/", f"/{settings.DJANGO_ADMIN_PATH}")):
            response._csp_replace = {**ADMIN_REPLACE, **(getattr(response, "_csp_replace", None) or {})}
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, part, None) is not None for part in RESPONSE_PARTS)
        ):
            return super().process_response(request, response)
        for header, value, prefixes, exempt in site_policies():
            if (
                header not in response
                and not getattr(response, exempt, False)
                and not (prefixes and request.path_info.startswith(prefixes))
            ):
                response[header] = value
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
