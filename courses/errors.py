"""Errors a learner can cause. The message is for people; nothing has changed when one is raised."""

from django.utils.translation import gettext_lazy as _


class LearningError(Exception):
    status = 400
    default_detail = ""

    def __init__(self, detail=None, field_errors=None):
        # The default text in the language active when the error is raised.
        self.detail = detail or str(self.default_detail)
        super().__init__(self.detail)
        self.field_errors = field_errors or {}


class NotEnrolled(LearningError):
    """Enrol in this course first: knowledge checks and progress are kept for enrolled learners."""

    default_detail = _(
        "Enrol in this course first: knowledge checks and progress are kept for enrolled learners."
    )

    status = 403


class CompletedByKnowledgeCheck(LearningError):
    """This lesson is completed by passing its knowledge check."""

    default_detail = _("This lesson is completed by passing its knowledge check.")

    status = 409


class IncompleteAnswers(LearningError):
    """Please answer every question of the knowledge check."""

    default_detail = _("Please answer every question of the knowledge check.")


class TamperedAnswers(LearningError):
    """The answers sent do not match the questions of this knowledge check. Nothing was recorded;
    please reload the page and answer again."""

    default_detail = _(
        "The answers sent do not match the questions of this knowledge "
        "check. Nothing was recorded; please reload the page and answer again."
    )


class UnknownKnowledgeCheck(LearningError):
    """This knowledge check is no longer part of the lesson. Nothing was recorded; please reload the page."""

    default_detail = _(
        "This knowledge check is no longer part of the lesson. Nothing was recorded; please reload the page."
    )
