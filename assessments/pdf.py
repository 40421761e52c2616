"""The assessment report as a PDF (WeasyPrint), with the bundled fonts of certificates/fonts
(never the system's), as the certificate PDF does."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from certificates.pdf import FONTS_DIR


def assessment_report_pdf(context):
    """The PDF bytes of the results page's data (see views.results_context)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(
        "assessments/report_pdf.html",
        context
        | {
            "fonts_url": FONTS_DIR.as_uri(),
            "generated_at": timezone.now(),
            "platform": settings.PLATFORM_NAME,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=FontConfiguration())
