"""Errors a candidate, trainer or examiner can cause. Each carries a stable
code and the HTTP status the API answers with; the message is for people."""

from django.utils.translation import gettext_lazy as _


class ExamError(Exception):
    code = "exam_error"
    status = 400
    message = ""

    def __init__(self, detail=None):
        # The default message is translated when the error is raised, in the
        # language of the request that caused it.
        detail = detail or str(self.message)
        super().__init__(detail)
        self.detail = detail


class NotFound(ExamError):
    code = "not_found"
    status = 404
    message = _("Not found.")


class AttemptClosed(ExamError):
    code = "attempt_closed"
    status = 409
    message = _("This attempt is closed: it was submitted, or its time ran out.")


class AttemptInProgress(ExamError):
    code = "attempt_in_progress"
    status = 409
    message = _("The attempt is still in progress; the result is available once it is submitted.")


class InvalidAnswer(ExamError):
    code = "invalid_answer"
    status = 422
    message = _("The answer is not valid for this question.")


class NotRegistered(ExamError):
    code = "not_registered"
    status = 403
    message = _("You are not registered for this sitting.")


class NotEligible(ExamError):
    code = "not_eligible"
    status = 403
    message = _("You do not hold the prerequisite certifications for this exam.")


class NoAttemptsLeft(ExamError):
    code = "no_attempts_left"
    status = 403
    message = _("You have used all attempts allowed for this sitting.")


class SittingNotOpen(ExamError):
    code = "sitting_not_open"
    status = 403
    message = _("This sitting is not open for starting an exam now.")


class WrongAccessCode(SittingNotOpen):
    code = "wrong_access_code"
    message = _("The access code is missing or wrong. Ask your invigilator for it.")


class InvalidTransition(ExamError):
    code = "invalid_state"
    status = 409
    message = _("That change is not possible in the current state.")


class VoucherUnknown(ExamError):
    code = "voucher_unknown"
    status = 404
    message = _("No voucher has this code. Check it for typing mistakes.")


class VoucherUsed(ExamError):
    code = "voucher_used"
    status = 409
    message = _("This voucher has already been redeemed.")


class VoucherExpired(ExamError):
    code = "voucher_expired"
    status = 410
    message = _("This voucher has expired.")


class BlueprintUnfillable(ExamError):
    code = "blueprint_unfillable"
    status = 409
    message = _("The approved question bank cannot fill the blueprint.")


class BankError(ExamError):
    code = "invalid_question"
    status = 422
    message = _("The question is not valid.")


class ConflictOfInterest(ExamError):
    code = "conflict_of_interest"
    status = 403
    message = _(
        "Nobody acts on their own exam: invigilators and trainers of a sitting are not its candidates."
    )


class RegistrationLocked(ExamError):
    code = "registration_locked"
    status = 423
    message = _(
        "Too many wrong access codes: your registration is locked. Ask your invigilator to unlock it."
    )


class NeedsExaminer(ExamError):
    code = "needs_examiner"
    status = 403
    message = _(
        "This goes beyond what an invigilator may grant: an examiner of the certification body decides."
    )


class TooManyRequests(ExamError):
    code = "rate_limited"
    status = 429
    message = _("Too many tries in a short time. Wait a few minutes, then try again.")


class AnswerTooLate(InvalidAnswer):
    code = "answer_too_late"
    status = 422
    message = _("This answer was given after the time was up, so it was not recorded.")


class LanguageNotOffered(ExamError):
    code = "language_not_offered"
    status = 422
    message = _("This exam is not offered in that language. Choose one of the languages listed.")


class SwitchNotAllowed(ExamError):
    code = "switch_not_allowed"
    status = 403
    message = _("In this exam a question cannot be shown in another language.")
