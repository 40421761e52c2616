"""Examiner screens in the Wagtail admin: accreditation applications and
decisions, voucher allocation, programme statistics. Thin callers of services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_examiner

from . import charts, errors, selectors, services
from .admin_forms import (
    AccreditationApplyForm,
    AccreditationDecideForm,
    VoucherAllocateForm,
    VoucherRequestDeclineForm,
)
from .models import Accreditation, VoucherRequest


def _examiner(request):
    if not is_examiner(request.user):
        raise PermissionDenied


def accreditation_apply(request):
    _examiner(request)
    form = AccreditationApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            acc = services.accreditation_apply(
                certification=d["certification"],
                organisation=d["organisation"],
                trainer=d["trainer"],
                actor=request.user,
                notes=d["notes"],
            )
            messages.success(request, _("Application recorded: %(accreditation)s.") % {"accreditation": acc})
            return redirect("trainers_accreditation_decide", pk=acc.pk)
        except errors.TrainersError as exc:
            form.add_error(None, exc.detail)
    return TemplateResponse(request, "trainers/admin/accreditation_apply.html", {"form": form})


def accreditation_decide(request, pk):
    _examiner(request)
    accreditation = get_object_or_404(
        Accreditation.objects.select_related("organisation", "trainer", "certification"), pk=pk
    )
    form = AccreditationDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["action"] in ("accredit", "refuse"):
                services.accreditation_decide(
                    accreditation=accreditation,
                    actor=request.user,
                    accredit=d["action"] == "accredit",
                    notes=d["notes"],
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
                )
            elif d["action"] == "suspend":
                services.accreditation_suspend(
                    accreditation=accreditation, actor=request.user, notes=d["notes"]
                )
            else:
                services.accreditation_withdraw(
                    accreditation=accreditation, actor=request.user, notes=d["notes"]
                )
            messages.success(request, _("Decision recorded."))
            return redirect("trainers_accreditation_decide", pk=accreditation.pk)
        except errors.TrainersError as exc:
            form.add_error(None, exc.detail)
    return TemplateResponse(
        request,
        "trainers/admin/accreditation_decide.html",
        {
            "accreditation": accreditation,
            "heading": str(accreditation),
            "history": accreditation.decisions.select_related("decided_by"),
            "form": form,
        },
    )


def vouchers_allocate(request):
    """Allocate vouchers to an organisation, on the examiner's own or for an ATO admin's open
    request (listed here; "Allocate" fills the form with it)."""
    _examiner(request)
    initial = {}
    asked = request.GET.get("request", "")
    answering = (
        VoucherRequest.objects.filter(pk=int(asked), status=VoucherRequest.Status.OPEN).first()
        if asked.isdigit()
        else None
    )
    if answering is not None:
        initial = VoucherAllocateForm.initial_for(answering)
    form = VoucherAllocateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            vouchers = services.organisation_vouchers_allocate(
                organisation=d["organisation"],
                certification=d["certification"],
                count=d["count"],
                valid_until=d["valid_until"],
                actor=request.user,
                request=d["request"],
            )
        except errors.TrainersError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(
                request,
                _("%(count)s voucher(s) allocated to %(organisation)s.")
                % {"count": len(vouchers), "organisation": d["organisation"]},
            )
            return redirect("trainers_vouchers_allocate")
    return TemplateResponse(
        request,
        "trainers/admin/vouchers_allocate.html",
        {
            "form": form,
            "answering": answering,
            "requests": selectors.voucher_requests_open(),
            "decline_form": VoucherRequestDeclineForm(),
        },
    )


@require_POST
def voucher_request_decline(request, pk):
    _examiner(request)
    voucher_request = get_object_or_404(VoucherRequest, pk=pk)
    form = VoucherRequestDeclineForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.voucher_request_decline(request=voucher_request, actor=request.user, note=note)
        messages.success(
            request,
            _("Request of %(organisation)s declined.") % {"organisation": voucher_request.organisation},
        )
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect("trainers_vouchers_allocate")


def programme_statistics(request):
    _examiner(request)
    stats = selectors.programme_statistics()
    return TemplateResponse(
        request,
        "trainers/admin/programme_statistics.html",
        {
            "stats": stats,
            "certificates_chart": charts.bar_chart(
                [(f"{r['year']} {r['certification__code']}", r["n"]) for r in stats["certificates"]]
            ),
            "modes_chart": charts.bar_chart(stats["sessions_by_mode"]),
            "pass_chart": charts.bar_chart(
                [(r["code"], r["rate"]) for r in stats["pass_rates"]], maximum=100, unit=" %"
            ),
        },
    )
