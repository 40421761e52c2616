"""An organisation's certificate as a one-page A4 landscape PDF (WeasyPrint, the bundled fonts of
certificates/fonts/): the issuing body's mark, the organisation, the level, the scope statement,
the dates, the number and a QR code of the verification address. Rendered once and kept in the
private storage with its sha256, so a file presented later can be checked against the record."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string

from .mark import mark_path
from .models import OrganisationCertificate
from .organisation_badges import verify_url
from .pdf import FONTS_DIR, qr_png_data_uri
from .storage import private_storage


def organisation_certificate_pdf_render(certificate):
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    url = verify_url(certificate)
    html = render_to_string(
        "certificates/organisation/pdf.html",
        {
            "certificate": certificate,
            "verify_url": url,
            "qr": qr_png_data_uri(url),
            "issuing_body": settings.ISSUING_BODY,
            "mark_url": mark_path().as_uri(),
            "fonts_url": FONTS_DIR.as_uri(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=FontConfiguration())


def organisation_certificate_pdf_ensure(certificate):
    """Render and store the PDF once (private storage); again if the stored file has gone missing."""
    if certificate.pdf and private_storage.exists(certificate.pdf.name):
        return certificate.pdf.name
    data = organisation_certificate_pdf_render(certificate)
    name = private_storage.save(f"certificates/organisations/{certificate.uuid}.pdf", ContentFile(data))
    OrganisationCertificate.objects.filter(pk=certificate.pk).update(
        pdf=name, pdf_sha256=hashlib.sha256(data).hexdigest()
    )
    certificate.refresh_from_db()
    return name
