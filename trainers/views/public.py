"""Public pages: the directory of organisations and trainers, the course
calendar, session pages, the page a session invitation links to, and the
iCalendar feeds. A suspended or withdrawn party keeps its page, shown as such."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import errors, ics, selectors, services
from ..models import SessionInvitation, TrainingSession


def _filters(request, names):
    return {name: (request.GET.get(name) or "").strip()[:20] for name in names}


def organisation_list(request):
    filters = _filters(request, ("country", "certification"))
    return render(
        request,
        "trainers/organisation_list.html",
        {
            "organisations": selectors.organisations_directory(**filters),
            "filters": filters,
            "choices": selectors.filter_choices(),
        },
    )


def organisation_detail(request, slug):
    organisation = selectors.organisation_public(slug=slug)
    if organisation is None:
        raise Http404
    context = selectors.organisation_public_context(organisation=organisation)
    return render(request, "trainers/organisation_detail.html", context)


def trainer_list(request):
    filters = _filters(request, ("country", "language", "certification"))
    return render(
        request,
        "trainers/trainer_list.html",
        {
            "trainers": selectors.trainers_directory(**filters),
            "filters": filters,
            "choices": selectors.filter_choices(),
        },
    )


def trainer_detail(request, slug):
    trainer = selectors.trainer_public(slug=slug)
    if trainer is None:
        raise Http404
    return render(request, "trainers/trainer_detail.html", selectors.trainer_public_context(trainer=trainer))


def session_list(request):
    filters = _filters(request, ("certification", "country", "language", "mode"))
    return render(
        request,
        "trainers/session_list.html",
        {
            "sessions": selectors.sessions_calendar(**filters),
            "filters": filters,
            "choices": selectors.filter_choices(),
        },
    )


def _public_session(session_id):
    session = selectors.session_public(session_id=session_id)
    if session is None:
        raise Http404
    return session


def session_detail(request, session_id):
    session = _public_session(session_id)
    participant = selectors.participant_of(user=request.user, session=session)
    return render(
        request,
        "trainers/session_detail.html",
        {
            "session": session,
            "seats_left": selectors.seats_left(session),
            "participant": participant,
            "show_link": selectors.can_see_meeting_link(user=request.user, session=session),
            "can_manage": selectors.session_for_manager(user=request.user, session_id=session.pk) is not None,
            "can_request": session.status == TrainingSession.Status.PUBLISHED
            and (participant is None or participant.status == "cancelled"),
        },
    )


@require_POST
def session_request(request, session_id):
    session = _public_session(session_id)
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={session.get_absolute_url()}")
    try:
        services.participant_request(session=session, user=request.user)
        messages.success(request, _("Your request for a seat was sent to the trainer."))
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect(session.get_absolute_url())


@require_POST
def session_withdraw(request, session_id):
    session = _public_session(session_id)
    participant = selectors.participant_of(user=request.user, session=session)
    if participant is None:
        raise Http404
    try:
        services.participant_cancel(participant=participant, actor=request.user)
        messages.success(request, _("Your place was cancelled."))
    except errors.TrainersError as exc:
        messages.error(request, exc.detail)
    return redirect(session.get_absolute_url())


@require_http_methods(["GET", "HEAD", "POST"])
def session_invitation(request, token):
    """The page an invitation e-mail links to: signed out, the way to sign in or sign up (and back);
    signed in with the invited address verified, accept or decline the seat."""
    invitation = selectors.session_invitation_by_token(token)
    if invitation is None:
        raise Http404
    here = invitation.get_absolute_url()
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('account_login')}?{urlencode({'next': here})}")
        request.session[SessionInvitation.REMEMBERED_KEY] = token
    elif request.method == "POST":
        try:
            if request.POST.get("action") == "decline":
                services.session_invitation_decline(invitation=invitation, user=request.user)
                messages.success(request, _("You declined the invitation."))
            else:
                participant = services.session_invitation_accept(token=token, user=request.user)
                messages.success(
                    request,
                    _("You have a seat in this session.")
                    if participant.status == "enrolled"
                    else _("The session is full: you are number %(position)s on the waiting list.")
                    % {"position": participant.position},
                )
            request.session.pop(SessionInvitation.REMEMBERED_KEY, None)
            return redirect(invitation.session.get_absolute_url())
        except errors.TrainersError as exc:
            messages.error(request, exc.detail)
            return redirect(here)
    return render(
        request,
        "trainers/session_invitation.html",
        {
            "invitation": invitation,
            "session": invitation.session,
            "addressed": selectors.invitation_addressed_to(invitation=invitation, user=request.user),
            "expired": invitation.is_expired(),
            "next_query": urlencode({"next": here}),
        },
    )


def _ics_response(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def session_ics(request, session_id):
    session = _public_session(session_id)
    text = ics.calendar(
        [session],
        name=session.title,
        show_link_for=lambda s: selectors.can_see_meeting_link(user=request.user, session=s),
    )
    return _ics_response(text, f"session-{session.pk}.ics")


def trainer_ics(request, slug):
    trainer = selectors.trainer_public(slug=slug)
    if trainer is None:
        raise Http404
    return _ics_response(
        ics.calendar(
            selectors.sessions_for_trainer_feed(trainer),
            name=_("Sessions of %(name)s") % {"name": trainer.display_name},
        ),
        f"{trainer.slug}.ics",
    )


def organisation_ics(request, slug):
    organisation = selectors.organisation_public(slug=slug)
    if organisation is None:
        raise Http404
    return _ics_response(
        ics.calendar(
            selectors.sessions_for_organisation_feed(organisation),
            name=_("Sessions of %(name)s") % {"name": organisation.name},
        ),
        f"{organisation.slug}.ics",
    )
