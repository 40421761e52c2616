"""Errors a provider's member (or an examiner) can cause. Each carries a stable code, the HTTP
status the API answers with, the input it is about (`field`) and a `detail` for people."""

from django.utils.translation import gettext_lazy as _


class AssessmentError(Exception):
    code = "assessment_error"
    status = 400
    default_detail = _("That is not possible.")

    def __init__(self, detail=None, *, field=None):
        self.detail = str(detail or self.default_detail)
        self.field = field
        super().__init__(self.detail)


class NotFound(AssessmentError):
    code = "not_found"
    status = 404
    default_detail = _("Not found.")


class NotAllowed(AssessmentError):
    code = "not_allowed"
    status = 403
    default_detail = _("Your role at this provider does not allow this.")


class InvalidInput(AssessmentError):
    code = "invalid_request"
    status = 422
    default_detail = _("The input is not valid.")


class AssessmentLocked(AssessmentError):
    code = "assessment_locked"
    status = 409
    default_detail = _("This assessment has been submitted and is locked.")


class OutOfScope(AssessmentError):
    code = "out_of_scope"
    status = 409
    default_detail = _("This requirement is out of the assessment's scope.")


class InvalidTransition(AssessmentError):
    code = "invalid_state"
    status = 409
    default_detail = _("That change is not possible in the current state.")


class NotReady(InvalidTransition):
    code = "incomplete"
    default_detail = _("Every item in scope must be scored before the assessment is submitted.")


class AuditorNotEligible(AssessmentError):
    code = "auditor_not_eligible"
    status = 409
    default_detail = _("This person cannot be the lead auditor of this application.")


class ConflictOfInterest(AssessmentError):
    code = "conflict_of_interest"
    status = 409
    default_detail = _("Nobody judges their own case: this person may not take this step.")


class AuditOpen(InvalidTransition):
    code = "audit_open"
    default_detail = _("The audit cannot be completed yet.")


class AlreadyDecided(InvalidTransition):
    code = "already_decided"
    default_detail = _("This application has already been decided.")
