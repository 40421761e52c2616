"""Deployment checks of the content: the live exam banks must not be the ones published with
the code (anyone who can read the repository or a deployment image would have every key)."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .loader import CONTENT_DIR, is_exam_bank

SAMPLES = CONTENT_DIR / "banks"


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@register(Tags.security, deploy=True)
def exam_banks_outside_the_code(app_configs, **kwargs):
    if not settings.EXAM_BANKS_DIR:
        return [
            Warning(
                "The exam banks in use are the sample forms published with the code: their keys are "
                "readable by anyone with the repository or a deployment image.",
                hint="Set EXAM_BANKS_DIR to a directory outside the code that holds the live exam banks.",
                id="content.W001",
            )
        ]
    folder = Path(settings.EXAM_BANKS_DIR)
    if not folder.is_dir():
        return [Error(f"EXAM_BANKS_DIR={folder} is not a directory.", id="content.E001")]
    if folder.resolve() == SAMPLES.resolve():
        return [Warning("EXAM_BANKS_DIR points at the sample banks of the code.", id="content.W002")]
    samples = {_digest(p) for p in SAMPLES.glob("*.yaml") if is_exam_bank(p)}
    published = sorted(p.name for p in folder.glob("*.yaml") if is_exam_bank(p) and _digest(p) in samples)
    if published:
        return [
            Warning(
                f"These live exam banks are copies of the samples published with the code: {', '.join(published)}.",
                hint="Use exam banks that are not in the repository.",
                id="content.W002",
            )
        ]
    return []
