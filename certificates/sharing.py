"""Where a holder shares a certificate, and what the exam result page offers after a pass."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from .models import Certificate


def linkedin_add_url(certificate):
    """LinkedIn's "add a certification to your profile" form, filled in."""
    return "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": certificate.certification_name,
            "organizationName": settings.ISSUING_BODY,
            "issueYear": certificate.issued_on.year,
            "issueMonth": certificate.issued_on.month,
            "certUrl": f"{settings.SITE_URL}/verify/{certificate.code}/",
            "certId": certificate.code,
        }
    )


def result_certificate_steps(attempt):
    """exams.hooks provider: after a pass, the certificate (or word that it is on its way)."""
    if not attempt.passed or attempt.purpose != "exam":
        return []
    certificate = Certificate.objects.filter(attempt=attempt).first()
    if certificate is None:
        return [
            {
                "heading": gettext("Your certificate"),
                "text": gettext(
                    "Your certificate is being issued. It will be in My certificates in a moment, and we e-mail you."
                ),
                "links": [(gettext("My certificates"), reverse("certificate_wallet"))],
            }
        ]
    return [
        {
            "heading": gettext("Your certificate"),
            "text": gettext("Certificate %(code)s is yours. Anyone can check it at its verification page.")
            % {"code": certificate.code},
            "links": [
                (
                    gettext("See the verification page"),
                    reverse("certificate_verify", args=[certificate.code]),
                ),
                (gettext("Download the PDF"), reverse("certificate_pdf", args=[certificate.code])),
                (gettext("Add it to your LinkedIn profile"), linkedin_add_url(certificate)),
                (gettext("My certificates and badges"), reverse("certificate_wallet")),
            ],
        }
    ]
