"""The learner's actions on course and lesson pages: enrol, mark a lesson complete, answer a
knowledge check. POST only (CSRF checked by the middleware); anonymous visitors are sent to sign in
and come back to the page they were on. The rules are in courses.services."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import errors, services
from ..caching import cache_for_visitor
from ..knowledge_checks import answers_parse, knowledge_check_blocks
from ..models import CoursePage, LessonPage


def _back(request, page):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return page.url


@require_POST
def course_enrol(request, course_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    _enrolment, created = services.enrolment_create(user=request.user, course=course)
    if created:
        messages.success(request, _("You are enrolled in %(course)s.") % {"course": course.title})
    return redirect(_back(request, course))


@require_POST
def course_withdraw(request, course_id):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    if services.enrolment_withdraw(user=request.user, course=course):
        messages.success(
            request,
            _("You have left %(course)s. Your completed lessons are kept.") % {"course": course.title},
        )
    return redirect(course.url)


@require_POST
def lesson_complete(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.url)
    try:
        services.lesson_mark_complete(user=request.user, lesson=lesson)
    except errors.LearningError as exc:
        messages.error(request, exc.detail)
        return redirect(lesson.url)
    # The lesson page says "Lesson complete" with the next step; no second message repeats it.
    return redirect(f"{lesson.url}#done-h")


@require_POST
def knowledge_check_answer(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.url)
    block_id = request.POST.get("block", "")
    try:
        attempt, _completion = services.knowledge_check_submit(
            user=request.user, lesson=lesson, block_id=block_id, data=request.POST
        )
    except errors.NotEnrolled as exc:
        messages.error(request, exc.detail)
        return redirect(lesson.url)
    except errors.LearningError as exc:
        return _show_refused(request, lesson, block_id, exc)
    # The verdict is stated once, by the knowledge check itself (its latest attempt), not again
    # in a message above the page.
    return redirect(f"{lesson.url}#kc-{attempt.block_id}")


def _show_refused(request, lesson, block_id, exc):
    """The lesson page again, with the answers as sent and the problem stated; nothing was saved."""
    answers = None
    questions = dict(knowledge_check_blocks(lesson)).get(block_id)
    if questions is not None and isinstance(exc, errors.IncompleteAnswers):
        answers, _ = answers_parse(questions=questions, block_id=block_id, data=request.POST)
    posted = {
        "block_id": block_id,
        "answers": answers,
        "field_errors": exc.field_errors,
        "detail": exc.detail,
    }
    response = TemplateResponse(
        request,
        lesson.get_template(request),
        lesson.get_context(request, posted=posted),
        status=400,
    )
    return cache_for_visitor(request, response, content_language=lesson.locale.language_code)
