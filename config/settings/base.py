"""Settings shared by every environment. Anything that differs between machines
comes from the environment through the typed helpers in config.env."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config.env import env_bool, env_choice, env_int, env_list, env_secret, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env_secret("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")
PLATFORM_NAME = "FitSM Academy"
ISSUING_BODY = env_str("ISSUING_BODY", "FitSM Academy Certification Body")
# Ed25519 keys that sign Open Badges 3.0 credentials: a directory of PEM files, or the keys
# themselves (PEM or a JSON list of PEM strings). Never in the database or the repository.
CERTIFICATE_KEYS_DIR = env_str("CERTIFICATE_KEYS_DIR", "")
CERTIFICATE_SIGNING_KEYS = env_secret("CERTIFICATE_SIGNING_KEYS", "")

INSTALLED_APPS = [
    # Project apps, from the ground up (an app imports only from those above it in this list).
    "accounts",
    "exams",
    "certificates",
    "courses",
    "trainers",
    "assessments",
    "content",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "csp",
]

MIDDLEWARE = [
    # First: past capacity, answer 503 at once instead of queueing (config/overload.py).
    "config.overload.OverloadSheddingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "accounts.privacy_headers.NoStoreForPeopleMiddleware",
    "config.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.languages.UserLanguageMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.ratelimits.SignInLimitsMiddleware",
    "accounts.middleware.AdminRequiresMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "config.numeric_guard.OutOfRangeMiddleware",
    "config.numeric_guard.DatabaseUnavailableMiddleware",
]

# Content-Security-Policy (config/csp.py): this origin only, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fitsm.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
# A persistent connection broken by a database restart is replaced before the request uses it;
# on PostgreSQL the check looks at the socket instead of asking the server (config/postgresql).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Argon2id (memory-hard) for new and upgraded hashes; older PBKDF2 hashes still verify and are
# re-hashed with Argon2id at the next sign-in. Parameters at or above current OWASP guidance
# (m=19 MiB, t=2, p=1) are set in accounts.hashers.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
# Django's database sessions, read in one plain statement (accounts/session_store.py).
SESSION_ENGINE = "accounts.session_store"
# Django's and allauth's, reading the user of each request in one plain statement.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Wagtail signs in through allauth too (accounts/login_routes.py closes its own forms).
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# No third-party requests from the admin: no Gravatar avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
LOGIN_REDIRECT_URL = "my_learning"

# allauth: e-mail login, no usernames, verification, rate limits, TOTP with recovery codes.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION", ("mandatory", "optional", "none"), "mandatory"
)
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupNameForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Confirming the address in the same browser signs the person in (and back to an invitation).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Sign-in limits: allauth's per account (key) to stop a password guesser; per address ours
# (accounts.ratelimits: SignInLimitsMiddleware, AccountAdapter), generous enough for an exam
# room of hundreds of candidates behind one NAT address. No allauth limit is per address (ip):
# those serialise a room's requests on one lock and refuse what waits more than a second.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login": False,
    "login_failed": "5/5m/key",
    "signup": False,
    "reset_password": "3/15m/key",
    "reset_password_from_key": False,
    "request_login_code": "3/m/key",
    "verify_phone": "1/30s/key",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
# How many proxies in front of the site append to X-Forwarded-For: rate limits key on the
# address the outermost trusted proxy saw (0: REMOTE_ADDR is the client).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Our own limits (accounts.ratelimits.RATES): scope -> (requests, seconds); override per scope.
RATE_LIMITS = {}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PLATFORM_NAME}] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PLATFORM_NAME
# Staff and examiners must set up MFA before they may use the CMS.
ADMIN_REQUIRES_MFA = env_bool("ADMIN_REQUIRES_MFA", True)

LANGUAGE_CODE = "en"
# The interface's languages (accounts.languages); each name in its own language, for the switcher.
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", "") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "") or None
    AWS_ACCESS_KEY_ID = env_secret("AWS_ACCESS_KEY_ID", "") or None
    AWS_SECRET_ACCESS_KEY = env_secret("AWS_SECRET_ACCESS_KEY", "") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True

# E-mail: console by default; SMTP or any Django backend by environment.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "accounts.email_backends.SummaryConsoleBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "FitSM Academy <noreply@fitsm-academy.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Without a broker, run queued work in a thread beside the request (development), or inline in
# the calling process (tests, for determinism). With a broker this does not apply.
BACKGROUND_TASKS_IN_THREADS = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Two queues: "exams" (the expiry sweep and grading, which a deadline waits for) and "celery"
# (certificates' PDFs and e-mails, statistics, everything else), so that grading never waits
# behind a queue of PDFs. A worker started without -Q consumes both; on a busy exam day run one
# more worker with `-Q exams`.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("exams"), Queue("celery"))
CELERY_TASK_ROUTES = {
    "exams.tasks.attempts_expire_overdue": {"queue": "exams"},
    "exams.tasks.attempt_grade": {"queue": "exams"},
}
CELERY_BEAT_SCHEDULE = {
    # Half the 30 s in which an abandoned attempt must be graded after its deadline + grace:
    # an attempt that falls due just after a sweep waits for the next one, which may itself wait
    # behind certificate tasks on a busy worker.
    "exams-expire-overdue-attempts": {
        "task": "exams.tasks.attempts_expire_overdue",
        "schedule": timedelta(seconds=15),
    },
    "certificates-issue-missing": {
        "task": "certificates.tasks.certificates_sweep",
        "schedule": timedelta(minutes=5),
    },
    "certificates-notify-missing": {
        "task": "certificates.tasks.certificates_notify_sweep",
        "schedule": timedelta(minutes=1),
    },
    "exams-recompute-item-statistics": {
        "task": "exams.tasks.item_statistics_recompute",
        "schedule": crontab(minute=17, hour=3),
    },
    "trainers-accreditations-daily": {
        "task": "trainers.tasks.accreditations_daily",
        "schedule": crontab(minute=5, hour=2),
    },
    "assessments-organisation-certificates-issue-missing": {
        "task": "assessments.tasks.organisation_certificates_sweep",
        "schedule": timedelta(minutes=10),
    },
    "certificates-organisation-certificates-daily": {
        "task": "certificates.organisation_tasks.organisation_certificates_daily",
        "schedule": crontab(minute=35, hour=2),
    },
}

# Cache: per-process memory by default; set CACHE_URL (redis://…) so every web process shares
# rate limits (the certificate register search) when running several.
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Exams
EXAM_SAVE_GRACE_SECONDS = env_int("EXAM_SAVE_GRACE_SECONDS", 30, minimum=0)
# Extensions an invigilator may give one attempt in total (minutes; 0: the exam's duration);
# beyond, an examiner decides. Extra time granted before the exam above these bounds waits for
# an examiner.
EXAM_EXTENSION_CAP_MINUTES = env_int("EXAM_EXTENSION_CAP_MINUTES", 0, minimum=0)
# Item statistics per language: an item is flagged when its facility in one language differs
# from the other languages' by more than this, each side with at least this many responses.
EXAM_LANGUAGE_FACILITY_GAP = 0.15
EXAM_LANGUAGE_MIN_RESPONSES = env_int("EXAM_LANGUAGE_MIN_RESPONSES", 30, minimum=1)
EXTRA_TIME_INVIGILATOR_MAX_MINUTES = env_int("EXTRA_TIME_INVIGILATOR_MAX_MINUTES", 30, minimum=0)
EXTRA_TIME_INVIGILATOR_MAX_MULTIPLIER = 1.5
# A certification an auditor must hold (valid) before an examiner accredits them, e.g. "EXP";
# empty: no prerequisite.
AUDITOR_REQUIRES_CERTIFICATION = env_str("AUDITOR_REQUIRES_CERTIFICATION", "").strip()
# How many days before an organisation's certificate expires its SMS owners are reminded (its
# validity is the level's, content/assessment/levels.yaml, edited by examiners in the CMS).
ORGANISATION_CERTIFICATE_REMINDER_DAYS = env_list("ORGANISATION_CERTIFICATE_REMINDER_DAYS", ("90", "30"))
if not all(days.isdigit() and int(days) > 0 for days in ORGANISATION_CERTIFICATE_REMINDER_DAYS):
    raise ImproperlyConfigured("ORGANISATION_CERTIFICATE_REMINDER_DAYS must list whole days, e.g. 90,30.")
ORGANISATION_CERTIFICATE_REMINDER_DAYS = tuple(int(days) for days in ORGANISATION_CERTIFICATE_REMINDER_DAYS)
# Item statistics are recomputed this long after the first grading that asks for it (debounced).
ITEM_STATISTICS_DELAY_SECONDS = env_int("ITEM_STATISTICS_DELAY_SECONDS", 120, minimum=0)
# The live exam banks, outside the code (production); unset: the sample exam banks of
# content/banks/, published with the code, for development and tests.
EXAM_BANKS_DIR = env_str("EXAM_BANKS_DIR", "")

# Wagtail
WAGTAIL_SITE_NAME = PLATFORM_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Course content in each interface language: one page tree per locale, translations sharing a
# translation_key (courses.locales); English is the source language.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "docx", "xlsx", "txt"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Django's own admin lives at a non-default path, for superusers only.
DJANGO_ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "backoffice/django/").strip("/") + "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Quiet by default: Wagtail's reference-index tasks and Celery's per-task lines log at INFO on
    # every save; they speak up when something fails.
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("weasyprint", "fontTools", "django_tasks", "celery.app.trace", "celery.worker.strategy")
    },
}
