"""What the exam result page offers a candidate who did not pass: the course to revise, the
lessons of their weakest topics, and upcoming training sessions to book (courses.hooks).
Registered with exams.hooks.register_result_next_steps."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.timezones import day_format
from exams.selectors import weakest_topics

from . import hooks
from .locales import active_language, page_localized, pages_localized, source_language
from .models import CoursePage, LessonPage


def _topic_lessons(course, topics, limit=4):
    """Lessons of the course that name a weak topic (by its code in the slug, or its name in the title)."""
    lessons = list(LessonPage.objects.live().descendant_of(course).specific().order_by("path"))
    picked = []
    for topic in topics:
        code = topic.get("code", "").lower()
        name = topic["topic"].lower()
        for lesson in lessons:
            if lesson in picked:
                continue
            if (code and f"-{code}-" in f"-{lesson.slug}-") or name in lesson.title.lower():
                picked.append(lesson)
    return picked[:limit]


def result_study_steps(attempt):
    if attempt.passed:
        return []
    steps = []
    course = (
        CoursePage.objects.live()
        .filter(certification=attempt.certification, locale__language_code=source_language())
        .first()
    )
    if course is not None:
        # Matched on the English course, shown in the reader's language where translated.
        lessons = pages_localized(_topic_lessons(course, weakest_topics(attempt)), active_language())
        course = page_localized(course)
        links = [(_("Revise: %(lesson)s") % {"lesson": lesson.title}, lesson.url) for lesson in lessons]
        links.append((_("The %(course)s course") % {"course": course.title}, course.url))
        steps.append(
            {
                "heading": _("Revise the weakest topics"),
                "text": _("The lessons below cover the topics where you lost the most points."),
                "links": links,
            }
        )
    sessions = hooks.upcoming_sessions(attempt.certification, limit=3)
    links = [
        (f"{s.title} ({day_format(s.starts_at, zone=s.time_zone)})", s.get_absolute_url()) for s in sessions
    ]
    links.append((_("Practice exams and voucher redemption"), reverse("my_exams")))
    steps.append(
        {
            "heading": _("Book your next attempt"),
            "text": _("Join a training session with an exam sitting, or redeem an exam voucher."),
            "links": links,
        }
    )
    return steps
