"""The issuing body's mark: a seal drawn for this platform (a rosette rim, a ring with the platform's
name, the F of the site's icon), kept as one SVG file, static/img/mark.svg. The certificate PDF,
the verification page and the Open Badges issuer profile all show this same file."""

from pathlib import Path

from django.conf import settings


def mark_path():
    return Path(settings.BASE_DIR) / "static" / "img" / "mark.svg"


def mark_svg():
    return mark_path().read_text(encoding="utf-8")
