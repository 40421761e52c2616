"""One function per message, each rendered from subject, text and HTML templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def _send(name, to, context):
    context = {"platform": settings.PLATFORM_NAME, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"trainers/email/{name}_subject.txt", context).strip()
    text = render_to_string(f"trainers/email/{name}_body.txt", context)
    html = render_to_string(f"trainers/email/{name}_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def participant_update(participant, kind):
    _send(
        "participant_update",
        [participant.user.email],
        {
            "participant": participant,
            "session": participant.session,
            "kind": kind,
            "session_url": settings.SITE_URL + participant.session.get_absolute_url(),
        },
    )


def trainer_invitation(invitation):
    _send(
        "trainer_invitation",
        [invitation.email],
        {
            "invitation": invitation,
            "accept_url": f"{settings.SITE_URL}/training/invitations/{invitation.token}/",
        },
    )


def feedback_request(participant):
    _send(
        "feedback_request",
        [participant.user.email],
        {
            "participant": participant,
            "session": participant.session,
            "feedback_url": f"{settings.SITE_URL}/sessions/{participant.session_id}/feedback/",
        },
    )


def accreditation_reminder(accreditation, recipients, days_left):
    _send(
        "accreditation_reminder",
        recipients,
        {"accreditation": accreditation, "party": accreditation.party, "days_left": days_left},
    )
