"""Trainer and ATO-admin pages for sessions: create, edit, publish, cancel,
complete (each consequential step confirmed on its own page, no JavaScript
needed), participants (invitations by e-mail or CSV, accept or refuse a
request, cancel a place, extra time), attendance and the exam sitting.
Anonymous → sign-in; no trainer/admin role → 403; another organisation's
session, or one the trainer does not teach → 404 (the selectors decide what is
visible). Every change is a POST."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import is_ato_admin, is_trainer
from accounts.timezones import day_format, when_format

from .. import errors, selectors, services
from ..forms import CancelForm, CsvUploadForm, ExtraTimeForm, InviteForm, RefuseForm, SessionForm
from ..models import Participant, SessionInvitation

# Actions that change what learners see or get: each is confirmed on its own page first.
CONFIRMED_ACTIONS = ("publish", "complete", "cancel")


def require_training_role(request):
    if not (is_trainer(request.user) or is_ato_admin(request.user)):
        raise PermissionDenied


def managed_session(request, session_id):
    require_training_role(request)
    session = selectors.session_for_manager(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return session


def _warn_if_past(request, session):
    if selectors.session_in_the_past(session):
        messages.warning(
            request,
            _(
                "Warning: this session starts in the past (%(when)s, %(zone)s). "
                "Check the dates if that is not what you meant."
            )
            % {"when": when_format(session.starts_at, zone=session.time_zone), "zone": session.time_zone},
        )


@login_required
def session_new(request):
    require_training_role(request)
    organisations = selectors.organisations_for_session_create(request.user)
    form = SessionForm(
        request.POST or None,
        organisations=organisations,
        trainers=selectors.trainers_of_organisations(organisations),
        initial=SessionForm.defaults_for(user=request.user, organisations=organisations),
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
        except errors.TrainersError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Draft session created. Publish it when it is ready."))
            _warn_if_past(request, session)
            return redirect("trainers:manage_session", session.pk)
    return render(request, "trainers/manage/session_form.html", {"form": form, "session": None})


@login_required
def session_edit(request, session_id):
    session = managed_session(request, session_id)
    if not selectors.session_actions(session)["edit"]:
        messages.error(request, _("A cancelled or completed session cannot be edited."))
        return redirect("trainers:manage_session", session.pk)
    form = SessionForm(
        request.POST or None,
        organisations=selectors.organisations_for_session_create(request.user),
        trainers=selectors.trainers_of_organisations([session.organisation]),
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
        except errors.TrainersError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Session saved."))
            _warn_if_past(request, session)
            return redirect("trainers:manage_session", session.pk)
    return render(request, "trainers/manage/session_form.html", {"form": form, "session": session})


def _manage_page(request, session, *, invite_form=None, status=200):
    participants = list(selectors.session_participants(session))
    days = session.days
    for p in participants:
        marks = {a.day: a.present for a in p.attendance.all()}
        p.marks = [(day, marks.get(day)) for day in days]
    problems = services.publish_problems(session=session) if session.status == "draft" else []
    return render(
        request,
        "trainers/manage/session.html",
        {
            "session": session,
            "participants": participants,
            "invitations": selectors.session_invitations_pending(session),
            "days": days,
            "attendance_days": selectors.session_days_so_far(session),
            "seats_left": selectors.seats_left(session),
            "problems": problems,
            "can": selectors.session_actions(session, problems=problems),
            "invite_form": invite_form or InviteForm(),
            "csv_form": CsvUploadForm(),
            "extra_form": ExtraTimeForm(),
            "results": selectors.results_summary([session]),
            "feedback": selectors.feedback_summary([session]),
            "invigilate_url": reverse("invigilation_monitor", args=[session.sitting_id])
            if session.sitting_id
            else None,
            "csv_errors": request.session.pop(f"csv_errors_{session.pk}", None),
        },
        status=status,
    )


@login_required
def session_manage(request, session_id):
    return _manage_page(request, managed_session(request, session_id))


@login_required
@require_GET
def session_confirm(request, session_id, kind):
    """The confirmation step of publishing, completing or cancelling: a page of its own."""
    session = managed_session(request, session_id)
    if kind not in CONFIRMED_ACTIONS:
        raise Http404
    problems = services.publish_problems(session=session) if session.status == "draft" else []
    if not selectors.session_actions(session, problems=problems)[kind]:
        messages.error(request, " ".join(problems) or _("That is not possible for this session now."))
        return redirect("trainers:manage_session", session.pk)
    return render(
        request,
        "trainers/manage/session_confirm.html",
        {
            "session": session,
            "kind": kind,
            "counts": selectors.session_participant_counts(session),
            "pending_invitations": selectors.session_invitations_pending(session).count(),
            "cancel_form": CancelForm(),
            "in_the_past": selectors.session_in_the_past(session),
        },
    )


@login_required
@require_POST
def session_action(request, session_id):
    session = managed_session(request, session_id)
    kind = request.POST.get("action")
    if kind in CONFIRMED_ACTIONS and request.POST.get("confirmed") != "yes":
        return redirect("trainers:session_confirm", session.pk, kind)
    try:
        if kind == "publish":
            services.session_publish(session=session, actor=request.user)
            messages.success(request, _("The session is published in the course calendar."))
        elif kind == "cancel":
            form = CancelForm(request.POST)
            if not form.is_valid():
                raise errors.InvalidTransition(_("The reason can be at most 500 characters long."))
            services.session_cancel(session=session, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The session is cancelled; participants are told by e-mail."))
        elif kind == "complete":
            services.session_complete(session=session, actor=request.user)
            messages.success(request, _("The session is completed; participants are asked for feedback."))
        elif kind == "open_sitting":
            sitting = services.session_sitting_open(session=session, actor=request.user)
            messages.success(request, _("The exam sitting is open."))
            return redirect("invigilation_monitor", sitting_id=sitting.pk)
        else:
            messages.error(request, _("Unknown action."))
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect("trainers:manage_session", session.pk)


@login_required
@require_POST
def participant_invite(request, session_id):
    """Always an invitation and the same answer, whether or not an account uses the address."""
    session = managed_session(request, session_id)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.session_invitation_create(
                session=session, email=form.cleaned_data["email"], actor=request.user
            )
        except errors.TrainersError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The seat is theirs once they accept it.")
                % {"email": invitation.email},
            )
            return redirect(reverse("trainers:manage_session", args=[session.pk]) + "#h-participants")
    return _manage_page(request, session, invite_form=form)


@login_required
@require_POST
def participant_import(request, session_id):
    session = managed_session(request, session_id)
    form = CsvUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to upload."))
        return redirect("trainers:manage_session", session.pk)
    upload = form.cleaned_data["file"]
    if upload.size > 512 * 1024:
        messages.error(request, _("The file is larger than 512 KB."))
        return redirect("trainers:manage_session", session.pk)
    try:
        invitations = services.participants_csv_import(
            session=session, data=upload.read(), actor=request.user
        )
        messages.success(
            request,
            _("Sent %(count)s invitation(s). Each seat is taken once the person accepts it.")
            % {"count": len(invitations)},
        )
    except errors.ImportRejected as exc:
        request.session[f"csv_errors_{session.pk}"] = exc.errors
        messages.error(
            request, _("Nothing was imported: correct the lines listed below and upload the file again.")
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
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {"name": p.user.printed_name, "status": p.get_status_display().lower()},
            )
        elif kind == "refuse":
            form = RefuseForm(request.POST)
            if not form.is_valid():
                raise errors.InvalidTransition(_("The reason can be at most 500 characters long."))
            services.participant_refuse(
                participant=participant, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("Refused the request of %(name)s; they are told.")
                % {"name": participant.user.printed_name},
            )
        elif kind == "cancel":
            _participant, promoted = services.participant_cancel(participant=participant, actor=request.user)
            msg = _("Cancelled the place of %(name)s.") % {"name": participant.user.printed_name}
            if promoted:
                msg += " " + _("%(name)s moved up from the waiting list.") % {
                    "name": promoted.user.printed_name
                }
            messages.success(request, msg)
        elif kind == "extra_time":
            form = ExtraTimeForm(request.POST)
            if not form.is_valid():
                raise errors.InvalidTransition(_("Extra minutes 0–240 and a multiplier from 1 to 3, please."))
            services.participant_extra_time_set(
                participant=participant,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                extra_minutes=form.cleaned_data["extra_minutes"],
                multiplier=form.cleaned_data["time_multiplier"],
            )
            messages.success(
                request, _("Extra time recorded for %(name)s.") % {"name": participant.user.printed_name}
            )
        else:
            messages.error(request, _("Unknown action."))
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect("trainers:manage_session", session.pk)


@login_required
@require_POST
def invitation_action(request, session_id, invitation_id):
    """Send a pending invitation again, or withdraw it."""
    session = managed_session(request, session_id)
    invitation = SessionInvitation.objects.filter(pk=invitation_id, session=session).first()
    if invitation is None:
        raise Http404
    kind = request.POST.get("action")
    try:
        if kind == "resend":
            services.session_invitation_resend(invitation=invitation, actor=request.user)
            messages.success(request, _("Invitation sent to %(email)s again.") % {"email": invitation.email})
        elif kind == "withdraw":
            services.session_invitation_withdraw(invitation=invitation, actor=request.user)
            messages.success(
                request,
                _("Invitation of %(email)s withdrawn; its link no longer works.")
                % {"email": invitation.email},
            )
        else:
            messages.error(request, _("Unknown action."))
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect(reverse("trainers:manage_session", args=[session.pk]) + "#h-participants")


@login_required
@require_POST
def attendance(request, session_id):
    """One form per day: a checkbox per enrolled participant (checked = present)."""
    session = managed_session(request, session_id)
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
        messages.success(request, _("Attendance of %(day)s saved.") % {"day": day_format(day)})
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect(reverse("trainers:manage_session", args=[session.pk]) + "#attendance")
