"""The certificate as a one-page A4 landscape PDF (WeasyPrint): the issuing body's mark (the
SVG of certificates.mark, drawn as vectors), the holder, the certification and its level, the
dates and the validity, the number and a QR code (segno) of the verification URL. Names are
template-escaped, so markup in a name is printed as text; fonts are embedded by WeasyPrint."""

import base64
import hashlib
import io
import threading
from pathlib import Path

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from .levels import level_name
from .mark import mark_path
from .models import Certificate
from .storage import private_storage


def exam_language_name(certificate):
    """The language the exam was taken in, named in the active language ("Deutsch", "allemand"),
    for a certificate earned by an exam; "" otherwise."""
    if not certificate.attempt_id:
        return ""
    from accounts.templatetags.places import language_name

    return language_name(certificate.language)


def verify_url(certificate):
    return f"{settings.SITE_URL}/verify/{certificate.code}/"


def qr_png_data_uri(url):
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


FONTS_DIR = Path(__file__).resolve().parent / "fonts"
_reused = threading.local()


def _render_kit():
    """This thread's WeasyPrint font configuration and image cache, kept between renders: the
    bundled fonts and the mark's SVG are loaded once, not for every certificate (about 15 % of a
    PDF's CPU time). The cache also holds each PDF's QR code (a data URI), so it is emptied
    before it grows past a few entries."""
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_reused, "font_config", None) is None:
        _reused.font_config, _reused.cache = FontConfiguration(), {}
    if len(_reused.cache) > 8:
        _reused.cache.clear()
    return _reused.font_config, _reused.cache


def certificate_pdf_render(certificate):
    """The PDF bytes. Its fonts are the bundled ones (certificates/fonts/), never the system's."""
    from weasyprint import HTML

    url = verify_url(certificate)
    with translation.override(certificate.language):  # the certificate's language, not the reader's
        html = render_to_string(
            "certificates/pdf.html",
            {
                "certificate": certificate,
                "verify_url": url,
                "qr": qr_png_data_uri(url),
                "issuing_body": settings.ISSUING_BODY,
                "level": level_name(certificate.certification),
                "exam_language": exam_language_name(certificate),
                "mark_url": mark_path().as_uri(),
                "fonts_url": FONTS_DIR.as_uri(),
            },
        )
    font_config, cache = _render_kit()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=font_config, cache=cache)


def certificate_pdf_ensure(certificate):
    """Render and store the PDF once (in the private storage, never public media); regenerate it if
    the stored file has gone missing."""
    if certificate.pdf and private_storage.exists(certificate.pdf.name):
        return certificate.pdf.name
    data = certificate_pdf_render(certificate)
    name = private_storage.save(f"certificates/{certificate.uuid}.pdf", ContentFile(data))
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=name, pdf_sha256=hashlib.sha256(data).hexdigest()
    )
    certificate.refresh_from_db()
    return name
