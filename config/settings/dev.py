"""Local development: the embedded default (SQLite, tasks in-process, console e-mail)."""

from config.env import env_bool, env_secret, env_str

from .base import *  # noqa: F403

DEBUG = True
# DEVELOPMENT ONLY: a fixed, public key. Production refuses to start without its own SECRET_KEY.
SECRET_KEY = env_secret("SECRET_KEY", "") or "dev-only-insecure-key-never-use-in-production-fitsm-academy"
ADMIN_REQUIRES_MFA = env_bool("ADMIN_REQUIRES_MFA", False)
ACCOUNT_EMAIL_VERIFICATION = "optional"
CERTIFICATE_KEYS_DIR = env_str("CERTIFICATE_KEYS_DIR", str(VAR_DIR / "keys"))  # noqa: F405

# The embedded defaults keep the SQLite database, media and signing keys under var/ (not in git):
# a fresh checkout has no such folder yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
BACKGROUND_TASKS_IN_THREADS = env_bool("BACKGROUND_TASKS_IN_THREADS", True)
