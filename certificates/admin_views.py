"""Examiner screens in the Wagtail admin: find a certificate, read its audit history,
revoke it (a public reason and an internal one), reinstate one another examiner revoked,
suspend one pending an investigation and lift the suspension. Every action is a POST; revoking and
suspending take a second, confirming POST from a page that shows what will happen.
Thin: the rules are in certificates.services."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import is_examiner

from .models import Certificate
from .selectors import certificate_history, certificates_search
from .services import certificate_reinstate, certificate_revoke, certificate_suspend, certificate_unsuspend


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_(
            "Public reason (shown on the verification page, in the API and lists, and sent to the holder)"
        ),
        max_length=300,
        error_messages={"required": _("Give the public reason for the revocation.")},
    )
    internal_reason = forms.CharField(
        label=_("Internal reason (examiners only; optional)"),
        max_length=2000,
        required=False,
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_(
            'Reason for suspending (examiners only; the public sees "suspended pending an investigation")'
        ),
        max_length=300,
        error_messages={"required": _("Give the reason for the suspension.")},
    )


class UnsuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for lifting the suspension (kept in the audit log)"),
        max_length=300,
        error_messages={"required": _("Give the reason for lifting the suspension.")},
    )


class ReinstateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reinstating (kept in the audit log)"),
        max_length=300,
        error_messages={"required": _("Give the reason for reinstating.")},
    )


def examiner_only(view):
    def wrapper(request, *args, **kwargs):
        if not is_examiner(request.user):
            return TemplateResponse(request, "certificates/admin/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_GET
@examiner_only
def certificate_list(request):
    query = request.GET.get("q", "")
    page = Paginator(certificates_search(query=query), 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "certificates/admin/list.html", {"page": page, "query": query})


def _detail(
    request,
    certificate,
    *,
    revoke_form=None,
    reinstate_form=None,
    suspend_form=None,
    unsuspend_form=None,
    status=200,
):
    return TemplateResponse(
        request,
        "certificates/admin/detail.html",
        {
            "certificate": certificate,
            "history": certificate_history(certificate=certificate),
            "revoke_form": revoke_form or RevokeForm(),
            "reinstate_form": reinstate_form or ReinstateForm(),
            "suspend_form": suspend_form or SuspendForm(),
            "unsuspend_form": unsuspend_form or UnsuspendForm(),
            "revoked_by_me": certificate.revoked_at is not None
            and certificate.revoked_by_id == request.user.pk,
        },
        status=status,
    )


def _confirm(request, certificate, *, kind, form):
    """The second step of revoking or suspending: what will happen, the reasons as typed, and a
    button that sends them again with confirmed=yes. Nothing has changed yet."""
    return TemplateResponse(
        request,
        "certificates/admin/confirm.html",
        {
            "certificate": certificate,
            "kind": kind,
            "form": form,
            "action_url": reverse(f"certificates_admin_{kind}", args=[certificate.pk]),
        },
    )


def _certificate(pk):
    return get_object_or_404(
        Certificate.objects.select_related("certification", "user", "revoked_by", "suspended_by"), pk=pk
    )


@require_GET
@examiner_only
def certificate_detail(request, pk):
    return _detail(request, _certificate(pk))


@require_POST
@examiner_only
def certificate_revoke_view(request, pk):
    certificate = _certificate(pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, revoke_form=form, status=400)
    if request.POST.get("confirmed") != "yes":
        return _confirm(request, certificate, kind="revoke", form=form)
    try:
        certificate_revoke(
            certificate=certificate,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            internal_reason=form.cleaned_data["internal_reason"],
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            gettext("Certificate %(code)s is revoked; the holder is told.")
            % {"code": certificate.display_code},
        )
    return redirect("certificates_admin_detail", pk=certificate.pk)


@require_POST
@examiner_only
def certificate_reinstate_view(request, pk):
    certificate = _certificate(pk)
    form = ReinstateForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, reinstate_form=form, status=400)
    try:
        certificate_reinstate(certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"])
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, gettext("Certificate %(code)s is valid again.") % {"code": certificate.display_code}
        )
    return redirect("certificates_admin_detail", pk=certificate.pk)


@require_POST
@examiner_only
def certificate_suspend_view(request, pk):
    certificate = _certificate(pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, suspend_form=form, status=400)
    if request.POST.get("confirmed") != "yes":
        return _confirm(request, certificate, kind="suspend", form=form)
    try:
        certificate_suspend(certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"])
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, gettext("Certificate %(code)s is suspended.") % {"code": certificate.display_code}
        )
    return redirect("certificates_admin_detail", pk=certificate.pk)


@require_POST
@examiner_only
def certificate_unsuspend_view(request, pk):
    certificate = _certificate(pk)
    form = UnsuspendForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, unsuspend_form=form, status=400)
    try:
        certificate_unsuspend(certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"])
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            gettext("The suspension of certificate %(code)s is lifted.") % {"code": certificate.display_code},
        )
    return redirect("certificates_admin_detail", pk=certificate.pk)
