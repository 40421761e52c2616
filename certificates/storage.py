"""Where certificate PDFs are kept: never under MEDIA_ROOT / MEDIA_URL.

A certificate PDF names its holder, so it is served only by the holder-checked view
(`/me/certificates/<code>.pdf`) and by nothing else. On local disk it lives under
`CERTIFICATE_PDF_ROOT` (default: a `private/certificates` folder beside the media folder),
which no URL serves. With S3 media (`AWS_STORAGE_BUCKET_NAME`) it lives under the private
prefix `private/certificates/` with private ACL and signed URLs that expire after five minutes."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject

PDF_URL_LIFETIME_SECONDS = 300


def pdf_root():
    configured = getattr(settings, "CERTIFICATE_PDF_ROOT", "") or os.environ.get("CERTIFICATE_PDF_ROOT", "")
    if configured:
        return Path(configured)
    return Path(settings.MEDIA_ROOT).parent / "private" / "certificates"


def _build():
    if getattr(settings, "AWS_STORAGE_BUCKET_NAME", ""):
        from storages.backends.s3 import S3Storage

        return S3Storage(
            location="private/certificates",
            default_acl="private",
            querystring_auth=True,
            querystring_expire=PDF_URL_LIFETIME_SECONDS,
            file_overwrite=False,
        )
    # base_url=None would fall back to MEDIA_URL; a URL no route serves makes `.url` useless on purpose.
    return FileSystemStorage(location=pdf_root(), base_url="/private-files-are-not-served/")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = _build()


private_storage = _PrivateStorage()


def certificate_pdf_storage():
    """The FileField's storage (a callable, so settings changed in tests are honoured)."""
    return private_storage
