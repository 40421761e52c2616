"""Errors a trainer, ATO admin, examiner or learner can cause. The message is for people."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class TrainersError(Exception):
    """That is not possible."""

    default_detail = _("That is not possible.")

    def __init__(self, detail=None, *, field=None):
        # The default text in the language active when the error is raised.
        self.detail = detail or str(self.default_detail)
        super().__init__(self.detail)
        # The input the error is about (a form field's name), so a form can show it there.
        self.field = field


class InvalidTransition(TrainersError):
    """That change is not possible in the current state."""

    default_detail = _("That change is not possible in the current state.")


class NotAccredited(TrainersError):
    """The accreditation does not allow this."""

    default_detail = _("The accreditation does not allow this.")


class DoubleBooked(TrainersError):
    """A trainer is already teaching another session at that time."""

    default_detail = _("A trainer is already teaching another session at that time.")


class NotAllowed(TrainersError):
    """You may not do that."""

    default_detail = _("You may not do that.")


class ImportRejected(TrainersError):
    """The file was not imported."""

    default_detail = _("The file was not imported.")

    def __init__(self, errors):
        self.errors = errors
        super().__init__(gettext("Nothing was imported: %(errors)s") % {"errors": "; ".join(errors)})
