"""Dashboards: a trainer's sessions, results and feedback; an ATO admin's
organisation (trainers and their accreditation expiry, invitations, sessions,
voucher pool, pass rates per accredited certification). Results are scores
only, never answers or keys."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_ato_admin

from .. import errors, selectors, services
from ..forms import TrainerInviteForm
from ..models import TrainerInvitation
from .manage import require_training_role


@login_required
def home(request):
    require_training_role(request)
    sessions = list(selectors.sessions_visible_to(request.user).order_by("starts_at"))
    now = timezone.now()
    taught = [s for s in sessions if s.session_trainers.filter(trainer__user=request.user).exists()]
    return render(
        request,
        "trainers/dashboard/home.html",
        {
            "running": [
                s for s in sessions if s.starts_at <= now <= s.ends_at and s.status in ("draft", "published")
            ],
            "upcoming": [s for s in sessions if s.starts_at > now and s.status in ("draft", "published")],
            "past": [s for s in sessions if s.ends_at < now or s.status in ("completed", "cancelled")],
            "results": selectors.results_summary(taught),
            "feedback": selectors.feedback_summary(taught),
            "organisations": selectors.organisations_admined_by(request.user),
            "teaching_for": selectors.organisations_of_trainer(request.user),
        },
    )


def admined_organisation(request, slug):
    require_training_role(request)
    if not is_ato_admin(request.user):
        raise Http404
    organisation = selectors.organisation_for_admin(user=request.user, slug=slug)
    if organisation is None:
        raise Http404
    return organisation


@login_required
def organisation_admin(request, slug):
    organisation = admined_organisation(request, slug)
    sessions = list(
        selectors.sessions_visible_to(request.user).filter(organisation=organisation).order_by("-starts_at")
    )
    return render(
        request,
        "trainers/dashboard/organisation.html",
        {
            "organisation": organisation,
            "trainers": selectors.organisation_trainer_rows(organisation),
            "invitations": organisation.invitations.filter(accepted_at__isnull=True).order_by("-created_at"),
            "invite_form": TrainerInviteForm(),
            "sessions": sessions,
            "vouchers": selectors.organisation_voucher_pool(organisation),
            "results": selectors.results_summary(sessions),
            "pass_rates": selectors.organisation_pass_rates(organisation, sessions),
            "feedback": selectors.feedback_summary(sessions),
            "accreditations": organisation.accreditations.select_related("certification"),
        },
    )


@login_required
@require_POST
def trainer_invite(request, slug):
    organisation = admined_organisation(request, slug)
    form = TrainerInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid e-mail address."))
    else:
        try:
            services.trainer_invitation_create(
                organisation=organisation, email=form.cleaned_data["email"], actor=request.user
            )
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
        except errors.TrainersError as exc:
            messages.error(request, exc.detail)
    return redirect("trainers:organisation_admin", organisation.slug)


@login_required
def invitation_accept(request, token):
    invitation = TrainerInvitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None or invitation.email.lower() != request.user.email.lower():
        raise Http404
    if request.method == "POST":
        try:
            services.trainer_invitation_accept(token=token, user=request.user)
            messages.success(
                request,
                _("You are now a trainer of %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("trainers:home")
        except errors.TrainersError as exc:
            messages.error(request, exc.detail)
    return render(request, "trainers/dashboard/invitation.html", {"invitation": invitation})
