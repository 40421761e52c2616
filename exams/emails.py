"""E-mails of the exam engine: one function per message, each rendered from subject, text and HTML
templates (templates/exams/email/<name>_subject.txt, _body.txt, _body.html). Links are built with
reverse() on the public SITE_URL."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.languages import recipient_language
from accounts.timezones import recipient_time_zone

from . import selectors


def _url(name, *args):
    return settings.SITE_URL + reverse(name, args=args)


def _send(name, to, context):
    context = {"platform": settings.PLATFORM_NAME, "site_url": settings.SITE_URL, **context}
    with recipient_time_zone(to) as zone, recipient_language(to):  # the recipient's zone and language
        context["recipient_time_zone"] = zone
        subject = " ".join(render_to_string(f"exams/email/{name}_subject.txt", context).split())
        text = render_to_string(f"exams/email/{name}_body.txt", context)
        html = render_to_string(f"exams/email/{name}_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def attempt_voided(attempt):
    """To the candidate: who voided their attempt, when, and the reason they gave."""
    _send(
        "attempt_voided",
        [attempt.user.email],
        {
            "attempt": attempt,
            "candidate": attempt.user,
            "certification": attempt.certification,
            "void": selectors.attempt_void_record(attempt=attempt),
            "result_url": _url("exam_result", attempt.pk),
        },
    )
