"""Trainer and ATO-admin pages for sessions: create, edit, publish, cancel,
complete, participants (invite, CSV, accept, cancel, extra time), attendance
and the exam sitting. Anonymous → sign-in; no trainer/admin role → 403;
another organisation's session → 404 (the selectors decide what is visible)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import is_ato_admin, is_trainer

from .. import errors, selectors, services
from ..forms import CsvUploadForm, ExtraTimeForm, InviteForm, SessionForm
from ..models import Participant, TrainerProfile


def require_training_role(request):
    if not (is_trainer(request.user) or is_ato_admin(request.user)):
        raise PermissionDenied


def managed_session(request, session_id):
    require_training_role(request)
    session = selectors.session_for_manager(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return session


def _trainer_choices(organisations):
    return TrainerProfile.objects.filter(
        user__memberships__organisation__in=organisations, user__memberships__role="trainer"
    ).distinct()


@login_required
def session_new(request):
    require_training_role(request)
    organisations = selectors.organisations_for_session_create(request.user)
    form = SessionForm(
        request.POST or None, organisations=organisations, trainers=_trainer_choices(organisations)
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        organisation, certification, trainers = (
            d.pop("organisation"),
            d.pop("certification"),
            d.pop("trainers"),
        )
        if not d["title"]:
            d.pop("title")
        try:
            session = services.session_create(
                organisation=organisation,
                certification=certification,
                trainers=trainers,
                actor=request.user,
                **d,
            )
            messages.success(request, "Draft session created. Publish it when it is ready.")
            return redirect("trainers:manage_session", session.pk)
        except errors.TrainersError as exc:
            form.add_error(None, exc.detail)
    return render(request, "trainers/manage/session_form.html", {"form": form, "session": None})


@login_required
def session_edit(request, session_id):
    session = managed_session(request, session_id)
    organisations = [session.organisation]
    form = SessionForm(
        request.POST or None,
        organisations=selectors.organisations_for_session_create(request.user),
        trainers=_trainer_choices(organisations),
        editing=True,
        initial=SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        trainers = d.pop("trainers")
        if not d["title"]:
            d["title"] = session.title
        try:
            services.session_update(session=session, actor=request.user, trainers=trainers, **d)
            messages.success(request, "Session saved.")
            return redirect("trainers:manage_session", session.pk)
        except errors.TrainersError as exc:
            form.add_error(None, exc.detail)
    return render(request, "trainers/manage/session_form.html", {"form": form, "session": session})


@login_required
def session_manage(request, session_id):
    session = managed_session(request, session_id)
    participants = list(selectors.session_participants(session))
    days = session.days
    for p in participants:
        marks = {a.day: a.present for a in p.attendance.all()}
        p.marks = [(day, marks.get(day)) for day in days]
    return render(
        request,
        "trainers/manage/session.html",
        {
            "session": session,
            "participants": participants,
            "days": days,
            "seats_left": selectors.seats_left(session),
            "problems": services.publish_problems(session=session) if session.status == "draft" else [],
            "invite_form": InviteForm(),
            "csv_form": CsvUploadForm(),
            "extra_form": ExtraTimeForm(),
            "results": selectors.results_summary([session]),
            "feedback": selectors.feedback_summary([session]),
            "invigilate_url": reverse("invigilation_monitor", args=[session.sitting_id])
            if session.sitting_id
            else None,
            "csv_errors": request.session.pop(f"csv_errors_{session.pk}", None),
        },
    )


@login_required
@require_POST
def session_action(request, session_id):
    session = managed_session(request, session_id)
    kind = request.POST.get("action")
    try:
        if kind == "publish":
            services.session_publish(session=session, actor=request.user)
            messages.success(request, "The session is published in the course calendar.")
        elif kind == "cancel":
            services.session_cancel(
                session=session, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, "The session is cancelled; participants are told by e-mail.")
        elif kind == "complete":
            services.session_complete(session=session, actor=request.user)
            messages.success(request, "The session is completed; participants are asked for feedback.")
        elif kind == "open_sitting":
            sitting = services.session_sitting_open(session=session, actor=request.user)
            messages.success(request, "The exam sitting is open.")
            return redirect("invigilation_monitor", sitting_id=sitting.pk)
        else:
            messages.error(request, "Unknown action.")
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect("trainers:manage_session", session.pk)


@login_required
@require_POST
def participant_invite(request, session_id):
    session = managed_session(request, session_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a valid e-mail address.")
    else:
        try:
            p = services.participant_invite_by_email(
                session=session, email=form.cleaned_data["email"], actor=request.user
            )
            messages.success(request, f"{p.user.printed_name}: {p.get_status_display().lower()}.")
        except errors.TrainersError as exc:
            messages.error(request, exc.detail)
    return redirect("trainers:manage_session", session.pk)


@login_required
@require_POST
def participant_import(request, session_id):
    session = managed_session(request, session_id)
    form = CsvUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV file to upload.")
        return redirect("trainers:manage_session", session.pk)
    upload = form.cleaned_data["file"]
    if upload.size > 512 * 1024:
        messages.error(request, "The file is larger than 512 KB.")
        return redirect("trainers:manage_session", session.pk)
    try:
        imported = services.participants_csv_import(session=session, data=upload.read(), actor=request.user)
        messages.success(request, f"Imported {len(imported)} participant(s).")
    except errors.ImportRejected as exc:
        request.session[f"csv_errors_{session.pk}"] = exc.errors
        messages.error(
            request, "Nothing was imported: correct the lines listed below and upload the file again."
        )
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect("trainers:manage_session", session.pk)


@login_required
@require_POST
def participant_action(request, session_id, participant_id):
    session = managed_session(request, session_id)
    participant = (
        Participant.objects.filter(pk=participant_id, session=session).select_related("user").first()
    )
    if participant is None:
        raise Http404
    kind = request.POST.get("action")
    try:
        if kind == "accept":
            p = services.participant_accept(participant=participant, actor=request.user)
            messages.success(request, f"{p.user.printed_name}: {p.get_status_display().lower()}.")
        elif kind == "cancel":
            _, promoted = services.participant_cancel(participant=participant, actor=request.user)
            msg = f"Cancelled the place of {participant.user.printed_name}."
            if promoted:
                msg += f" {promoted.user.printed_name} moved up from the waiting list."
            messages.success(request, msg)
        elif kind == "extra_time":
            form = ExtraTimeForm(request.POST)
            if not form.is_valid():
                raise errors.InvalidTransition("Extra minutes 0–240 and a multiplier from 1 to 3, please.")
            services.participant_extra_time_set(
                participant=participant,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                extra_minutes=form.cleaned_data["extra_minutes"],
                multiplier=form.cleaned_data["time_multiplier"],
            )
            messages.success(request, f"Extra time recorded for {participant.user.printed_name}.")
        else:
            messages.error(request, "Unknown action.")
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect("trainers:manage_session", session.pk)


@login_required
@require_POST
def attendance(request, session_id):
    """One form per day: a checkbox per enrolled participant (checked = present)."""
    session = managed_session(request, session_id)
    from datetime import date

    try:
        day = date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        raise Http404 from None
    present = set(request.POST.getlist("present"))
    try:
        for participant in session.participants.filter(status=Participant.Status.ENROLLED):
            services.attendance_mark(
                participant=participant, day=day, present=str(participant.pk) in present, actor=request.user
            )
        messages.success(request, f"Attendance of {day:%d %B %Y} saved.")
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect(reverse("trainers:manage_session", args=[session.pk]) + "#attendance")
