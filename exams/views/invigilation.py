"""Invigilation: trainers and examiners watch the sittings they are assigned to."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_invigilator

from .. import errors, selectors, services
from ..models import Attempt, Registration
from ..services.attempts import VOID_REASON_MAX_LENGTH


class VoidForm(forms.Form):
    """Voiding is confirmed on a page of its own, with the reason the candidate will read."""

    reason = forms.CharField(
        label=gettext_lazy("Reason (the candidate reads it on their result page and in an e-mail)"),
        max_length=VOID_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Give the reason for voiding this attempt."),
            "max_length": gettext_lazy("The reason can be at most %(limit_value)d characters long."),
        },
    )
    confirmed = forms.BooleanField(
        label=gettext_lazy("I confirm that this attempt is void: it gets no result and no certificate."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


def _require_invigilator(request):
    if not is_invigilator(request.user):
        raise PermissionDenied


@login_required
def sitting_list(request):
    _require_invigilator(request)
    return render(
        request,
        "exams/invigilation_list.html",
        {"sittings": selectors.sittings_invigilated_by(user=request.user)},
    )


def _sitting(request, sitting_id):
    _require_invigilator(request)
    sitting = selectors.sitting_for_invigilator(sitting_id=sitting_id, user=request.user)
    if sitting is None:
        raise Http404
    return sitting


@never_cache
@login_required
def monitor(request, sitting_id):
    sitting = _sitting(request, sitting_id)
    now = timezone.now()
    rows = selectors.sitting_monitor_rows(sitting=sitting, now=now)
    template = (
        "exams/includes/monitor_rows.html"
        if request.GET.get("partial")
        else "exams/invigilation_monitor.html"
    )
    return render(request, template, {"sitting": sitting, "rows": rows, "now": now})


def _attempt(sitting, attempt_id):
    try:
        attempt_id = int(attempt_id)
    except (TypeError, ValueError):
        raise Http404 from None
    attempt = (
        Attempt.objects.select_related("user", "certification")
        .filter(pk=attempt_id, registration__sitting=sitting)
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def _minutes(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def action(request, sitting_id):
    sitting = _sitting(request, sitting_id)
    kind = request.POST.get("action")
    reason = request.POST.get("reason", "")
    now = timezone.now()
    try:
        if kind == "extend_all":
            n = services.sitting_extend_all(
                sitting=sitting,
                minutes=_minutes(request.POST.get("minutes")),
                reason=reason,
                actor=request.user,
            )
            messages.success(request, _("Extended %(count)d attempt(s) in progress.") % {"count": n})
        elif kind == "extend":
            attempt = _attempt(sitting, request.POST.get("attempt"))
            services.attempt_extend(
                attempt=attempt,
                minutes=_minutes(request.POST.get("minutes")),
                reason=reason,
                actor=request.user,
            )
            messages.success(
                request, _("Extended the attempt of %(name)s.") % {"name": attempt.user.printed_name}
            )
        elif kind == "void":
            # Voiding is never done from a button in the table: it is confirmed on its own page.
            attempt = _attempt(sitting, request.POST.get("attempt"))
            return redirect("invigilation_void", sitting_id=sitting.pk, attempt_id=attempt.pk)
        elif kind == "unlock":
            registration = Registration.objects.filter(
                pk=request.POST.get("registration"), sitting=sitting
            ).first()
            if registration is None:
                raise Http404
            services.registration_unlock(registration=registration, actor=request.user)
            messages.success(
                request,
                _("Unlocked the registration of %(name)s.") % {"name": registration.user.printed_name},
            )
        elif kind == "open":
            services.sitting_open(sitting=sitting, actor=request.user, now=now)
            messages.success(request, _("The sitting is open."))
        elif kind == "close":
            services.sitting_close(sitting=sitting, actor=request.user, now=now)
            messages.success(request, _("The sitting is closed to new starts."))
        else:
            messages.error(request, _("Unknown action."))
    except errors.ExamError as exc:
        messages.error(request, exc.detail)
    return redirect("invigilation_monitor", sitting_id=sitting.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def void(request, sitting_id, attempt_id):
    """GET shows what voiding means and asks for the reason; only a POST with the reason and the
    confirmation voids (the service checks the rules again: not one's own attempt, not twice)."""
    sitting = _sitting(request, sitting_id)
    attempt = _attempt(sitting, attempt_id)
    status = 200
    if attempt.state == Attempt.State.VOIDED:
        messages.info(request, _("This attempt is already voided."))
        return redirect("invigilation_monitor", sitting_id=sitting.pk)
    if request.method == "POST":
        form = VoidForm(request.POST)
        if form.is_valid():
            try:
                services.attempt_void(
                    attempt=attempt,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                )
            except errors.ExamError as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(
                    request,
                    _("Voided the attempt of %(name)s; they are told who voided it and why.")
                    % {"name": attempt.user.printed_name},
                )
                return redirect("invigilation_monitor", sitting_id=sitting.pk)
        status = 400
    else:
        form = VoidForm()
    return render(
        request,
        "exams/invigilation_void.html",
        {"sitting": sitting, "attempt": attempt, "form": form, "max_length": VOID_REASON_MAX_LENGTH},
        status=status,
    )
