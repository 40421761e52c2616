"""Examiner screens in the Wagtail admin for organisations' certificates: find one, read its
history, suspend it pending an investigation or revoke it (withdraw the certification) with a
reason, lift a suspension, reinstate one another examiner revoked. As for personal certificates:
every action is a POST, suspending and revoking take a confirming second POST, and the rules are
in certificates.organisation_services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from . import organisation_services as services
from .admin_views import ReinstateForm, RevokeForm, SuspendForm, UnsuspendForm, examiner_only
from .models import OrganisationCertificate
from .organisation_selectors import organisation_certificate_history, organisation_certificates_search

DETAIL = "certificates_org_admin_detail"


def _certificate(pk):
    return get_object_or_404(
        OrganisationCertificate.objects.select_related("revoked_by", "suspended_by"), pk=pk
    )


@require_GET
@examiner_only
def organisation_certificate_list(request):
    query = request.GET.get("q", "")
    page = Paginator(organisation_certificates_search(query=query), 50).get_page(request.GET.get("p"))
    return TemplateResponse(
        request, "certificates/organisation/admin/list.html", {"page": page, "query": query}
    )


def _detail(request, certificate, *, status=200, **forms):
    return TemplateResponse(
        request,
        "certificates/organisation/admin/detail.html",
        {
            "certificate": certificate,
            "history": organisation_certificate_history(certificate=certificate),
            "revoke_form": forms.get("revoke_form") or RevokeForm(),
            "reinstate_form": forms.get("reinstate_form") or ReinstateForm(),
            "suspend_form": forms.get("suspend_form") or SuspendForm(),
            "unsuspend_form": forms.get("unsuspend_form") or UnsuspendForm(),
            "revoked_by_me": certificate.revoked_at is not None
            and certificate.revoked_by_id == request.user.pk,
        },
        status=status,
    )


def _confirm(request, certificate, *, kind, form):
    return TemplateResponse(
        request,
        "certificates/organisation/admin/confirm.html",
        {
            "certificate": certificate,
            "kind": kind,
            "form": form,
            "action_url": reverse(f"certificates_org_admin_{kind}", args=[certificate.pk]),
        },
    )


def _run(request, certificate, action, success):
    try:
        action()
    except (ValueError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success % {"code": certificate.display_code})
    return redirect(DETAIL, pk=certificate.pk)


@require_GET
@examiner_only
def organisation_certificate_detail(request, pk):
    return _detail(request, _certificate(pk))


@require_POST
@examiner_only
def organisation_certificate_revoke_view(request, pk):
    certificate = _certificate(pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, revoke_form=form, status=400)
    if request.POST.get("confirmed") != "yes":
        return _confirm(request, certificate, kind="revoke", form=form)
    return _run(
        request,
        certificate,
        lambda: services.organisation_certificate_revoke(
            certificate=certificate,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            internal_reason=form.cleaned_data["internal_reason"],
        ),
        gettext("Certificate %(code)s is revoked: the certification is withdrawn."),
    )


@require_POST
@examiner_only
def organisation_certificate_suspend_view(request, pk):
    certificate = _certificate(pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, suspend_form=form, status=400)
    if request.POST.get("confirmed") != "yes":
        return _confirm(request, certificate, kind="suspend", form=form)
    return _run(
        request,
        certificate,
        lambda: services.organisation_certificate_suspend(
            certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        gettext("Certificate %(code)s is suspended."),
    )


@require_POST
@examiner_only
def organisation_certificate_unsuspend_view(request, pk):
    certificate = _certificate(pk)
    form = UnsuspendForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, unsuspend_form=form, status=400)
    return _run(
        request,
        certificate,
        lambda: services.organisation_certificate_unsuspend(
            certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        gettext("The suspension of certificate %(code)s is lifted."),
    )


@require_POST
@examiner_only
def organisation_certificate_reinstate_view(request, pk):
    certificate = _certificate(pk)
    form = ReinstateForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, reinstate_form=form, status=400)
    return _run(
        request,
        certificate,
        lambda: services.organisation_certificate_reinstate(
            certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        gettext("Certificate %(code)s is valid again."),
    )
