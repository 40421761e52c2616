"""The participants' short survey after a completed session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import errors, services
from ..forms import FeedbackForm
from ..models import Participant


@login_required
def feedback(request, session_id):
    participant = (
        Participant.objects.select_related("session__organisation", "session__certification")
        .filter(session_id=session_id, user=request.user, status=Participant.Status.ENROLLED)
        .first()
    )
    if participant is None or participant.session.status != "completed":
        raise Http404
    already = hasattr(participant, "feedback")
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and not already and form.is_valid():
        try:
            services.feedback_submit(participant=participant, user=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you for your feedback."))
            return redirect(participant.session.get_absolute_url())
        except errors.TrainersError as exc:
            form.add_error(None, exc.detail)
    return render(
        request,
        "trainers/feedback.html",
        {"session": participant.session, "form": form, "already": already},
    )
