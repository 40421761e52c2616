"""One function per message, each rendered from subject, text and HTML templates
(templates/assessments/email/<name>_subject.txt, _body.txt, _body.html). Links are built with
reverse() on the public SITE_URL."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.languages import recipient_language
from accounts.timezones import recipient_time_zone


def _url(name, *args):
    return settings.SITE_URL + reverse(name, args=args)


def _send(name, to, context):
    context = {"platform": settings.PLATFORM_NAME, "site_url": settings.SITE_URL, **context}
    with recipient_time_zone(to) as zone, recipient_language(to):  # the recipient's zone and language
        context["recipient_time_zone"] = zone
        subject = render_to_string(f"assessments/email/{name}_subject.txt", context).strip()
        text = render_to_string(f"assessments/email/{name}_body.txt", context)
        html = render_to_string(f"assessments/email/{name}_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def provider_invitation(invitation):
    """To the invited address: who invites, with which role, and the way to accept."""
    _send(
        "provider_invitation",
        [invitation.email],
        {
            "invitation": invitation,
            "provider": invitation.provider,
            "role": invitation.get_role_display(),
            "accept_url": _url("assessments:invitation", invitation.token),
        },
    )
