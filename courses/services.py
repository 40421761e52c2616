"""Writes of the learning side: enrolment, lesson completion, knowledge-check attempts.
Every function takes keyword arguments only; views and commands call these and nothing else.

A learner may act on a course or lesson in any of its languages: the rows are written for the
original page of its translation group (courses.locales), so progress is kept across languages."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import audit_record

from . import errors
from .knowledge_checks import answers_grade, answers_parse, knowledge_check_blocks
from .locales import page_original
from .models import Enrolment, KnowledgeCheckAttempt, LessonCompletion, LessonPage
from .selectors import knowledge_check_origin_ids


def _course_of(lesson):
    return page_original(lesson.get_parent().get_parent().specific)


def _original_lesson(lesson):
    origin = page_original(lesson)
    return origin if origin.pk == lesson.pk else LessonPage.objects.get(pk=origin.pk)


@transaction.atomic
def enrolment_create(*, user, course, now=None):
    """Enrol user in course; enrolling again returns the existing enrolment. Returns (enrolment, created)."""
    course = page_original(course)
    enrolment, created = Enrolment.objects.get_or_create(
        user=user, course=course, defaults={"enrolled_at": now or timezone.now()}
    )
    if created:
        audit_record(action="course.enrolled", target=enrolment, actor=user, data={"course": course.pk})
    return enrolment, created


@transaction.atomic
def enrolment_withdraw(*, user, course):
    """Leave a course. Completed lessons are kept: enrolling again shows the same progress.
    Returns True when an enrolment was removed."""
    course = page_original(course)
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is None:
        return False
    audit_record(action="course.withdrawn", target=enrolment, actor=user, data={"course": course.pk})
    deleted, _per_model = Enrolment.objects.filter(pk=enrolment.pk).delete()
    return deleted == 1


def _require_enrolment(user, course):
    if not Enrolment.objects.filter(user=user, course=course).exists():
        raise errors.NotEnrolled()


def _complete(*, user, lesson, how, now):
    completion, created = LessonCompletion.objects.get_or_create(
        user=user, lesson=lesson, defaults={"how": how, "completed_at": now}
    )
    if created:
        audit_record(
            action="lesson.completed", target=completion, actor=user, data={"lesson": lesson.pk, "how": how}
        )
    return completion, created


@transaction.atomic
def lesson_mark_complete(*, user, lesson, now=None):
    """Mark a lesson without a knowledge check as complete (idempotent). Returns (completion, created).

    Lessons with a knowledge check are completed by passing it, not by a button."""
    _require_enrolment(user, _course_of(lesson))
    if knowledge_check_blocks(lesson):
        raise errors.CompletedByKnowledgeCheck()
    return _complete(
        user=user, lesson=_original_lesson(lesson), how=LessonCompletion.How.MARKED, now=now or timezone.now()
    )


@transaction.atomic
def knowledge_check_submit(*, user, lesson, block_id, data, now=None):
    """Grade one knowledge-check block of a lesson from submitted form data and record the attempt.

    The pass rule: every question answered correctly. When every knowledge check of the lesson has
    a passed attempt, the lesson is completed. Returns (attempt, completion or None). Raises
    NotEnrolled, UnknownKnowledgeCheck, TamperedAnswers or IncompleteAnswers and then records nothing."""
    now = now or timezone.now()
    _require_enrolment(user, _course_of(lesson))
    blocks = dict(knowledge_check_blocks(lesson))
    questions = blocks.get(str(block_id))
    if questions is None:
        raise errors.UnknownKnowledgeCheck()
    try:
        answers, missing = answers_parse(questions=questions, block_id=block_id, data=data)
    except ValueError as exc:
        raise errors.TamperedAnswers() from exc
    if missing:
        raise errors.IncompleteAnswers(field_errors={qi: _("Choose one answer.") for qi in missing})
    score, total = answers_grade(questions=questions, answers=answers)
    # Recorded for the original lesson and its knowledge check, whatever language was answered.
    origin = _original_lesson(lesson)
    origin_ids = knowledge_check_origin_ids(lesson=lesson, origin=origin)
    if str(block_id) not in origin_ids:
        raise errors.UnknownKnowledgeCheck()
    attempt = KnowledgeCheckAttempt.objects.create(
        user=user,
        lesson=origin,
        block_id=origin_ids[str(block_id)],
        answers=answers,
        score=score,
        total=total,
        passed=score == total,
        created_at=now,
    )
    completion = None
    if attempt.passed:
        passed_blocks = set(
            KnowledgeCheckAttempt.objects.filter(user=user, lesson=origin, passed=True).values_list(
                "block_id", flat=True
            )
        )
        if {origin_ids.get(b) for b in blocks} <= passed_blocks:
            completion, _created = _complete(
                user=user, lesson=origin, how=LessonCompletion.How.KNOWLEDGE_CHECK, now=now
            )
    return attempt, completion
