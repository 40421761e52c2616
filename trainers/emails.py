"""One function per message, each rendered from subject, text and HTML templates
(templates/trainers/email/<name>_subject.txt, _body.txt, _body.html). Links are
built with reverse() by `_url`, on the public SITE_URL."""

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
        subject = render_to_string(f"trainers/email/{name}_subject.txt", context).strip()
        text = render_to_string(f"trainers/email/{name}_body.txt", context)
        html = render_to_string(f"trainers/email/{name}_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def participant_update(participant, kind, reason=""):
    """To the learner: a request received, a seat, a waiting-list place, a promotion, a refusal, a
    cancelled session (`kind`)."""
    _send(
        "participant_update",
        [participant.user.email],
        {
            "participant": participant,
            "session": participant.session,
            "kind": kind,
            "reason": reason,
            "session_url": _url("trainers:session_detail", participant.session_id),
        },
    )


def seat_requested(participant, recipients):
    """To the session's trainers: a learner asks for a seat."""
    _send(
        "seat_requested",
        recipients,
        {
            "participant": participant,
            "session": participant.session,
            "manage_url": _url("trainers:manage_session", participant.session_id),
        },
    )


def session_invitation(invitation):
    """To the invited address: the way to the acceptance page (sign in or sign up first)."""
    _send(
        "session_invitation",
        [invitation.email],
        {
            "invitation": invitation,
            "session": invitation.session,
            "accept_url": _url("trainers:session_invitation", invitation.token),
        },
    )


def voucher_assigned(assignment):
    """To the address an ATO admin handed a voucher to: the code and where to redeem it."""
    from exams.services.vouchers import voucher_code_display

    voucher = assignment.pool_voucher.voucher
    _send(
        "voucher_assigned",
        [assignment.email],
        {
            "assignment": assignment,
            "organisation": assignment.pool_voucher.organisation,
            "voucher": voucher,
            "code": voucher_code_display(voucher.code),
            "redeem_url": _url("my_exams"),
        },
    )


def voucher_revoked(assignment):
    """To the same address: the code it received no longer works."""
    _send(
        "voucher_revoked",
        [assignment.email],
        {
            "assignment": assignment,
            "organisation": assignment.pool_voucher.organisation,
            "voucher": assignment.pool_voucher.voucher,
        },
    )


def trainer_invitation(invitation):
    _send(
        "trainer_invitation",
        [invitation.email],
        {"invitation": invitation, "accept_url": _url("trainers:invitation_accept", invitation.token)},
    )


def feedback_request(participant):
    _send(
        "feedback_request",
        [participant.user.email],
        {
            "participant": participant,
            "session": participant.session,
            "feedback_url": _url("trainers:feedback", participant.session_id),
        },
    )


def accreditation_reminder(accreditation, recipients, days_left):
    _send(
        "accreditation_reminder",
        recipients,
        {"accreditation": accreditation, "party": accreditation.party, "days_left": days_left},
    )
