"""Item statistics from graded exam attempts (classical test theory).

Facility: share of candidates answering the item correctly. Discrimination:
corrected point-biserial (item score against the rest of the test score).
Reliability: KR-20 per certification and per sitting.

Per language: an item drawn in several languages (the version drawn decides) also gets its
exposures, facility and discrimination per language, and is flagged where its facility in one
language differs from the other languages' together by more than EXAM_LANGUAGE_FACILITY_GAP,
each side with at least EXAM_LANGUAGE_MIN_RESPONSES responses (a translation that gives the
key away, or hides it)."""

import logging
import math
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from ..models import Attempt, AttemptItem, FormStatistic, ItemStatistic, Purpose, Question

log = logging.getLogger(__name__)
LOW_FACILITY, HIGH_FACILITY, LOW_DISCRIMINATION = 0.2, 0.95, 0.1
# Below this many candidates the figures are indicative only (the screens say so).
FEW_CANDIDATES = 30
# A distractor nobody chooses is flagged once the item has been answered this often.
DISTRACTOR_MIN_EXPOSURES = 20


def _mean_sd(values):
    n = len(values)
    if n == 0:
        return None, None
    mean = sum(values) / n
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / n)


def point_biserial(item_scores, rest_scores):
    n = len(item_scores)
    if n < 2:
        return None
    mi, si = _mean_sd(item_scores)
    mr, sr = _mean_sd(rest_scores)
    if not si or not sr:
        return None
    cov = sum((a - mi) * (b - mr) for a, b in zip(item_scores, rest_scores, strict=True)) / n
    return cov / (si * sr)


def kr20(matrix):
    """matrix: list of per-candidate lists of 0/1 over the same k items."""
    if len(matrix) < 2:
        return None
    k = len(matrix[0])
    if k < 2:
        return None
    totals = [sum(row) for row in matrix]
    _, sd = _mean_sd(totals)
    if not sd:
        return None
    pq = 0.0
    for j in range(k):
        p = sum(row[j] for row in matrix) / len(matrix)
        pq += p * (1 - p)
    return (k / (k - 1)) * (1 - pq / sd**2)


def language_figures(rows, rest):
    """{language: {"exposures", "facility", "discrimination"}} from (language, score) rows and
    the matching rest-of-test scores."""
    groups = defaultdict(lambda: ([], []))
    for (language, score), r in zip(rows, rest, strict=True):
        groups[language][0].append(score)
        groups[language][1].append(r)
    return {
        language: {
            "exposures": len(scores),
            "facility": sum(scores) / len(scores),
            "discrimination": point_biserial(scores, rests),
        }
        for language, (scores, rests) in sorted(groups.items())
    }


def language_gaps(by_language, *, gap=None, minimum=None):
    """[(language, its facility, the other languages' facility)] where the two differ by more
    than `gap` and both sides have at least `minimum` responses."""
    gap = settings.EXAM_LANGUAGE_FACILITY_GAP if gap is None else gap
    minimum = settings.EXAM_LANGUAGE_MIN_RESPONSES if minimum is None else minimum
    out = []
    for language, figures in by_language.items():
        others = [f for other, f in by_language.items() if other != language]
        n_others = sum(f["exposures"] for f in others)
        if figures["exposures"] < minimum or n_others < minimum:
            continue
        rest = sum(f["facility"] * f["exposures"] for f in others) / n_others
        if abs(figures["facility"] - rest) > gap:
            out.append((language, figures["facility"], rest))
    return out


def item_statistics_compute(*, now):
    from django.core.cache import cache

    try:
        cache.delete(PENDING_KEY)  # gradings from now on ask for a new run
    except Exception:  # the cache is down: the mark expires by itself
        log.warning("Item statistics: the cache is unreachable; the pending mark will expire.")
    attempts = list(
        Attempt.objects.filter(purpose=Purpose.EXAM, state=Attempt.State.GRADED).values(
            "id", "correct", "certification_id", "registration__sitting_id", "passed"
        )
    )
    by_attempt = {a["id"]: a for a in attempts}
    per_question = defaultdict(list)  # question id -> [(attempt id, score, chosen label)]
    items = AttemptItem.objects.filter(attempt_id__in=by_attempt).values(
        "attempt_id",
        "question_version__question_id",
        "chosen_option__is_correct",
        "chosen_option__label",
        "language",
    )
    languages = defaultdict(list)  # question id -> [(language, score)], in the order of per_question
    keys = {
        q.pk: (
            {o.label for o in q.current_version.options.all() if not o.is_correct}
            if q.current_version
            else set()
        )
        for q in Question.objects.filter(purpose=Purpose.EXAM).prefetch_related("current_version__options")
    }
    for it in items:
        score = 1 if it["chosen_option__is_correct"] else 0
        per_question[it["question_version__question_id"]].append(
            (it["attempt_id"], score, it["chosen_option__label"])
        )
        languages[it["question_version__question_id"]].append((it["language"], score))
    with transaction.atomic():
        for question_id, rows in per_question.items():
            item_scores = [s for _, s, _ in rows]
            rest = [by_attempt[a]["correct"] - s for a, s, _ in rows]
            facility = sum(item_scores) / len(item_scores)
            disc = point_biserial(item_scores, rest)
            freq = defaultdict(int)
            for _, _, label in rows:
                freq[label or "none"] += 1
            reasons = []
            if facility < LOW_FACILITY:
                reasons.append("too hard")
            if facility > HIGH_FACILITY:
                reasons.append("too easy")
            if disc is not None and disc < 0:
                reasons.append("negative discrimination")
            elif disc is not None and disc < LOW_DISCRIMINATION:
                reasons.append("low discrimination")
            unchosen = sorted(label for label in keys.get(question_id, ()) if not freq.get(label))
            if unchosen and len(rows) >= DISTRACTOR_MIN_EXPOSURES:
                reasons.append("distractor never chosen: " + ", ".join(unchosen))
            by_language = language_figures(languages[question_id], rest)
            for language, own, others in language_gaps(by_language):
                reasons.append(f"facility in {language} {own:.2f}, other languages {others:.2f}")
            ItemStatistic.objects.update_or_create(
                question_id=question_id,
                defaults={
                    "computed_at": now,
                    "exposures": len(rows),
                    "facility": facility,
                    "discrimination": disc,
                    "option_frequencies": dict(freq),
                    "flagged": bool(reasons),
                    "flag_reasons": ", ".join(reasons)[:200],
                    "by_language": by_language,
                },
            )
        groups = defaultdict(list)
        for a in attempts:
            groups[(a["certification_id"], None)].append(a)
            if a["registration__sitting_id"]:
                groups[(a["certification_id"], a["registration__sitting_id"])].append(a)
        scores_by_attempt = defaultdict(dict)
        for question_id, rows in per_question.items():
            for attempt_id, s, _ in rows:
                scores_by_attempt[attempt_id][question_id] = s
        for (cert_id, sitting_id), group in groups.items():
            totals = [a["correct"] for a in group]
            mean, sd = _mean_sd(totals)
            qids = sorted({q for a in group for q in scores_by_attempt[a["id"]]})
            matrix = [[scores_by_attempt[a["id"]].get(q, 0) for q in qids] for a in group]
            FormStatistic.objects.update_or_create(
                certification_id=cert_id,
                sitting_id=sitting_id,
                defaults={
                    "computed_at": now,
                    "candidates": len(group),
                    "mean": mean,
                    "sd": sd,
                    "kr20": kr20(matrix),
                    "pass_rate": sum(1 for a in group if a["passed"]) / len(group),
                },
            )
    return len(per_question)


def item_statistics_schedule(*, delay_seconds, schedule):
    """Debounce: ask for one recompute `delay_seconds` from now unless one is already pending.
    `schedule(countdown)` queues the task; the pending mark lives in the shared cache."""
    from django.core.cache import cache

    try:
        first = cache.add(PENDING_KEY, "1", timeout=delay_seconds + 60)
    except Exception:  # the cache (Redis) is down: no debounce this time, the nightly run catches up
        first = True
    if first:
        schedule(delay_seconds)
        return True
    return False


PENDING_KEY = "exams:item-statistics:pending"
