"""Provider and self-assessment pages. Thin: the selectors decide what a person may see (anything
of a provider they are not a member of answers 404; examiners read), the services decide every
change (a refusal is shown as a message or at its field). Every change is a POST."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certificates.storage import private_storage

from . import charts, errors, selectors, services
from .certification_selectors import provider_applications
from .forms import (
    AssessmentForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    InviteForm,
    ProviderForm,
    RoleForm,
    ScopeForm,
)
from .models import SCORE_MAX, SCORE_MIN, ProviderMembership, RequirementItem
from .scale import scale_levels


def _provider(request, slug):
    found = selectors.provider_for_reader(slug=slug, user=request.user)
    if found is None:
        raise Http404
    return found


def _assessment(request, assessment_id):
    found = selectors.assessment_for_reader(assessment_id=assessment_id, user=request.user)
    if found is None:
        raise Http404
    return found


def _require(role, check):
    if not check(role):
        raise PermissionDenied


def _refused(request, exc):
    messages.error(request, exc.detail)


@login_required
@require_GET
def home(request):
    from accounts.roles import is_examiner

    from .certification_selectors import auditor_is_accredited

    context = {
        "providers": selectors.providers_for_user(request.user),
        "is_auditor": auditor_is_accredited(user=request.user),
        "is_examiner": is_examiner(request.user),
    }
    return render(request, "assessments/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def provider_new(request):
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_register(actor=request.user, **form.cleaned_data)
        except errors.AssessmentError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("%(name)s is registered; you are its SMS owner.") % {"name": provider.name}
            )
            return redirect("assessments:provider", provider.slug)
    return render(request, "assessments/provider_form.html", {"form": form})


@login_required
@require_GET
def provider_detail(request, slug):
    provider, role = _provider(request, slug)
    assessments = [
        {"assessment": a, "progress": selectors.assessment_progress(a)}
        for a in selectors.provider_assessments(provider)
    ]
    trend = selectors.provider_trend(provider)
    return render(
        request,
        "assessments/provider_detail.html",
        {
            "provider": provider,
            "role": role,
            "can_manage": selectors.can_manage(role),
            "assessments": assessments,
            "members": selectors.provider_members(provider),
            "invitations": selectors.provider_pending_invitations(provider)
            if selectors.can_manage(role)
            else [],
            "invite_form": InviteForm(),
            "role_choices": ProviderMembership.Role.choices,
            "trend": trend,
            "trend_chart": _trend_chart(trend),
            "applications": provider_applications(provider),
        },
    )


def _trend_chart(trend):
    if len(trend["assessments"]) < 1:
        return None
    overall = []
    for index in range(len(trend["assessments"])):
        values = [r["values"][index] for r in trend["rows"] if r["values"][index] is not None]
        overall.append(round(sum(values) / len(values), 2) if values else None)
    trend["overall"] = overall
    return charts.trend_chart([(_("Mean over the requirements in scope"), overall)])


@login_required
@require_POST
def provider_invite(request, slug):
    provider, role = _provider(request, slug)
    _require(role, selectors.can_manage)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.provider_invite(provider=provider, actor=request.user, **form.cleaned_data)
        except errors.AssessmentError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
    else:
        messages.error(request, _("Give a valid e-mail address and a role."))
    return redirect(reverse("assessments:provider", args=[slug]) + "#members")


@login_required
@require_POST
def invitation_withdraw(request, slug, invitation_id):
    provider, role = _provider(request, slug)
    _require(role, selectors.can_manage)
    invitation = provider.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    try:
        services.provider_invitation_withdraw(invitation=invitation, actor=request.user)
    except errors.AssessmentError as exc:
        _refused(request, exc)
    return redirect(reverse("assessments:provider", args=[slug]) + "#members")


def _membership(provider, membership_id):
    membership = provider.memberships.filter(pk=membership_id).select_related("provider").first()
    if membership is None:
        raise Http404
    return membership


@login_required
@require_POST
def membership_role(request, slug, membership_id):
    provider, role = _provider(request, slug)
    _require(role, selectors.can_manage)
    membership = _membership(provider, membership_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_role_set(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except errors.AssessmentError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Role changed."))
    return redirect(reverse("assessments:provider", args=[slug]) + "#members")


@login_required
@require_POST
def membership_remove(request, slug, membership_id):
    provider, role = _provider(request, slug)
    _require(role, selectors.can_manage)
    membership = _membership(provider, membership_id)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except errors.AssessmentError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Member removed."))
    return redirect(reverse("assessments:provider", args=[slug]) + "#members")


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    found = selectors.invitation_by_token(token)
    if found is None:
        raise Http404
    addressed = selectors.invitation_addressed_to(invitation=found, user=request.user)
    if request.method == "POST":
        try:
            membership = services.provider_invitation_accept(token=token, user=request.user)
        except errors.AssessmentError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, _("You are now a member of %(name)s.") % {"name": membership.provider.name}
            )
            return redirect("assessments:provider", membership.provider.slug)
    return render(request, "assessments/invitation.html", {"invitation": found, "addressed": addressed})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request, slug):
    provider, role = _provider(request, slug)
    _require(role, selectors.can_manage)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_create(
                provider=provider, title=form.cleaned_data["title"], actor=request.user
            )
        except errors.AssessmentError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Assessment created: now set its scope and targets."))
            return redirect("assessments:scope", assessment.pk)
    return render(request, "assessments/assessment_form.html", {"form": form, "provider": provider})


@login_required
@require_GET
def assessment_detail(request, assessment_id):
    assessment, role = _assessment(request, assessment_id)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "provider": assessment.provider,
            "role": role,
            "can_manage": selectors.can_manage(role),
            "can_score": selectors.can_score(role),
            "progress": selectors.assessment_progress(assessment),
            "requirements": selectors.assessment_overview(assessment),
        },
    )


@login_required
@require_POST
def assessment_submit(request, assessment_id):
    assessment, role = _assessment(request, assessment_id)
    _require(role, selectors.can_manage)
    try:
        services.assessment_submit(assessment=assessment, actor=request.user)
    except errors.AssessmentError as exc:
        _refused(request, exc)
        return redirect("assessments:assessment", assessment.pk)
    messages.success(request, _("Assessment submitted; it is now locked."))
    return redirect("assessments:results", assessment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_scope(request, assessment_id):
    assessment, role = _assessment(request, assessment_id)
    editable = selectors.can_manage(role) and not assessment.is_locked
    if request.method == "POST" and not editable:
        raise PermissionDenied
    requirements = selectors.instrument_requirements(assessment.instrument)
    form = ScopeForm(
        request.POST or None, requirements=requirements, entries=selectors.scope_entries(assessment)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_scope_set(assessment=assessment, actor=request.user, entries=form.entries())
        except errors.AssessmentError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Scope and targets saved."))
            return redirect("assessments:assessment", assessment.pk)
    return render(
        request,
        "assessments/scope.html",
        {"assessment": assessment, "provider": assessment.provider, "form": form, "editable": editable},
    )


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def assessment_requirement(request, assessment_id, code):
    assessment, role = _assessment(request, assessment_id)
    requirement = selectors.assessment_requirement(assessment=assessment, code=code)
    if requirement is None:
        raise Http404
    editable = selectors.can_score(role) and not assessment.is_locked
    in_scope = selectors.scope_entries(assessment).get(requirement.pk)
    in_scope = in_scope is None or in_scope.in_scope
    if request.method == "POST":
        if not selectors.can_score(role):
            raise PermissionDenied
        entries = []
        for item in requirement.items.all():
            score = _int_or_none(request.POST.get(f"score-{item.pk}"))
            if score is not None and not SCORE_MIN <= score <= SCORE_MAX:
                score = None
            entries.append(
                {
                    "item": item,
                    "score": score,
                    "comment": request.POST.get(f"comment-{item.pk}", "")[:4000],
                    "base_seq": _int_or_none(request.POST.get(f"base-{item.pk}")) or 0,
                }
            )
        try:
            result = services.assessment_scores_save_form(
                assessment=assessment, actor=request.user, entries=entries
            )
        except errors.AssessmentError as exc:
            _refused(request, exc)
        else:
            for row in result["conflicts"]:
                messages.warning(
                    request,
                    _(
                        "%(item)s was changed by %(who)s at %(when)s while you were editing; their score %(score)s is kept. Check it and save again if needed."
                    )
                    % {
                        "item": row.item.code,
                        "who": row.changed_by.email if row.changed_by else _("someone"),
                        "when": row.changed_at.strftime("%H:%M:%S"),
                        "score": row.score,
                    },
                )
            if result["saved"] or not result["conflicts"]:
                messages.success(request, _("%(n)s score(s) saved.") % {"n": len(result["saved"])})
        return redirect("assessments:requirement", assessment.pk, requirement.code)
    requirements = selectors.instrument_requirements(assessment.instrument)
    codes = [r.code for r in requirements]
    index = codes.index(requirement.code)
    return render(
        request,
        "assessments/requirement.html",
        {
            "assessment": assessment,
            "provider": assessment.provider,
            "requirement": requirement,
            "items": selectors.requirement_scoring(assessment=assessment, requirement=requirement),
            "levels": scale_levels(assessment.instrument),
            "editable": editable and in_scope,
            "in_scope": in_scope,
            "previous": codes[index - 1] if index > 0 else None,
            "next": codes[index + 1] if index + 1 < len(codes) else None,
            "link_form": EvidenceLinkForm(),
            "file_form": EvidenceFileForm(),
        },
    )


def _scorable_item(assessment, item_id):
    item = (
        RequirementItem.objects.select_related("requirement")
        .filter(pk=item_id, instrument_id=assessment.instrument_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


@login_required
@require_POST
def evidence_add(request, assessment_id, item_id):
    assessment, role = _assessment(request, assessment_id)
    _require(role, selectors.can_score)
    item = _scorable_item(assessment, item_id)
    try:
        if request.FILES.get("file"):
            form = EvidenceFileForm(request.POST, request.FILES)
            if not form.is_valid():
                raise errors.InvalidInput(_("Choose a file to upload."))
            services.evidence_file_add(
                assessment=assessment, item=item, upload=form.cleaned_data["file"], actor=request.user
            )
        else:
            form = EvidenceLinkForm(request.POST)
            if not form.is_valid():
                raise errors.InvalidInput(_("Give the link as an http(s) address."))
            services.evidence_link_add(
                assessment=assessment, item=item, actor=request.user, **form.cleaned_data
            )
    except errors.AssessmentError as exc:
        messages.error(request, f"{item.code}: {exc.detail}")
    else:
        messages.success(request, _("Evidence added to %(item)s.") % {"item": item.code})
    return redirect(
        reverse("assessments:requirement", args=[assessment.pk, item.requirement.code]) + f"#item-{item.pk}"
    )


@login_required
@require_POST
def evidence_remove(request, assessment_id, evidence_id):
    assessment, role = _assessment(request, assessment_id)
    _require(role, selectors.can_score)
    evidence = selectors.evidence_for_reader(assessment=assessment, evidence_id=evidence_id)
    if evidence is None:
        raise Http404
    code = evidence.item.requirement.code
    try:
        services.evidence_remove(evidence=evidence, actor=request.user)
    except errors.AssessmentError as exc:
        _refused(request, exc)
    return redirect("assessments:requirement", assessment.pk, code)


@login_required
@require_GET
def evidence_download(request, assessment_id, evidence_id):
    assessment, _role = _assessment(request, assessment_id)
    evidence = selectors.evidence_for_reader(assessment=assessment, evidence_id=evidence_id)
    if evidence is None or not evidence.file or not private_storage.exists(evidence.file):
        raise Http404
    return FileResponse(
        private_storage.open(evidence.file, "rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type or "application/octet-stream",
    )


def results_context(assessment):
    results = selectors.assessment_results(assessment)
    chart_rows = [(r["code"], r["mean"], r["target"]) for r in results["requirements"] if r["in_scope"]]
    return {
        "assessment": assessment,
        "provider": assessment.provider,
        "results": results,
        "readiness": selectors.assessment_readiness(assessment),
        "chart": charts.score_target_chart(chart_rows),
        "progress": selectors.assessment_progress(assessment),
    }


@login_required
@require_GET
def assessment_results(request, assessment_id):
    assessment, role = _assessment(request, assessment_id)
    return render(request, "assessments/results.html", results_context(assessment) | {"role": role})


@login_required
@require_GET
def assessment_csv(request, assessment_id):
    assessment, _role = _assessment(request, assessment_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["requirement", "item", "in_scope", "target", "score", "gap", "comment"])
    for row in selectors.export_rows(assessment):
        writer.writerow(
            [
                row["requirement"],
                row["item"],
                "yes" if row["in_scope"] else "no",
                "" if row["target"] is None else row["target"],
                "" if row["score"] is None else row["score"],
                "" if row["gap"] is None else row["gap"],
                _csv_safe(row["comment"]),
            ]
        )
    return response


def _csv_safe(text):
    """A cell a spreadsheet would run as a formula is prefixed with an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def assessment_pdf(request, assessment_id):
    from .pdf import assessment_report_pdf

    assessment, _role = _assessment(request, assessment_id)
    data = assessment_report_pdf(results_context(assessment))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.pk}.pdf"'
    return response
