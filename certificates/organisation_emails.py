"""E-mails about organisations' certificates, to the provider's SMS owners named at issue; each is
rendered from subject, text and HTML templates under templates/certificates/organisation/email/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .organisation_badges import provider_url, verify_url


def _send(template, certificate, context=None):
    recipients = list(certificate.contact_emails or [])
    if not recipients:
        return False
    context = {
        "certificate": certificate,
        "verify_url": verify_url(certificate),
        "provider_url": provider_url(certificate),
        "apply_url": f"{settings.SITE_URL}/assessments/providers/{certificate.organisation_slug}/apply/",
        "platform": settings.PLATFORM_NAME,
        **(context or {}),
    }
    base = f"certificates/organisation/email/{template}"
    subject = render_to_string(f"{base}_subject.txt", context).strip()
    message = EmailMultiAlternatives(subject, render_to_string(f"{base}.txt", context), to=recipients)
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    message.send()
    return True


def organisation_certificate_issued(certificate):
    return _send("issued", certificate)


def organisation_certificate_reminder(certificate, days_before):
    return _send("reminder", certificate, {"days_before": days_before})


def organisation_certificate_revoked(certificate):
    return _send("revoked", certificate)
