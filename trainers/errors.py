"""Errors a trainer, ATO admin, examiner or learner can cause. The message is for people."""


class TrainersError(Exception):
    """That is not possible."""

    def __init__(self, detail=None, *, field=None):
        super().__init__(detail or self.__doc__)
        self.detail = detail or (self.__doc__ or "").strip()
        # The input the error is about (a form field's name), so a form can show it there.
        self.field = field


class InvalidTransition(TrainersError):
    """That change is not possible in the current state."""


class NotAccredited(TrainersError):
    """The accreditation does not allow this."""


class DoubleBooked(TrainersError):
    """A trainer is already teaching another session at that time."""


class NotAllowed(TrainersError):
    """You may not do that."""


class ImportRejected(TrainersError):
    """The file was not imported."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("Nothing was imported: " + "; ".join(errors))
