"""Errors a learner can cause. The message is for people; nothing has changed when one is raised."""


class LearningError(Exception):
    status = 400

    def __init__(self, detail=None, field_errors=None):
        super().__init__(detail or self.__doc__)
        self.detail = detail or (self.__doc__ or "").strip()
        self.field_errors = field_errors or {}


class NotEnrolled(LearningError):
    """Enrol in this course first: knowledge checks and progress are kept for enrolled learners."""

    status = 403


class CompletedByKnowledgeCheck(LearningError):
    """This lesson is completed by passing its knowledge check."""

    status = 409


class IncompleteAnswers(LearningError):
    """Please answer every question of the knowledge check."""


class TamperedAnswers(LearningError):
    """The answers sent do not match the questions of this knowledge check. Nothing was recorded;
    please reload the page and answer again."""


class UnknownKnowledgeCheck(LearningError):
    """This knowledge check is no longer part of the lesson. Nothing was recorded; please reload the page."""
