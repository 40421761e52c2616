"""Invigilation: trainers and examiners watch the sittings they are assigned to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.roles import is_invigilator

from .. import errors, selectors, services
from ..models import Attempt, Registration


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
            messages.success(request, f"Extended {n} attempt(s) in progress.")
        elif kind in ("extend", "void"):
            attempt = Attempt.objects.filter(
                pk=request.POST.get("attempt"), registration__sitting=sitting
            ).first()
            if attempt is None:
                raise Http404
            if kind == "extend":
                services.attempt_extend(
                    attempt=attempt,
                    minutes=_minutes(request.POST.get("minutes")),
                    reason=reason,
                    actor=request.user,
                )
                messages.success(request, f"Extended the attempt of {attempt.user.printed_name}.")
            else:
                services.attempt_void(attempt=attempt, actor=request.user, reason=reason, now=now)
                messages.success(request, f"Voided the attempt of {attempt.user.printed_name}.")
        elif kind == "unlock":
            registration = Registration.objects.filter(
                pk=request.POST.get("registration"), sitting=sitting
            ).first()
            if registration is None:
                raise Http404
            services.registration_unlock(registration=registration, actor=request.user)
            messages.success(request, f"Unlocked the registration of {registration.user.printed_name}.")
        elif kind == "open":
            services.sitting_open(sitting=sitting, actor=request.user, now=now)
            messages.success(request, "The sitting is open.")
        elif kind == "close":
            services.sitting_close(sitting=sitting, actor=request.user, now=now)
            messages.success(request, "The sitting is closed to new starts.")
        else:
            messages.error(request, "Unknown action.")
    except errors.ExamError as exc:
        messages.error(request, exc.detail)
    return redirect("invigilation_monitor", sitting_id=sitting.pk)
