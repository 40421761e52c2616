import logging

from django.db import transaction

log = logging.getLogger(__name__)


def on_attempt_graded(sender, attempt, **kwargs):
    """Issue in the grading transaction. A failure here must not undo the grade:
    it is contained in a savepoint, logged, and the sweep issues it later."""
    from .services import certificate_issue

    try:
        with transaction.atomic():
            certificate_issue(attempt=attempt)
    except Exception:
        log.exception("Certificate issuance for attempt %s failed; the sweep will retry.", attempt.pk)


def on_attempt_voided(sender, attempt, actor=None, **kwargs):
    """Inside the voiding transaction: the certificate the attempt produced is revoked with it.
    Not contained: if revoking fails, the void fails too, so no voided attempt keeps a certificate."""
    from .services import certificate_revoke_for_voided_attempt

    certificate_revoke_for_voided_attempt(attempt=attempt, actor=actor)
