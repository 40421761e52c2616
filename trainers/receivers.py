"""Reactions to other apps' signals."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from certificates.signals import certificate_revoked

from .services.accreditations import accreditations_suspend_without_certificate


@receiver(certificate_revoked, dispatch_uid="trainers_suspend_on_certificate_revoked")
def suspend_accreditations_of_revoked_holder(sender, certificate, **kwargs):
    """Runs inside the revoking transaction: the suspension commits or rolls back with it."""
    accreditations_suspend_without_certificate(
        user=certificate.user,
        certification=certificate.certification,
        reason=f"The trainer's {certificate.certification_name} certificate {certificate.code} was revoked.",
    )


@receiver(user_logged_in, dispatch_uid="trainers_remind_remembered_session_invitation")
def remind_remembered_invitation(sender, request, user, **kwargs):
    """Someone opened an invitation signed out, then signed in (perhaps after signing up and
    verifying the address): point them back to it, wherever sign-in took them."""
    from django.contrib import messages
    from django.utils.html import format_html

    from .models import SessionInvitation
    from .selectors import session_invitation_by_token

    key = SessionInvitation.REMEMBERED_KEY
    token = request.session.get(key) if request is not None else None
    if not token:
        return
    invitation = session_invitation_by_token(token)
    if invitation is None or invitation.status != invitation.Status.PENDING or invitation.is_expired():
        request.session.pop(key, None)
        return
    messages.info(
        request,
        format_html(
            'You are invited to {}: <a href="{}">review and accept the invitation</a>.',
            invitation.session.title,
            invitation.get_absolute_url(),
        ),
    )
