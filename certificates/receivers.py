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
