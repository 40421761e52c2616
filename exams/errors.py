"""Errors a candidate, trainer or examiner can cause. Each carries a stable
code and the HTTP status the API answers with; the message is for people."""


class ExamError(Exception):
    code = "exam_error"
    status = 400

    def __init__(self, detail=None):
        super().__init__(detail or self.__doc__)
        self.detail = detail or (self.__doc__ or "").strip()


class NotFound(ExamError):
    """Not found."""

    code = "not_found"
    status = 404


class AttemptClosed(ExamError):
    """This attempt is closed: it was submitted, or its time ran out."""

    code = "attempt_closed"
    status = 409


class AttemptInProgress(ExamError):
    """The attempt is still in progress; the result is available once it is submitted."""

    code = "attempt_in_progress"
    status = 409


class InvalidAnswer(ExamError):
    """The answer is not valid for this question."""

    code = "invalid_answer"
    status = 422


class NotRegistered(ExamError):
    """You are not registered for this sitting."""

    code = "not_registered"
    status = 403


class NotEligible(ExamError):
    """You do not hold the prerequisite certifications for this exam."""

    code = "not_eligible"
    status = 403


class NoAttemptsLeft(ExamError):
    """You have used all attempts allowed for this sitting."""

    code = "no_attempts_left"
    status = 403


class SittingNotOpen(ExamError):
    """This sitting is not open for starting an exam now."""

    code = "sitting_not_open"
    status = 403


class WrongAccessCode(SittingNotOpen):
    """The access code is missing or wrong. Ask your invigilator for it."""

    code = "wrong_access_code"


class InvalidTransition(ExamError):
    """That change is not possible in the current state."""

    code = "invalid_state"
    status = 409


class VoucherUnknown(ExamError):
    """No voucher has this code. Check it for typing mistakes."""

    code = "voucher_unknown"
    status = 404


class VoucherUsed(ExamError):
    """This voucher has already been redeemed."""

    code = "voucher_used"
    status = 409


class VoucherExpired(ExamError):
    """This voucher has expired."""

    code = "voucher_expired"
    status = 410


class BlueprintUnfillable(ExamError):
    """The approved question bank cannot fill the blueprint."""

    code = "blueprint_unfillable"
    status = 409


class BankError(ExamError):
    """The question is not valid."""

    code = "invalid_question"
    status = 422


class ConflictOfInterest(ExamError):
    """Nobody acts on their own exam: invigilators and trainers of a sitting are not its candidates."""

    code = "conflict_of_interest"
    status = 403


class RegistrationLocked(ExamError):
    """Too many wrong access codes: your registration is locked. Ask your invigilator to unlock it."""

    code = "registration_locked"
    status = 423


class NeedsExaminer(ExamError):
    """This goes beyond what an invigilator may grant: an examiner of the certification body decides."""

    code = "needs_examiner"
    status = 403


class TooManyRequests(ExamError):
    """Too many tries in a short time. Wait a few minutes, then try again."""

    code = "rate_limited"
    status = 429


class AnswerTooLate(InvalidAnswer):
    """This answer was given after the time was up, so it was not recorded."""

    code = "answer_too_late"
    status = 422
