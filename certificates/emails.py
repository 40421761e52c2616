"""One function per message, each rendered from subject, text and HTML templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from accounts.languages import recipient_language
from accounts.timezones import recipient_time_zone


def _send(template, certificate):
    context = {
        "certificate": certificate,
        "verify_url": f"{settings.SITE_URL}/verify/{certificate.code}/",
        "wallet_url": f"{settings.SITE_URL}/me/certificates/",
        "platform": settings.PLATFORM_NAME,
    }
    with (
        recipient_time_zone([certificate.user]) as zone,
        recipient_language([certificate.user]),
    ):  # the holder's zone and language
        context["recipient_time_zone"] = zone
        subject = render_to_string(f"certificates/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"certificates/email/{template}.txt", context)
        html = render_to_string(f"certificates/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[certificate.user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def certificate_issued(certificate):
    _send("issued", certificate)


def certificate_revoked(certificate):
    _send("revoked", certificate)
