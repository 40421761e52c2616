"""The ATO admin's voucher pool: hand a voucher to a person by e-mail address,
see who received and who redeemed which, revoke an unredeemed assignment, and
ask the certification body for more. Admins of the organisation only (anyone
else: 404); every change is a POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import errors, selectors, services
from ..forms import VoucherAssignForm, VoucherRequestForm
from ..models import VoucherAssignment
from .dashboard import admined_organisation


def _page(request, organisation, *, assign_form=None, request_form=None):
    return render(
        request,
        "trainers/dashboard/vouchers.html",
        {
            "organisation": organisation,
            "pool": selectors.organisation_voucher_pool(organisation),
            "assignments": selectors.organisation_voucher_assignments(organisation),
            "available_vouchers": list(selectors.organisation_vouchers_available(organisation)[:200]),
            "requests": selectors.organisation_voucher_requests(organisation)[:50],
            "assign_form": assign_form
            or VoucherAssignForm(certifications=selectors.organisation_pool_certifications(organisation)),
            "request_form": request_form
            or VoucherRequestForm(
                certifications=selectors.organisation_accredited_certifications(organisation)
            ),
        },
    )


def _back(organisation, anchor=""):
    return redirect(reverse("trainers:organisation_vouchers", args=[organisation.slug]) + anchor)


@login_required
def organisation_vouchers(request, slug):
    return _page(request, admined_organisation(request, slug))


@login_required
@require_POST
def voucher_assign(request, slug):
    """The same answer whether or not an account uses the address."""
    organisation = admined_organisation(request, slug)
    form = VoucherAssignForm(
        request.POST, certifications=selectors.organisation_pool_certifications(organisation)
    )
    if form.is_valid():
        try:
            assignment = services.organisation_voucher_assign(
                organisation=organisation,
                certification=form.cleaned_data["certification"],
                email=form.cleaned_data["email"],
                actor=request.user,
            )
        except errors.TrainersError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("A voucher code was e-mailed to %(email)s.") % {"email": assignment.email}
            )
            return _back(organisation, "#h-assignments")
    return _page(request, organisation, assign_form=form)


@login_required
@require_POST
def voucher_revoke(request, slug, assignment_id):
    organisation = admined_organisation(request, slug)
    assignment = get_object_or_404(
        VoucherAssignment.objects.select_related("pool_voucher__voucher"),
        pk=assignment_id,
        pool_voucher__organisation=organisation,
    )
    try:
        services.organisation_voucher_revoke(assignment=assignment, actor=request.user)
        messages.success(
            request,
            _("The voucher of %(email)s is revoked: its code no longer works and it is back in the pool.")
            % {"email": assignment.email},
        )
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return _back(organisation, "#h-assignments")


@login_required
@require_POST
def voucher_request(request, slug):
    organisation = admined_organisation(request, slug)
    form = VoucherRequestForm(
        request.POST, certifications=selectors.organisation_accredited_certifications(organisation)
    )
    if form.is_valid():
        try:
            services.voucher_request_create(
                organisation=organisation,
                certification=form.cleaned_data["certification"],
                count=form.cleaned_data["count"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except errors.TrainersError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Your request was sent to the certification body."))
            return _back(organisation, "#h-requests")
    return _page(request, organisation, request_form=form)
