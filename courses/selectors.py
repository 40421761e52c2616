"""Reads of the learning side. Progress is always counted from LessonCompletion rows."""

from wagtail.models import Page

from .knowledge_checks import PASS_RULE, knowledge_check_blocks, questions_with_state
from .models import CoursePage, Enrolment, KnowledgeCheckAttempt, LessonCompletion, LessonPage, ModulePage


def course_outline(*, course):
    """The live modules of a course in tree order, each with its live lessons: [(module, [lesson, ...])]."""
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    by_path = {m.path: [] for m in modules}
    for lesson in LessonPage.objects.descendant_of(course).live().defer("body").order_by("path"):
        siblings = by_path.get(lesson.path[: -Page.steplen])
        if siblings is not None:
            siblings.append(lesson)
    return [(m, by_path[m.path]) for m in modules]


def course_lessons(*, course):
    return [lesson for _, lessons in course_outline(course=course) for lesson in lessons]


def _percent(done, total):
    # Rounded down, so 100 % means every lesson is done.
    return done * 100 // total if total else 0


def enrolment_exists(*, user, course):
    return bool(user.is_authenticated) and Enrolment.objects.filter(user=user, course=course).exists()


def course_progress(*, user, course):
    """Done, total and percent of live lessons per module and for the course, plus where to continue.

    Returns {"modules": [{"page", "lessons": [{"page", "done"}], "done", "total", "percent"}],
    "done", "total", "percent", "complete", "continue_lesson"}."""
    outline = course_outline(course=course)
    ids = [lesson.pk for _, lessons in outline for lesson in lessons]
    done_at = {}
    if user.is_authenticated and ids:
        done_at = dict(
            LessonCompletion.objects.filter(user=user, lesson_id__in=ids).values_list(
                "lesson_id", "completed_at"
            )
        )
    modules = []
    for module, lessons in outline:
        rows = [{"page": lesson, "done": lesson.pk in done_at} for lesson in lessons]
        done = sum(1 for r in rows if r["done"])
        modules.append(
            {
                "page": module,
                "lessons": rows,
                "done": done,
                "total": len(rows),
                "percent": _percent(done, len(rows)),
            }
        )
    total, done = len(ids), len(done_at)
    return {
        "modules": modules,
        "done": done,
        "total": total,
        "percent": _percent(done, total),
        "complete": total > 0 and done == total,
        "continue_lesson": _continue_lesson(outline, done_at),
    }


def _continue_lesson(outline, done_at):
    """The first incomplete lesson after the most recently completed one (wrapping to the start),
    the first lesson when none is done, None when all are done."""
    flat = [lesson for _, lessons in outline for lesson in lessons]
    if not flat:
        return None
    if not done_at:
        return flat[0]
    latest = max(done_at, key=done_at.get)
    start = next((i for i, lesson in enumerate(flat) if lesson.pk == latest), 0)
    for lesson in flat[start + 1 :] + flat[: start + 1]:
        if lesson.pk not in done_at:
            return lesson
    return None


def lesson_neighbours(*, lesson, course, flat=None):
    """(previous, next) live lesson of the course, crossing module boundaries. `flat` is the
    course's lessons in order when the caller has them already."""
    flat = course_lessons(course=course) if flat is None else flat
    ids = [x.pk for x in flat]
    if lesson.pk not in ids:
        return None, None
    i = ids.index(lesson.pk)
    return (flat[i - 1] if i > 0 else None), (flat[i + 1] if i + 1 < len(flat) else None)


def lesson_next_step(*, lesson, course, next_lesson):
    """Where a learner goes once this lesson is complete: the next lesson of the course, or after
    the last lesson the course page with its practice exam and exam booking.

    Returns {"kind": "lesson" | "course", "page": the page to link to}."""
    if next_lesson is not None:
        return {"kind": "lesson", "page": next_lesson}
    return {"kind": "course", "page": course}


def lesson_learning_state(*, user, lesson, course, posted=None):
    """Everything a lesson page shows about the learner: enrolment, completion, and each knowledge
    check with the chosen options and their feedback (from `posted`, a refused submission being
    shown again, or else from the latest attempt)."""
    enrolled = enrolment_exists(user=user, course=course)
    completion = None
    latest = {}
    if user.is_authenticated:
        completion = LessonCompletion.objects.filter(user=user, lesson=lesson).first()
        for attempt in KnowledgeCheckAttempt.objects.filter(user=user, lesson=lesson).order_by("created_at"):
            latest[attempt.block_id] = attempt
    checks = {}
    viewer = f"user-{user.pk}" if user.is_authenticated else "anonymous"
    for block_id, questions in knowledge_check_blocks(lesson):
        attempt = latest.get(block_id)
        if posted and posted.get("block_id") == block_id:
            state = questions_with_state(
                block_id=block_id,
                questions=questions,
                answers=posted.get("answers"),
                errors=posted.get("field_errors"),
                viewer=viewer,
            )
            checks[block_id] = {"questions": state, "attempt": None, "error": posted.get("detail", "")}
        else:
            state = questions_with_state(
                block_id=block_id,
                questions=questions,
                answers=attempt.answers if attempt else None,
                graded=attempt is not None,
                viewer=viewer,
            )
            checks[block_id] = {"questions": state, "attempt": attempt, "error": ""}
    progress = course_progress(user=user, course=course)
    flat = [row["page"] for m in progress["modules"] for row in m["lessons"]]
    previous, following = lesson_neighbours(lesson=lesson, course=course, flat=flat)
    return {
        "enrolled": enrolled,
        "completion": completion,
        "knowledge_checks": checks,
        "pass_rule": PASS_RULE,
        "previous_lesson": previous,
        "next_lesson": following,
        "outline": progress["modules"],
        "progress": progress,
        "next_step": lesson_next_step(lesson=lesson, course=course, next_lesson=following),
    }


def learner_courses(*, user):
    """The live courses a learner is enrolled in, each with its progress, most recently enrolled first."""
    enrolments = Enrolment.objects.filter(user=user, course__live=True).order_by("-enrolled_at", "-pk")
    courses = CoursePage.objects.in_bulk([e.course_id for e in enrolments])
    return [
        {
            "enrolment": e,
            "course": courses[e.course_id],
            "progress": course_progress(user=user, course=courses[e.course_id]),
        }
        for e in enrolments
    ]


def lessons_done_ids(*, user, lessons):
    if not user.is_authenticated:
        return set()
    return set(
        LessonCompletion.objects.filter(user=user, lesson__in=list(lessons)).values_list(
            "lesson_id", flat=True
        )
    )


def course_page_state(*, user, course):
    """What a course page shows: the syllabus with the learner's progress, the enrolment, the
    upcoming training sessions, and once the course is complete the learner's exam eligibility."""
    from exams.hooks import missing_prerequisites

    from .hooks import sessions_calendar_url, upcoming_sessions

    progress = course_progress(user=user, course=course)
    enrolled = enrolment_exists(user=user, course=course)
    state = {
        "modules": progress["modules"],
        "progress": progress,
        "enrolled": enrolled,
        "sessions": upcoming_sessions(course.certification, 5),
        "sessions_calendar_url": sessions_calendar_url(course.certification),
        "missing_prerequisites": [],
    }
    if user.is_authenticated:
        state["missing_prerequisites"] = missing_prerequisites(user, course.certification)
    return state
