"""Production: refuses to start without the settings a public deployment needs."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_secret, env_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_secret("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY.startswith(("dev-", "test-")):
    raise ImproperlyConfigured("Production needs SECRET_KEY (or SECRET_KEY_FILE) set to a long random value.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names).")
SITE_URL = env_url("SITE_URL", "")
if not SITE_URL:
    raise ImproperlyConfigured(
        "Production needs SITE_URL, the public base URL used in certificates and e-mails."
    )
WAGTAILADMIN_BASE_URL = SITE_URL
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

# Rate limits, sign-in throttles and debounced work must be shared by every process.
if not CACHE_URL:  # noqa: F405
    raise ImproperlyConfigured(
        "Production needs CACHE_URL (redis://…): rate limits kept in one process's memory do not "
        "protect a site served by several."
    )
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ADMIN_REQUIRES_MFA = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}  # noqa: F405
