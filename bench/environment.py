"""The benchmark's own PostgreSQL database and the environment the server and the setup share.

Only the database named here is ever created or dropped; everything else on the server is left alone."""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

from .services import SERVICES

ROOT = Path(__file__).resolve().parent.parent
_SAFE_NAME = re.compile(r"^fitsm_bench[a-z0-9_]*$")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_admin_url():
    return SERVICES.pg_url("postgres", scheme="postgresql")


def database_create(name):
    if not _SAFE_NAME.match(name):
        raise SystemExit(f"The benchmark database must be named fitsm_bench…, not {name!r}.")
    with psycopg.connect(pg_admin_url(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(name):
    if not _SAFE_NAME.match(name):
        return
    with psycopg.connect(pg_admin_url(), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_env(*, database, port, workdir):
    """Production settings, pointed at the benchmark database; tasks run in-process (no broker)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "CACHE_URL", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=SERVICES.pg_url(database),
        SECURE_SSL_REDIRECT="false",
        CACHE_URL=SERVICES.redis_url(13),
        STATIC_ROOT=str(Path(workdir) / "static"),
        MEDIA_ROOT=str(Path(workdir) / "media"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def workdir_make():
    return tempfile.mkdtemp(prefix="fitsm-bench-")


def workdir_clean(workdir):
    """Keep only the logs: the collected static files and rendered PDFs are not needed after a run."""
    for path in Path(workdir).iterdir():
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif not path.name.endswith(".log"):
            path.unlink(missing_ok=True)


def prepare(env, log):
    """migrate and collectstatic, side by side (the manifest static storage of production needs the latter)."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    commands = [manage + ["migrate", "--noinput"], manage + ["collectstatic", "--noinput"]]
    jobs = [
        subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        for cmd in commands
    ]
    try:
        codes = [job.wait(timeout=300) for job in jobs]
    finally:
        for job in jobs:
            if job.poll() is None:
                job.kill()
                job.wait()
    if any(codes):
        raise RuntimeError(f"migrate/collectstatic failed ({codes}); see {log.name}")
