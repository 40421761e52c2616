"""Reads of the learning side. Progress is always counted from LessonCompletion rows.

A course is read in the language of the page shown: its structure is the original's (English)
tree, each module and lesson shown in that language where it has a version, and progress is
looked up by the original pages (`origin_pk`), so it is the same in every language."""

from wagtail.models import Page

from .knowledge_checks import PASS_RULE, knowledge_check_blocks, questions_with_state
from .locales import active_language, language_of, page_localized, page_original, pages_localized
from .models import CoursePage, Enrolment, KnowledgeCheckAttempt, LessonCompletion, LessonPage, ModulePage


def course_outline(*, course):
    """The live modules of a course in tree order, each with its live lessons, in the course
    page's language where a version exists: [(module, [lesson, ...])]. Each page carries
    `origin_pk`, the pk of the original page its progress is kept under."""
    origin = page_original(course)
    language = language_of(course)
    modules = list(ModulePage.objects.child_of(origin).live().order_by("path"))
    by_path = {m.path: [] for m in modules}
    for lesson in LessonPage.objects.descendant_of(origin).live().defer("body").order_by("path"):
        siblings = by_path.get(lesson.path[: -Page.steplen])
        if siblings is not None:
            siblings.append(lesson)
    shown_modules = pages_localized(modules, language)
    return [
        (shown, pages_localized(by_path[module.path], language, defer=("body",)))
        for module, shown in zip(modules, shown_modules, strict=True)
    ]


def module_lessons(*, module):
    """The live lessons of a module in the module page's language where a version exists."""
    origin = page_original(module)
    lessons = LessonPage.objects.child_of(origin).live().order_by("path")
    return pages_localized(lessons, language_of(module))


def catalogue_courses(*, catalogue):
    """The live courses of the catalogue, each in the catalogue page's language where it has a version."""
    origin = page_original(catalogue)
    courses = CoursePage.objects.child_of(origin).live().order_by("path").select_related("certification")
    return pages_localized(courses, language_of(catalogue))


def course_lessons(*, course):
    return [lesson for _, lessons in course_outline(course=course) for lesson in lessons]


def _percent(done, total):
    # Rounded down, so 100 % means every lesson is done.
    return done * 100 // total if total else 0


def enrolment_exists(*, user, course):
    """Whether the learner is enrolled in the course, in whichever language they enrolled."""
    return (
        bool(user.is_authenticated)
        and Enrolment.objects.filter(user=user, course=page_original(course)).exists()
    )


def course_progress(*, user, course):
    """Done, total and percent of live lessons per module and for the course, plus where to continue.

    Returns {"modules": [{"page", "lessons": [{"page", "done"}], "done", "total", "percent"}],
    "done", "total", "percent", "complete", "continue_lesson"}."""
    outline = course_outline(course=course)
    ids = [lesson.origin_pk for _, lessons in outline for lesson in lessons]
    done_at = {}
    if user.is_authenticated and ids:
        done_at = dict(
            LessonCompletion.objects.filter(user=user, lesson_id__in=ids).values_list(
                "lesson_id", "completed_at"
            )
        )
    modules = []
    for module, lessons in outline:
        rows = [{"page": lesson, "done": lesson.origin_pk in done_at} for lesson in lessons]
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
    start = next((i for i, lesson in enumerate(flat) if lesson.origin_pk == latest), 0)
    for lesson in flat[start + 1 :] + flat[: start + 1]:
        if lesson.origin_pk not in done_at:
            return lesson
    return None


def lesson_neighbours(*, lesson, course, flat=None):
    """(previous, next) live lesson of the course, crossing module boundaries. `flat` is the
    course's lessons in order when the caller has them already."""
    flat = course_lessons(course=course) if flat is None else flat
    ids = [getattr(x, "origin_pk", x.pk) for x in flat]
    origin_pk = page_original(lesson).pk
    if origin_pk not in ids:
        return None, None
    i = ids.index(origin_pk)
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
    origin = page_original(lesson)
    completion = None
    latest = {}
    if user.is_authenticated:
        completion = LessonCompletion.objects.filter(user=user, lesson=origin).first()
        for attempt in KnowledgeCheckAttempt.objects.filter(user=user, lesson=origin).order_by("created_at"):
            latest[attempt.block_id] = attempt
    checks = {}
    viewer = f"user-{user.pk}" if user.is_authenticated else "anonymous"
    origin_ids = knowledge_check_origin_ids(lesson=lesson, origin=origin)
    for block_id, questions in knowledge_check_blocks(lesson):
        attempt = latest.get(origin_ids.get(block_id, block_id))
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


def knowledge_check_origin_ids(*, lesson, origin=None):
    """{block id in this lesson: id of the same knowledge check in the original lesson}: the
    knowledge checks of the versions of a lesson correspond by their order on the page."""
    origin = origin or page_original(lesson)
    if origin.pk == lesson.pk:
        return {block_id: block_id for block_id, _ in knowledge_check_blocks(lesson)}
    if not hasattr(origin, "body"):
        origin = LessonPage.objects.get(pk=origin.pk)
    theirs = [block_id for block_id, _ in knowledge_check_blocks(origin)]
    return {
        block_id: theirs[i]
        for i, (block_id, _) in enumerate(knowledge_check_blocks(lesson))
        if i < len(theirs)
    }


def learner_courses(*, user):
    """The live courses a learner is enrolled in, each in the reader's language where it has a
    version and with its progress, most recently enrolled first."""
    enrolments = Enrolment.objects.filter(user=user, course__live=True).order_by("-enrolled_at", "-pk")
    courses = CoursePage.objects.in_bulk([e.course_id for e in enrolments])
    language = active_language()
    rows = []
    for e in enrolments:
        course = page_localized(courses[e.course_id], language)
        rows.append({"enrolment": e, "course": course, "progress": course_progress(user=user, course=course)})
    return rows


def lessons_done_ids(*, user, lessons):
    """The pks of those of `lessons` (pages in any language) the learner has completed."""
    if not user.is_authenticated:
        return set()
    lessons = list(lessons)
    origin_of = {
        getattr(lesson, "origin_pk", None) or page_original(lesson).pk: lesson.pk for lesson in lessons
    }
    done = LessonCompletion.objects.filter(user=user, lesson_id__in=list(origin_of)).values_list(
        "lesson_id", flat=True
    )
    return {origin_of[pk] for pk in done}


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


def glossary_terms(*, language=None):
    """The glossary in a language (the reader's by default): each term's version in it, or the
    English one while it has none (with `language` set on the term), in alphabetical order."""
    import unicodedata

    from .locales import source_language
    from .models import GlossaryTerm

    language = language or active_language()
    terms = {t.translation_key: t for t in GlossaryTerm.objects.filter(locale__language_code=language)}
    if language != source_language():
        for term in GlossaryTerm.objects.filter(locale__language_code=source_language()):
            terms.setdefault(term.translation_key, term)
    for term in terms.values():
        term.language = language if term.locale.language_code == language else source_language()

    def key(term):
        plain = unicodedata.normalize("NFKD", term.term)
        return "".join(c for c in plain if not unicodedata.combining(c)).casefold()

    return sorted(terms.values(), key=key)
