import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_env_bool_rejects_a_value_it_cannot_read(monkeypatch, value):
    monkeypatch.setenv("X_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env.env_bool("X_FLAG")


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("off", False), ("TRUE", True), ("no", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("X_FLAG", value)
    assert env.env_bool("X_FLAG") is expected


def test_env_int_rejects_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env.env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "-3")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("X_INT", 1, minimum=0)


def test_env_url_requires_an_absolute_http_url(monkeypatch):
    monkeypatch.setenv("X_URL", "example.org")
    with pytest.raises(ImproperlyConfigured):
        env.env_url("X_URL")
    monkeypatch.setenv("X_URL", "https://example.org/")
    assert env.env_url("X_URL") == "https://example.org"


def test_env_secret_reads_the_file_variant(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env.env_secret("X_SECRET") == "from-a-file"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env.env_secret("X_SECRET")


def test_env_choice_rejects_unknown_values(monkeypatch):
    monkeypatch.setenv("X_MODE", "sometimes")
    with pytest.raises(ImproperlyConfigured):
        env.env_choice("X_MODE", ("mandatory", "optional"), "optional")


def _production(extra):
    environ = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SITE_URL",
            "CACHE_URL",
            "EXAM_BANKS_DIR",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    environ.update(DJANGO_SETTINGS_MODULE="config.settings.production", **extra)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )


GOOD = {
    "SECRET_KEY": "x7#Qp2!vL9@rT4$wZ8^bN1&cM6*eK3(hJ5)gF0-dS_aY+uI=oP",
    "ALLOWED_HOSTS": "academy.example.org",
    "SITE_URL": "https://academy.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/14",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "CACHE_URL"])
def test_production_refuses_to_start_without_a_required_setting(missing):
    result = _production({k: v for k, v in GOOD.items() if k != missing})
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_with_its_settings_passes_the_deploy_check_without_warnings(tmp_path):
    result = _production(GOOD | {"EXAM_BANKS_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_deploy_check_warns_when_the_exam_banks_are_the_published_samples(tmp_path):
    without = _production(GOOD)
    assert "content.W001" in without.stderr + without.stdout
    import shutil

    from content.loader import CONTENT_DIR

    shutil.copy(CONTENT_DIR / "banks" / "SOC-exam.yaml", tmp_path / "SOC-exam.yaml")
    copied = _production(GOOD | {"EXAM_BANKS_DIR": str(tmp_path)})
    assert (
        "content.W002" in copied.stderr + copied.stdout and "SOC-exam.yaml" in copied.stderr + copied.stdout
    )
