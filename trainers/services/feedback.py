"""The short survey participants answer after a completed session."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.services import audit_record

from .. import errors
from ..models import Feedback, Participant, TrainingSession


def feedback_submit(*, participant, user, rating_overall, rating_trainer, rating_material, comment=""):
    if participant.user_id != user.pk:
        raise errors.NotAllowed()
    if participant.session.status != TrainingSession.Status.COMPLETED:
        raise errors.InvalidTransition(_("Feedback opens once the session is completed."))
    if participant.status != Participant.Status.ENROLLED:
        raise errors.InvalidTransition(_("Only participants of the session can give feedback."))
    ratings = (rating_overall, rating_trainer, rating_material)
    if not all(isinstance(r, int) and 1 <= r <= 5 for r in ratings):
        raise errors.InvalidTransition(_("Each rating is a whole number from 1 to 5."))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                participant=participant,
                rating_overall=rating_overall,
                rating_trainer=rating_trainer,
                rating_material=rating_material,
                comment=(comment or "").strip()[:2000],
            )
            audit_record(action="feedback.submitted", target=feedback, actor=user)
    except IntegrityError:
        raise errors.InvalidTransition(_("You have already given feedback for this session.")) from None
    return feedback
