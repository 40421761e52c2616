"""Pages of the audited certification: the provider applies, follows and answers; the auditor
declares, plans, scores (on the assessment pages), records findings and completes; the examiner
assigns and decides. Thin: certification_selectors decides who sees what (404 to anyone who is
neither a member, the lead auditor nor an examiner; 403 for a step of another role), the
services in assessments.certification decide every change. Every change is a POST."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import is_examiner

from . import certification, errors, selectors
from . import certification_selectors as cs
from .models import CertificationApplication, Finding, RequirementItem

APP = CertificationApplication.State


def _application(request, application_id):
    found = cs.application_for_reader(application_id=application_id, user=request.user)
    if found is None:
        raise Http404
    return found


def _done(request, exc=None, success=None):
    if exc is not None:
        messages.error(request, exc.detail)
    elif success:
        messages.success(request, success)


def _back(application, anchor=""):
    response = redirect("assessments:application", application.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request, slug):
    provider, role = selectors.provider_for_reader(slug=slug, user=request.user) or (None, None)
    if provider is None:
        raise Http404
    if not selectors.can_manage(role):
        raise PermissionDenied
    levels = cs.application_levels()
    assessments = cs.submitted_self_assessments(provider)
    values, error = {}, None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("level", "scope_statement", "self_assessment")}
        level = next((lv for lv in levels if str(lv.pk) == values["level"]), None)
        based_on = next((a for a in assessments if str(a.pk) == values["self_assessment"]), None)
        try:
            application = certification.application_submit(
                provider=provider,
                level=level,
                scope_statement=values["scope_statement"],
                actor=request.user,
                self_assessment=based_on,
            )
        except errors.AssessmentError as exc:
            error = exc
        else:
            messages.success(request, _("Application submitted. An examiner will assign the lead auditor."))
            return _back(application)
    return render(
        request,
        "assessments/certification/apply.html",
        {
            "provider": provider,
            "levels": levels,
            "assessments": assessments,
            "values": values,
            "error": error,
            "open_application": cs.provider_open_application(provider),
        },
    )


@login_required
@require_GET
def application_detail(request, application_id):
    application, access = _application(request, application_id)
    can_decide = (
        access.is_examiner
        and not access.is_auditor
        and not access.member_role
        and application.state == APP.AUDIT_COMPLETED
    )
    audit = application.audit_assessment
    context = {
        "application": application,
        "provider": application.provider,
        "access": access,
        "findings": cs.application_findings(application),
        "plan": cs.application_plan(application),
        "events": cs.application_events(application),
        "in_progress": application.state == APP.AUDIT_IN_PROGRESS,
        "can_decide": can_decide,
        "audit_progress": selectors.assessment_progress(audit) if audit else None,
        "audit_visible": audit is not None
        and selectors.assessment_role(assessment=audit, user=request.user) is not None,
        "self_assessment_visible": application.self_assessment is not None
        and selectors.assessment_role(assessment=application.self_assessment, user=request.user) is not None,
        "outcomes": CertificationApplication.Outcome.choices,
        "finding_kinds": Finding.Kind.choices,
    }
    if access.is_examiner and application.state == APP.SUBMITTED:
        context["eligible_auditors"] = cs.eligible_auditors(application=application)
    if can_decide or application.state == APP.DECIDED:
        context["advice"] = cs.decision_advice(application)
    if access.is_auditor and application.state == APP.AUDIT_IN_PROGRESS:
        context["items"] = list(
            RequirementItem.objects.filter(instrument_id=audit.instrument_id).order_by(
                "requirement__ordinal", "ordinal"
            )
        )
        context["blockers"] = cs.completion_blockers(application)
    return render(request, "assessments/certification/application.html", context)


@login_required
@require_POST
def application_withdraw(request, application_id):
    application, access = _application(request, application_id)
    if not access.is_owner:
        raise PermissionDenied
    try:
        certification.application_withdraw(
            application=application, actor=request.user, reason=request.POST.get("reason", "")
        )
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        _done(request, success=_("The application is withdrawn."))
    return _back(application)


@login_required
@require_POST
def application_assign(request, application_id):
    application, access = _application(request, application_id)
    if not access.is_examiner:
        raise PermissionDenied
    auditor = get_user_model().objects.filter(pk=request.POST.get("auditor") or 0).first()
    try:
        certification.application_auditor_assign(application=application, auditor=auditor, actor=request.user)
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        _done(request, success=_("Lead auditor assigned; they declare any conflict of interest next."))
    return _back(application)


@login_required
@require_POST
def application_declare(request, application_id):
    application, access = _application(request, application_id)
    if not access.is_auditor:
        raise PermissionDenied
    has_conflict = request.POST.get("declaration") == "conflict"
    try:
        certification.application_declare(
            application=application,
            actor=request.user,
            has_conflict=has_conflict,
            statement=request.POST.get("statement", ""),
        )
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        if has_conflict:
            messages.success(request, _("Conflict of interest declared; the assignment has ended."))
            return redirect("assessments:my_audits")
        _done(request, success=_("No conflict of interest declared; the audit has started."))
    return _back(application)


def _auditor_only(request, application_id):
    application, access = _application(request, application_id)
    if not access.is_auditor:
        raise PermissionDenied
    return application


@login_required
@require_POST
def plan_add(request, application_id):
    application = _auditor_only(request, application_id)
    try:
        certification.plan_entry_add(
            application=application,
            actor=request.user,
            day=_date_or_none(request.POST.get("day")),
            location=request.POST.get("location", ""),
            interviewees=request.POST.get("interviewees", ""),
            topics=request.POST.get("topics", ""),
        )
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        _done(request, success=_("Added to the audit plan."))
    return _back(application, "plan")


def _date_or_none(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@login_required
@require_POST
def plan_remove(request, application_id, entry_id):
    application = _auditor_only(request, application_id)
    entry = application.plan_entries.filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    try:
        certification.plan_entry_remove(entry=entry, actor=request.user)
    except errors.AssessmentError as exc:
        _done(request, exc)
    return _back(application, "plan")


@login_required
@require_POST
def finding_add(request, application_id):
    application = _auditor_only(request, application_id)
    audit = application.audit_assessment
    item = None
    if audit is not None:
        item = RequirementItem.objects.filter(
            pk=request.POST.get("item") or 0, instrument_id=audit.instrument_id
        ).first()
    try:
        certification.finding_raise(
            application=application,
            actor=request.user,
            item=item,
            kind=request.POST.get("kind", ""),
            description=request.POST.get("description", ""),
            evidence=request.POST.get("evidence", ""),
            evidence_links=request.POST.get("evidence_links", "").splitlines(),
        )
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        _done(request, success=_("Finding recorded."))
    return _back(application, "findings")


def _finding(application, finding_id):
    finding = application.findings.filter(pk=finding_id).select_related("item", "application").first()
    if finding is None:
        raise Http404
    return finding


@login_required
@require_POST
def finding_answer(request, application_id, finding_id):
    application, access = _application(request, application_id)
    if not access.is_owner:
        raise PermissionDenied
    finding = _finding(application, finding_id)
    try:
        certification.finding_answer(finding=finding, actor=request.user, text=request.POST.get("text", ""))
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        _done(request, success=_("Corrective action sent to the auditor."))
    return _back(application, f"finding-{finding.pk}")


@login_required
@require_POST
def finding_review(request, application_id, finding_id):
    application = _auditor_only(request, application_id)
    finding = _finding(application, finding_id)
    accept = request.POST.get("review") == "accept"
    try:
        certification.finding_review(
            finding=finding, actor=request.user, accept=accept, notes=request.POST.get("notes", "")
        )
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        _done(
            request,
            success=_("Corrective action accepted; the finding is closed.")
            if accept
            else _("Corrective action rejected; the provider answers again."),
        )
    return _back(application, f"finding-{finding.pk}")


@login_required
@require_POST
def audit_complete(request, application_id):
    application = _auditor_only(request, application_id)
    try:
        certification.audit_complete(
            application=application,
            actor=request.user,
            recommendation=request.POST.get("recommendation", ""),
            notes=request.POST.get("notes", ""),
        )
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        _done(request, success=_("Audit completed; an examiner decides next."))
    return _back(application)


@login_required
@require_POST
def application_decide(request, application_id):
    application, access = _application(request, application_id)
    if not access.is_examiner:
        raise PermissionDenied
    try:
        certification.application_decide(
            application=application,
            actor=request.user,
            outcome=request.POST.get("outcome", ""),
            reasons=request.POST.get("reasons", ""),
        )
    except errors.AssessmentError as exc:
        _done(request, exc)
    else:
        _done(request, success=_("Decision recorded."))
    return _back(application)


@login_required
@require_GET
def examiner_applications(request):
    if not is_examiner(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "")
    if state not in APP.values:
        state = ""
    return render(
        request,
        "assessments/certification/applications.html",
        {"applications": cs.applications_all(state=state), "state": state, "states": APP.choices},
    )


@login_required
@require_GET
def my_audits(request):
    accreditation = cs.accreditation_of(request.user)
    audits = cs.audits_of(request.user)
    if accreditation is None and not audits:
        raise PermissionDenied
    return render(
        request,
        "assessments/certification/my_audits.html",
        {"accreditation": accreditation, "audits": audits},
    )
