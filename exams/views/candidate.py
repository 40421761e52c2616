"""Candidate pages. They work without JavaScript (one form post per question);
static/js/exam.js enhances the same page with instant saves and an offline queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.ratelimits import request_limited, request_over_limit

from .. import errors, selectors, services
from ..clock import clock_path
from ..models import Attempt, Certification, Registration, Sitting


def _no_store(response):
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private"
    return response


@login_required
def my_exams(request):
    registrations = list(selectors.registrations_for_user(user=request.user))
    held = selectors.certifications_held(user=request.user)
    for r in registrations:
        r.left = selectors.attempts_left(r)
        r.sitting_title = selectors.sitting_title(r.sitting)
        r.held = r.sitting.certification_id in held
    attempts = selectors.attempts_in_words(user=request.user)
    certifications = list(selectors.certifications_list())
    for c in certifications:
        if c.is_exam:
            c.practice_languages = selectors.languages_offered(c, "practice")
            c.practice_language = selectors.language_default(user=request.user, offered=c.practice_languages)
    return render(
        request,
        "exams/my_exams.html",
        {"registrations": registrations, "attempts": attempts, "certifications": certifications},
    )


@login_required
@require_POST
def voucher_redeem(request):
    if request_limited(request, "voucher-redeem:user", user=True) or request_limited(
        request, "voucher-redeem:ip"
    ):
        messages.error(request, errors.TooManyRequests().detail)
        return redirect("my_exams")
    try:
        registration = services.voucher_redeem(
            code=request.POST.get("code", ""), user=request.user, now=timezone.now()
        )
    except errors.ExamError as exc:
        messages.error(request, exc.detail)
        return redirect("my_exams")
    messages.success(
        request,
        gettext("Voucher redeemed: you can now sit %(name)s.")
        % {"name": registration.sitting.certification.name},
    )
    return redirect("exam_lobby", sitting_id=registration.sitting_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def lobby(request, sitting_id):
    sitting = get_object_or_404(Sitting.objects.select_related("certification"), pk=sitting_id)
    registration = Registration.objects.filter(sitting=sitting, user=request.user).first()
    if registration is None:
        raise Http404
    error = None
    languages = selectors.languages_offered(sitting.certification, "exam")
    language = selectors.language_default(user=request.user, offered=languages)
    if request.method == "POST":
        language = request.POST.get("language") or "en"
        if request.POST.get("declaration") != "accepted":
            error = gettext("Please confirm the exam rules before you start.")
        elif sitting.access_code and request_over_limit(request, "access-code:ip"):
            error = errors.TooManyRequests().detail
        else:
            try:
                attempt, _ = services.attempt_begin(
                    sitting=sitting,
                    user=request.user,
                    now=timezone.now(),
                    access_code=request.POST.get("access_code"),
                    language=language,
                )
                return redirect("exam_take", attempt_id=attempt.pk)
            except errors.ExamError as exc:
                if isinstance(exc, errors.WrongAccessCode):
                    request_limited(request, "access-code:ip")
                error = exc.detail
    in_progress = registration.attempts.filter(state=Attempt.State.IN_PROGRESS).first()
    context = {
        "sitting": sitting,
        "certification": sitting.certification,
        "registration": registration,
        "attempts_left": selectors.attempts_left(registration),
        "in_progress": in_progress,
        "error": error,
        "languages": languages,
        "language": language,
    }
    return _no_store(render(request, "exams/lobby.html", context, status=400 if error else 200))


@login_required
@require_POST
def practice_begin(request, code):
    certification = get_object_or_404(Certification, code=code, earned_by=Certification.EarnedBy.EXAM)
    if request_limited(request, "practice-start:user", user=True):
        messages.error(request, errors.TooManyRequests().detail)
        return redirect("my_exams")
    try:
        attempt = services.practice_attempt_begin(
            user=request.user,
            certification=certification,
            now=timezone.now(),
            language=request.POST.get("language") or "en",
        )
    except errors.ExamError as exc:
        messages.error(request, exc.detail)
        return redirect("my_exams")
    return redirect("exam_take", attempt_id=attempt.pk)


def _own(request, attempt_id):
    attempt = selectors.attempt_for_user(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        raise Http404
    return services.attempts.attempt_close_if_overdue(attempt=attempt, now=timezone.now())


def _position(raw, count):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(value, 1), count)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def take(request, attempt_id):
    attempt = _own(request, attempt_id)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("exam_result", attempt_id=attempt.pk)
    questions = selectors.attempt_items_for_candidate(attempt)
    count = len(questions)
    if request.method == "POST":
        position = _position(request.POST.get("position"), count)
        key = request.POST.get(f"answer-{position}") or None
        flagged = request.POST.get(f"flagged-{position}") == "on"
        seq = int(timezone.now().timestamp() * 1000)  # the page's script uses the same clock-based sequence
        try:
            services.answer_save(
                attempt=attempt, position=position, key=key, seq=seq, flagged=flagged, now=timezone.now()
            )
        except errors.AttemptClosed:
            messages.error(request, gettext("Time is up: your saved answers have been submitted."))
            return redirect("exam_result", attempt_id=attempt.pk)
        except errors.InvalidAnswer as exc:
            messages.error(request, exc.detail)
            return redirect(f"{request.path}?q={position}")
        go = request.POST.get("go", "next")
        if go in ("show-en", "show-own"):  # the display switch, for pages without the script
            show = "en" if go == "show-en" else attempt.language
            try:
                services.attempt_display_language_record(
                    attempt=attempt, position=position, language=show, now=timezone.now()
                )
            except errors.ExamError as exc:
                messages.error(request, exc.detail)
                return redirect(f"{request.path}?q={position}")
            suffix = "&show=en" if show == "en" else ""
            return redirect(f"{request.path}?q={position}{suffix}")
        if go == "review":
            return redirect("exam_submit", attempt_id=attempt.pk)
        target = {"prev": position - 1, "next": position + 1}.get(go, position)
        return redirect(f"{request.path}?q={_position(target, count)}")
    position = _position(request.GET.get("q"), count)
    switch = selectors.english_switch_allowed(attempt)
    if switch and request.GET.get("show") == "en":
        questions[position - 1] = selectors.attempt_item_in_english(attempt, position)
    context = {
        "attempt": attempt,
        "english_switch": switch,
        "attempt_language_name": selectors.language_names().get(attempt.language, attempt.language),
        "questions": questions,
        "question": questions[position - 1],
        "position": position,
        "count": count,
        "server_now": timezone.now(),
        "clock_url": clock_path(attempt.id),
        "answered": sum(1 for q in questions if q["answer"]),
    }
    return _no_store(render(request, "exams/take.html", context))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def submit(request, attempt_id):
    attempt = _own(request, attempt_id)
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            services.attempt_submit(attempt=attempt, now=timezone.now(), actor=request.user)
            return redirect("exam_result", attempt_id=attempt.pk)
        return redirect("exam_take", attempt_id=attempt.pk)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("exam_result", attempt_id=attempt.pk)
    questions = selectors.attempt_items_for_candidate(attempt)
    context = {
        "attempt": attempt,
        "questions": questions,
        "unanswered": [q["position"] for q in questions if not q["answer"]],
        "flagged": [q["position"] for q in questions if q["flagged"]],
        "server_now": timezone.now(),
    }
    return _no_store(render(request, "exams/submit.html", context))


@never_cache
@login_required
def result(request, attempt_id):
    attempt = _own(request, attempt_id)
    if attempt.state == Attempt.State.IN_PROGRESS:
        return redirect("exam_take", attempt_id=attempt.pk)
    return _no_store(
        render(
            request,
            "exams/result.html",
            {
                "attempt": attempt,
                "result": selectors.attempt_result(attempt),
                "void": selectors.attempt_void_record(attempt=attempt),
            },
        )
    )
