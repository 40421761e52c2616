"""Read-side queries of the exam engine."""

from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from .models import Attempt, AttemptItem, Certification, Question, QuestionOption, Registration, Sitting
from .presentation import KEYS, displayed_key


def certifications_list():
    return Certification.objects.prefetch_related("prerequisites").order_by("position", "code")


def registrations_for_user(*, user):
    return (
        Registration.objects.filter(user=user)
        .select_related("sitting__certification")
        .annotate(used=Count("attempts", filter=~Q(attempts__state=Attempt.State.READY)))
        .order_by("-sitting__opens_at", "-id")
    )


def sitting_title(sitting, certification=None):
    """A sitting's title for people: an on-demand sitting's in the reader's language (its stored
    title is a fixed English label), a scheduled one's as its organiser wrote it."""
    if sitting.kind == sitting.Kind.ON_DEMAND:
        name = (certification or sitting.certification).name
        return gettext("%(name)s (on demand)") % {"name": name}
    return sitting.title


def certifications_held(*, user):
    """Ids of the exam certifications the person holds (asked through exams.hooks)."""
    from . import hooks

    return {
        c.pk for c in Certification.objects.filter(earned_by="exam") if hooks.holds_certification(user, c)
    }


def attempt_outcome(attempt):
    """An attempt's outcome in words for its candidate (no internal state names)."""
    S = Attempt.State
    if attempt.state == S.GRADED:
        numbers = {"correct": attempt.correct, "total": attempt.total, "percent": attempt.percent}
        if attempt.passed:
            return gettext("passed: %(correct)s of %(total)s correct (%(percent)s %%)") % numbers
        return gettext("not passed: %(correct)s of %(total)s correct (%(percent)s %%)") % numbers
    return {
        S.IN_PROGRESS: gettext("in progress"),
        S.SUBMITTED: gettext("submitted, being graded"),
        S.EXPIRED: gettext("time ran out, being graded"),
        S.VOIDED: gettext("voided by an examiner"),
    }.get(attempt.state, "")


def attempts_in_words(*, user, limit=50):
    attempts = list(
        Attempt.objects.filter(user=user)
        .exclude(state=Attempt.State.READY)
        .select_related("certification", "registration__sitting")
        .order_by("-created_at")[:limit]
    )
    for a in attempts:
        a.outcome = attempt_outcome(a)
        sitting = a.registration.sitting if a.registration_id else None
        a.sitting_name = (
            (sitting_title(sitting, a.certification) or sitting.organisation_name) if sitting else ""
        )
    return attempts


def attempts_left(registration):
    used = getattr(registration, "used", None)
    if used is None:
        used = registration.attempts.exclude(state=Attempt.State.READY).count()
    return max(registration.attempts_allowed - used, 0)


def attempt_for_user(*, attempt_id, user):
    """The user's own attempt, or None (another person's attempt is 'not found')."""
    return (
        Attempt.objects.select_related("certification", "registration__sitting")
        .filter(pk=attempt_id, user=user)
        .first()
    )


def attempt_items_for_candidate(attempt):
    """Questions as the candidate sees them: stems and options under their shuffled
    letters, the candidate's answer and flag. Never the key or the rationale."""
    items = (
        AttemptItem.objects.filter(attempt=attempt).select_related("question_version").order_by("position")
    )
    options = {}
    for option in QuestionOption.objects.filter(version__in=[i.question_version_id for i in items]).only(
        "id", "text"
    ):
        options[option.id] = option.text
    out = []
    for item in items:
        out.append(
            {
                "position": item.position,
                "language": item.language,
                "stem": item.question_version.stem,
                "options": [
                    {"key": KEYS[i], "text": options[oid]} for i, oid in enumerate(item.option_order)
                ],
                "answer": displayed_key(item),
                "flagged": item.flagged,
            }
        )
    return out


def language_names():
    """{code: name in its own language} of the site's languages (settings.LANGUAGES)."""
    from django.conf import settings

    return dict(settings.LANGUAGES)


def languages_offered(certification, purpose="exam"):
    """The languages an exam (or practice) form of the certification can be taken in: English,
    and every language in which each question the form can draw (approved, with a wording) has
    a reviewed version. [(code, name)] in the order of settings.LANGUAGES."""
    from .models import QuestionTranslation

    drawable = Question.objects.filter(
        certification=certification,
        purpose=purpose,
        status=Question.Status.APPROVED,
        current_version__isnull=False,
    )
    total = drawable.count()
    reviewed = dict(
        QuestionTranslation.objects.filter(question__in=drawable, status=QuestionTranslation.Status.REVIEWED)
        .values_list("language")
        .annotate(n=Count("id"))
    )
    return [
        (code, name)
        for code, name in language_names().items()
        if code == "en" or (total and reviewed.get(code) == total)
    ]


def language_default(*, user, offered):
    """The lobby's preselected language: the person's profile language when offered, else English."""
    codes = [code for code, _ in offered]
    preferred = getattr(user, "language", "") or "en"
    return preferred if preferred in codes else "en"


def versions_in_language(question_ids, language):
    """{question id: the id of its current version in `language`} (English: the question's own
    current version; other languages: the reviewed language version)."""
    from .models import QuestionTranslation

    if language == "en":
        return dict(
            Question.objects.filter(pk__in=question_ids, current_version__isnull=False).values_list(
                "id", "current_version_id"
            )
        )
    return dict(
        QuestionTranslation.objects.filter(
            question_id__in=question_ids, language=language, status=QuestionTranslation.Status.REVIEWED
        ).values_list("question_id", "current_version_id")
    )


def attempt_item_in_english(attempt, position):
    """One question of an attempt in English, its options in the order and under the letters
    the candidate sees them (mapped by label to the English version), or None when the attempt
    has no such question or no English wording."""
    item = (
        AttemptItem.objects.filter(attempt=attempt, position=position)
        .select_related("question_version__question__current_version")
        .first()
    )
    if item is None or item.question_version.question.current_version is None:
        return None
    english = item.question_version.question.current_version
    labels = dict(QuestionOption.objects.filter(id__in=item.option_order).values_list("id", "label"))
    texts = dict(QuestionOption.objects.filter(version=english).values_list("label", "text"))
    return {
        "position": item.position,
        "language": "en",
        "stem": english.stem,
        "options": [
            {"key": KEYS[i], "text": texts.get(labels[oid], "")} for i, oid in enumerate(item.option_order)
        ],
        "answer": displayed_key(item),
        "flagged": item.flagged,
    }


def question_language_versions(question):
    """The question's current version in English and in each language it has, side by side:
    [{language, name, version, options (by label), translation (None for English)}]."""
    from .models import QuestionTranslation

    names = language_names()
    rows = []
    if question.current_version_id:
        version = question.current_version
        rows.append(
            {"language": "en", "name": names.get("en", "English"), "version": version, "translation": None}
        )
    for translation in (
        QuestionTranslation.objects.filter(question=question)
        .select_related("current_version", "author", "reviewed_by")
        .order_by("language")
    ):
        rows.append(
            {
                "language": translation.language,
                "name": names.get(translation.language, translation.language),
                "version": translation.current_version,
                "translation": translation,
            }
        )
    for row in rows:
        row["options"] = sorted(row["version"].options.all(), key=lambda o: o.label)
    return rows


def english_switch_allowed(attempt):
    """Whether the candidate may show a question of this attempt in English and back."""
    return attempt.language != "en" and attempt.certification.english_switch_allowed


class Disclosure:
    """What a finished attempt's result may show the candidate, decided in one place.

    FULL: practice attempts: every question with the key, the rationale and the reference.
    OWN_ANSWERS: open-book certification exams: every question with the candidate's answer
    and whether it was right, never the key or the rationale.
    SCORE: closed-book certification exams: score and topics only; the questions stay secret."""

    FULL = "full"
    OWN_ANSWERS = "own_answers"
    SCORE = "score"


def result_disclosure(attempt):
    """How much of a finished attempt its candidate sees (see Disclosure)."""
    if attempt.purpose == "practice":
        return Disclosure.FULL
    return Disclosure.SCORE if attempt.certification.closed_book else Disclosure.OWN_ANSWERS


def attempt_review(attempt, *, disclosure=None):
    """The review rows of a graded attempt, as far as its disclosure allows: [] for SCORE
    (and for an attempt not graded yet). Options carry the letters the candidate saw."""
    disclosure = disclosure or result_disclosure(attempt)
    if disclosure == Disclosure.SCORE or attempt.state != Attempt.State.GRADED:
        return []
    full = disclosure == Disclosure.FULL
    items = (
        AttemptItem.objects.filter(attempt=attempt)
        .select_related("question_version")
        .prefetch_related("question_version__options")
    )
    rows = []
    for item in items.order_by("position"):
        by_id = {o.id: o for o in item.question_version.options.all()}
        opts = [by_id[oid] for oid in item.option_order]
        chosen = by_id.get(item.chosen_option_id)
        rows.append(
            {
                "position": item.position,
                "stem": item.question_version.stem,
                "options": [
                    {
                        "key": KEYS[i],
                        "text": o.text,
                        "correct": o.is_correct if full else None,
                        "chosen": o.id == item.chosen_option_id,
                    }
                    for i, o in enumerate(opts)
                ],
                "answer": displayed_key(item),
                "key": next((KEYS[i] for i, o in enumerate(opts) if o.is_correct), None) if full else None,
                "rationale": item.question_version.rationale if full else None,
                "reference": item.question_version.reference if full else None,
                "correct": chosen is not None and chosen.is_correct,
            }
        )
    return rows


def weakest_topics(attempt, limit=2):
    """The topics with the lowest share of right answers (those below the pass mark first)."""
    rows = [t for t in attempt.by_topic if t.get("total")]
    rows.sort(key=lambda t: (t["correct"] / t["total"], -t["total"]))
    return [t for t in rows if t["correct"] / t["total"] * 100 < attempt.pass_mark][:limit]


def retake_rule(attempt):
    """What a candidate who did not pass may do next, in words."""
    if attempt.purpose == "practice":
        return gettext("Practice exams can be taken again at once, as often as you like.")
    registration = attempt.registration
    left = attempts_left(registration) if registration is not None else 0
    if left:
        return ngettext(
            "You may sit this exam again in the same sitting: %(left)d attempt left.",
            "You may sit this exam again in the same sitting: %(left)d attempts left.",
            left,
        ) % {"left": left}
    return gettext(
        "To sit the exam again, book a new sitting: redeem another exam voucher or join a training "
        "session's exam. Your results by topic show what to revise first."
    )


def attempt_result(attempt):
    """Everything the result page and the result API show of a finished attempt."""
    from . import hooks

    graded = attempt.state == Attempt.State.GRADED
    disclosure = result_disclosure(attempt)
    return {
        "state": attempt.state,
        "purpose": attempt.purpose,
        "closed_book": attempt.certification.closed_book,
        "disclosure": disclosure,
        "correct": attempt.correct if graded else None,
        "total": attempt.total,
        "percent": attempt.percent if graded else None,
        "pass_mark": attempt.pass_mark,
        "passed": attempt.passed if graded else None,
        "by_topic": [
            {"topic": t["topic"], "correct": t["correct"], "total": t["total"]} for t in attempt.by_topic
        ]
        if graded
        else [],
        "review": attempt_review(attempt, disclosure=disclosure) if graded else [],
        "weakest_topics": weakest_topics(attempt) if graded and not attempt.passed else [],
        "retake_rule": retake_rule(attempt) if graded and not attempt.passed else "",
        "next_steps": hooks.result_next_steps(attempt) if graded else [],
    }


def sittings_invigilated_by(*, user):
    qs = Sitting.objects.select_related("certification").exclude(kind=Sitting.Kind.ON_DEMAND)
    from accounts.roles import is_examiner

    if not is_examiner(user):
        qs = qs.filter(invigilators=user)
    return qs.order_by("-opens_at", "-id")


def sitting_for_invigilator(*, sitting_id, user):
    return sittings_invigilated_by(user=user).filter(pk=sitting_id).first()


def sitting_monitor_rows(*, sitting, now):
    """Each candidate's state, answered count and time left (seconds) for invigilators."""
    registrations = sitting.registrations.select_related("user").order_by("user__last_name", "user__email")
    latest = {}
    for attempt in (
        Attempt.objects.filter(registration__sitting=sitting)
        .annotate(answered=Count("items", filter=Q(items__chosen_option__isnull=False)))
        .order_by("registration_id", "created_at")
    ):
        latest[attempt.registration_id] = attempt
    rows = []
    for registration in registrations:
        attempt = latest.get(registration.pk)
        left = None
        if attempt and attempt.state == Attempt.State.IN_PROGRESS:
            left = max(int((attempt.deadline - now).total_seconds()), 0)
        rows.append({"registration": registration, "attempt": attempt, "seconds_left": left})
    return rows


def blueprint_shortfalls(certification):
    """Topics whose approved exam questions cannot fill their quota: [(topic, have, need)]."""
    counts = approved_exam_counts(certification)
    return [
        (t, counts.get(t.id, 0), t.quota) for t in certification.topics.all() if counts.get(t.id, 0) < t.quota
    ]


def approved_exam_counts(certification):
    return dict(
        Question.objects.filter(certification=certification, purpose="exam", status=Question.Status.APPROVED)
        .values_list("topic_id")
        .annotate(n=Count("id"))
    )


def item_statistics_rows():
    """Item statistics with each option's frequency under the bank letters the review screen
    uses, the key marked, in certification and id order."""
    from .models import ItemStatistic

    stats = list(
        ItemStatistic.objects.select_related("question__topic", "question__certification")
        .prefetch_related("question__current_version__options")
        .order_by("question__certification__position", "question__external_id")
    )
    for s in stats:
        version = s.question.current_version
        labels = [o.label for o in version.options.all()] if version else sorted(s.option_frequencies)
        key = next((o.label for o in version.options.all() if o.is_correct), None) if version else None
        s.options_chosen = [
            {"label": label, "count": s.option_frequencies.get(label, 0), "key": label == key}
            for label in labels
        ]
        s.unanswered = s.option_frequencies.get("none", 0)
        s.language_rows = item_language_rows(s.by_language)
    return stats


def item_language_rows(by_language):
    """An item's figures per language for the statistics screen, the languages whose facility
    stands apart from the others' marked (see services.statistics.language_gaps)."""
    from .services.statistics import language_gaps

    apart = {language for language, _, _ in language_gaps(by_language or {})}
    return [
        {
            "language": language,
            "exposures": figures.get("exposures", 0),
            "facility": figures.get("facility"),
            "apart": language in apart,
        }
        for language, figures in sorted((by_language or {}).items())
    ]


def facility_chart(stats, width=720, bar=14, gap=4):
    """Bars for a server-rendered SVG chart of facility per item; flagged items marked."""
    bars = []
    for i, s in enumerate(stats):
        if s.facility is None:
            continue
        bars.append(
            {
                "y": i * (bar + gap),
                "w": round(s.facility * (width - 160), 1),
                "label": s.question.external_id,
                "value": round(s.facility, 2),
                "flagged": s.flagged,
            }
        )
    return {
        "bars": bars,
        "height": max(len(stats) * (bar + gap), bar),
        "bar": bar,
        "width": width,
        "low_x": 150 + round(0.2 * (width - 160)),
        "high_x": 150 + round(0.95 * (width - 160)),
    }


def attempt_void_record(*, attempt):
    """Who voided the attempt, when and why (from its audit event), or None when it is not voided.
    The candidate's result page and e-mail name the invigilator: a decision about a person is
    never anonymous to them."""
    from .models import AttemptEvent

    if attempt.state != Attempt.State.VOIDED:
        return None
    event = (
        AttemptEvent.objects.filter(attempt=attempt, kind=AttemptEvent.Kind.VOIDED)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return {
        "by": event.actor.printed_name if event and event.actor else "",
        "at": event.at if event else attempt.finished_at,
        "reason": attempt.void_reason,
    }
