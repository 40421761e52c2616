"""Background work of the assessments app; every task is idempotent."""

from celery import shared_task

from config.task_retry import RETRY_TRANSIENT

from . import emails
from .models import ProviderInvitation


@shared_task(acks_late=True, **RETRY_TRANSIENT)
def provider_invitation_send(invitation_id):
    invitation = (
        ProviderInvitation.objects.filter(pk=invitation_id, status=ProviderInvitation.Status.PENDING)
        .select_related("provider")
        .first()
    )
    if invitation is not None:
        emails.provider_invitation(invitation)


@shared_task(acks_late=True)
def organisation_certificates_sweep():
    """Beat: issue the certificate of any grant that has none yet (idempotent)."""
    from .certification import grant_certificates_issue_missing

    return grant_certificates_issue_missing()
