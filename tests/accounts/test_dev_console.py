"""Development conveniences that newcomers meet first."""

import subprocess
import sys
from pathlib import Path

from django.core.mail import EmailMessage

from accounts.email_backends import SummaryConsoleBackend

ROOT = Path(__file__).resolve().parents[2]


def test_development_mail_is_one_line_on_stderr(capsys):
    SummaryConsoleBackend().send_messages(
        [
            EmailMessage(
                "Confirm your address", "Open https://x.example/confirm/abc to confirm.", to=["a@b.example"]
            )
        ]
    )
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == "[e-mail] to a@b.example: Confirm your address — https://x.example/confirm/abc\n"


def test_make_run_port_sets_the_site_url():
    show = ["make", "-s", "--eval", "show-site-url: ; @echo $$SITE_URL", "show-site-url"]
    path = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run([*show, "PORT=8123"], cwd=ROOT, capture_output=True, text=True, env=path)
    assert result.stdout.strip() == "http://127.0.0.1:8123", result.stderr
    given = path | {"SITE_URL": "https://academy.example"}
    result = subprocess.run([*show, "PORT=8123"], cwd=ROOT, capture_output=True, text=True, env=given)
    assert result.stdout.strip() == "https://academy.example"


def test_the_dev_settings_use_the_port_for_site_url_when_given():
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.dev", "SITE_URL": "http://127.0.0.1:8123"},
    )  # fmt: skip
    assert result.stdout.strip() == "http://127.0.0.1:8123", result.stderr
