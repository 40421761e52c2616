"""Attempts: assembly, start, answer saving, submission, expiry, grading, voiding.

Every transition is a conditional UPDATE on the state it leaves, so a double
submit, a submit racing the sweep, or two workers grading the same attempt all
end with exactly one transition. Time is the server's: `now` is passed in by
the caller (a view passes timezone.now()), never taken from the client."""

import json
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext, ngettext

from accounts.roles import is_examiner
from accounts.services import audit_record

from .. import errors, hooks
from ..clock import clock_publish
from ..codes import access_code_matches
from ..models import Attempt, AttemptEvent, AttemptItem, Purpose, Question, Registration, Sitting
from ..presentation import KEYS
from ..signals import attempt_graded, attempt_voided

CLIENT_EVENTS = {
    AttemptEvent.Kind.FOCUS_LOST,
    AttemptEvent.Kind.FOCUS_REGAINED,
    AttemptEvent.Kind.CONNECTION_LOST,
    AttemptEvent.Kind.CONNECTION_RESTORED,
}
_random = secrets.SystemRandom()


def grace():
    return timedelta(seconds=settings.EXAM_SAVE_GRACE_SECONDS)


def _event(attempt, kind, actor=None, **data):
    return AttemptEvent.objects.create(attempt_id=attempt.pk, kind=kind, actor=actor, data=data)


def _draw(certification, purpose, rng, language="en"):
    """Pick approved questions per topic quota, least exposed first (ties at random), each in
    its current version in `language` (questions without a reviewed one there are not drawn)."""
    from ..selectors import versions_in_language

    chosen = []
    topics = list(certification.topics.filter(quota__gt=0))
    pool = list(
        Question.objects.filter(
            certification=certification,
            purpose=purpose,
            status=Question.Status.APPROVED,
            current_version__isnull=False,
        ).values("id", "topic_id", "exposure_count", "current_version_id")
    )
    if language != "en":
        versions = versions_in_language([row["id"] for row in pool], language)
        pool = [dict(row, current_version_id=versions[row["id"]]) for row in pool if row["id"] in versions]
    by_topic = {}
    for row in pool:
        by_topic.setdefault(row["topic_id"], []).append(row)
    for topic in topics:
        rows = by_topic.get(topic.id, [])
        need = topic.quota
        if len(rows) < need:
            if purpose == Purpose.EXAM:
                raise errors.BlueprintUnfillable(
                    gettext("Topic %(code)s (%(name)s) needs %(need)d approved questions and has %(have)d.")
                    % {"code": topic.code, "name": topic.name, "need": need, "have": len(rows)}
                )
            need = len(rows)
        rng.shuffle(rows)
        rows.sort(key=lambda r: r["exposure_count"])  # stable: random order among equal exposure
        chosen.extend(rows[:need])
    if not chosen:
        raise errors.BlueprintUnfillable(gettext("There are no approved questions for this exam yet."))
    return chosen


def language_check(certification, purpose, language):
    """Refuse a language the form cannot be taken in (see selectors.languages_offered)."""
    from ..selectors import languages_offered

    if language == "en":  # the source language: every approved question has its wording
        return
    if language not in [code for code, _ in languages_offered(certification, purpose)]:
        raise errors.LanguageNotOffered()


@transaction.atomic
def attempt_assemble(
    *, user, certification, purpose=Purpose.EXAM, registration=None, rng=None, language="en", batch=False
):
    """Create a ready attempt with its draw, question order and option order frozen, every
    question in its version in `language`. `batch`: several draws share the caller's transaction
    (opening a sitting), so each counts its exposures at once for the next draw to see them;
    otherwise they are counted after the commit (exposures_count)."""
    rng = rng or _random
    rows = _draw(certification, purpose, rng, language)
    rng.shuffle(rows)
    attempt = Attempt.objects.create(
        user=user,
        certification=certification,
        registration=registration,
        purpose=purpose,
        state=Attempt.State.READY,
        pass_mark=certification.pass_mark,
        total=len(rows),
        language=language,
    )
    from ..models import QuestionOption

    option_ids = {}
    for version_id, option_id in QuestionOption.objects.filter(
        version_id__in=[r["current_version_id"] for r in rows]
    ).values_list("version_id", "id"):
        option_ids.setdefault(version_id, []).append(option_id)
    items = []
    for position, row in enumerate(rows, start=1):
        order = list(option_ids[row["current_version_id"]])
        rng.shuffle(order)
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                question_version_id=row["current_version_id"],
                language=language,
                option_order=order,
            )
        )
    AttemptItem.objects.bulk_create(items)
    drawn = sorted(r["id"] for r in rows)
    if batch:
        exposures_count(drawn)
    else:
        transaction.on_commit(lambda: exposures_count(drawn))
    _event(attempt, AttemptEvent.Kind.CREATED, questions=len(rows), language=language)
    return attempt


def exposures_count(question_ids):
    """Count one more exposure of each drawn question, after the draw committed, in a statement
    of its own: concurrent starts drawing the same least-exposed questions would otherwise wait
    for each other's whole transaction on those rows. The rows are taken in id order (no
    deadlock between two draws). The count balances the draw; an increment lost in a crash
    between the commit and this statement only makes that question a little likelier next time."""
    Question.objects.filter(id__in=sorted(question_ids)).update(exposure_count=F("exposure_count") + 1)


def allowed_seconds(attempt):
    """Duration × multiplier + extra minutes, from the sitting and the registration."""
    registration = attempt.registration
    if registration is None:
        return attempt.certification.duration_minutes * 60
    if registration.extra_time_pending:  # waiting for an examiner: the standard time applies
        return registration.sitting.minutes * 60
    minutes = (
        Decimal(registration.sitting.minutes) * registration.time_multiplier + registration.extra_minutes
    )
    return int(minutes * 60)


def attempt_start(*, attempt, now, actor=None):
    """Start a ready attempt: the deadline is fixed now, from the server's clock."""
    seconds = allowed_seconds(attempt)
    with transaction.atomic():
        started = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.READY).update(
            state=Attempt.State.IN_PROGRESS, started_at=now, deadline=now + timedelta(seconds=seconds)
        )
        attempt.refresh_from_db()
        if started:
            _event(attempt, AttemptEvent.Kind.STARTED, actor=actor, allowed_seconds=seconds)
    return attempt


def _attempts_used(registration):
    return registration.attempts.exclude(state=Attempt.State.READY).count()


def attempt_begin(*, sitting, user, now, access_code=None, language="en"):
    """Start (or resume) the candidate's attempt in a sitting, in `language` (one the sitting
    offers). Returns (attempt, created); a resumed attempt keeps its language."""
    registration = Registration.objects.filter(sitting=sitting, user=user).select_related("sitting").first()
    if registration is None:
        raise errors.NotRegistered()
    current = registration.attempts.filter(state=Attempt.State.IN_PROGRESS).first()
    if current is not None:
        current = attempt_close_if_overdue(attempt=current, now=now)
        if current.state == Attempt.State.IN_PROGRESS:
            _event(current, AttemptEvent.Kind.RESUMED, actor=user)
            return current, False
    if sitting.state != Sitting.State.OPEN:
        raise errors.SittingNotOpen(gettext("This sitting is not open."))
    if sitting.opens_at and now < sitting.opens_at:
        raise errors.SittingNotOpen(gettext("This sitting has not opened yet."))
    if sitting.closes_at and now > sitting.closes_at:
        raise errors.SittingNotOpen(gettext("The start window of this sitting has closed."))
    if registration.locked_at is not None:
        raise errors.RegistrationLocked()
    if sitting.invigilators.filter(pk=user.pk).exists():
        raise errors.ConflictOfInterest(
            gettext("You invigilate this sitting, so you cannot sit it as a candidate.")
        )
    if sitting.access_code and not access_code_matches(sitting.access_code, access_code):
        left = access_code_failure_record(registration=registration, now=now)
        if left <= 0:
            raise errors.RegistrationLocked()
        raise errors.WrongAccessCode(
            ngettext(
                "The access code is missing or wrong. Ask your invigilator for it; after %(left)d more "
                "wrong code your registration locks.",
                "The access code is missing or wrong. Ask your invigilator for it; after %(left)d more "
                "wrong codes your registration locks.",
                left,
            )
            % {"left": left}
        )
    language_check(sitting.certification, Purpose.EXAM, language or "en")
    missing = hooks.missing_prerequisites(user, sitting.certification)
    if missing:
        raise errors.NotEligible(
            gettext("You first need to hold: %(names)s.") % {"names": ", ".join(c.name for c in missing)}
        )
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.sitting = sitting  # the row just read; spares allowed_seconds a query
        running = registration.attempts.filter(state=Attempt.State.IN_PROGRESS).first()
        if running is not None:  # started by a concurrent request of the same candidate
            return running, False
        ready = registration.attempts.filter(state=Attempt.State.READY).first()
        if ready is None:
            if _attempts_used(registration) >= registration.attempts_allowed:
                raise errors.NoAttemptsLeft()
            try:
                with transaction.atomic():
                    ready = attempt_assemble(
                        user=user,
                        certification=sitting.certification,
                        registration=registration,
                        language=language or "en",
                    )
            except IntegrityError:
                ready = registration.attempts.get(state__in=[Attempt.State.READY, Attempt.State.IN_PROGRESS])
        elif ready.language != (language or "en"):
            ready = _ready_attempt_language_set(ready, language or "en")
        ready.registration = registration
        attempt = attempt_start(attempt=ready, now=now, actor=user)
    return attempt, True


def _ready_attempt_language_set(attempt, language):
    """A ready attempt drawn in advance (when its sitting opened) takes the language the
    candidate chose: the same questions in the same order, each in its version in `language`,
    the options in the same order by label. Called with the registration row locked."""
    from ..models import QuestionOption
    from ..selectors import versions_in_language

    items = list(AttemptItem.objects.filter(attempt=attempt).select_related("question_version"))
    versions = versions_in_language([i.question_version.question_id for i in items], language)
    if len(versions) < len(items):
        raise errors.LanguageNotOffered()
    old_labels = dict(
        QuestionOption.objects.filter(version_id__in=[i.question_version_id for i in items]).values_list(
            "id", "label"
        )
    )
    new_ids = {
        (version_id, label): option_id
        for option_id, version_id, label in QuestionOption.objects.filter(
            version_id__in=versions.values()
        ).values_list("id", "version_id", "label")
    }
    for item in items:
        version_id = versions[item.question_version.question_id]
        item.option_order = [new_ids[(version_id, old_labels[oid])] for oid in item.option_order]
        item.question_version_id = version_id
        item.language = language
    AttemptItem.objects.bulk_update(items, ["question_version", "language", "option_order"])
    Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.READY).update(language=language)
    attempt.language = language
    return attempt


ACCESS_CODE_MAX_FAILURES = 5


def access_code_failure_record(*, registration, now):
    """Count a wrong access code (committed at once, whatever the caller does next); lock the
    registration at the fifth. Returns how many tries are left."""
    with transaction.atomic():
        Registration.objects.filter(pk=registration.pk, locked_at__isnull=True).update(
            access_code_failures=F("access_code_failures") + 1
        )
        locked = Registration.objects.filter(
            pk=registration.pk, locked_at__isnull=True, access_code_failures__gte=ACCESS_CODE_MAX_FAILURES
        ).update(locked_at=now)
        if locked:
            audit_record(
                action="registration.locked",
                target=registration,
                reason=f"{ACCESS_CODE_MAX_FAILURES} wrong access codes",
            )
        failures = Registration.objects.filter(pk=registration.pk).values_list(
            "access_code_failures", flat=True
        )[0]
    return max(ACCESS_CODE_MAX_FAILURES - failures, 0)


def practice_attempt_begin(*, user, certification, now, language="en"):
    """Practice exams: not invigilated, unlimited, same engine, practice questions only."""
    language_check(certification, Purpose.PRACTICE, language or "en")
    attempt = attempt_assemble(
        user=user, certification=certification, purpose=Purpose.PRACTICE, language=language or "en"
    )
    return attempt_start(attempt=attempt, now=now, actor=user)


def attempt_close_if_overdue(*, attempt, now):
    """Lazy expiry: an in-progress attempt past deadline + grace is closed on access."""
    if attempt.state == Attempt.State.IN_PROGRESS and attempt.deadline and now > attempt.deadline + grace():
        attempt_expire(attempt=attempt, now=now)
        attempt.refresh_from_db()
    return attempt


def _answer_check(key, seq):
    if key is not None and (not isinstance(key, str) or len(key) != 1 or key not in KEYS):
        raise errors.InvalidAnswer(
            gettext("The answer must be one of the option letters, or null to clear it.")
        )
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise errors.InvalidAnswer(gettext("seq must be a non-negative integer."))


# The answer save in one statement (PostgreSQL): the item is updated only when the sequence
# number is newer and the letter names one of its options, the event is appended in the same
# statement, and the item as it now stands is returned either way (an older or repeated seq
# changes nothing and answers with what is stored). Run inside the transaction that holds the
# attempt's row lock.
_SAVE_SQL = """WITH upd AS (
    UPDATE "exams_attemptitem" SET
        "chosen_option_id" = CASE WHEN %(index)s::int IS NULL THEN NULL
                                  ELSE ("option_order" ->> %(index)s::int)::bigint END,
        "flagged" = COALESCE(%(flagged)s::boolean, "flagged"),
        "seq" = %(seq)s,
        "saved_at" = %(now)s
    WHERE "attempt_id" = %(attempt)s AND "position" = %(position)s AND "seq" < %(seq)s
      AND (%(index)s::int IS NULL OR jsonb_array_length("option_order") > %(index)s::int)
    RETURNING "position", "chosen_option_id", "option_order", "flagged", "seq", "saved_at"
), event AS (
    INSERT INTO "exams_attemptevent" ("attempt_id", "at", "kind", "actor_id", "data")
    SELECT %(attempt)s, %(now)s, %(kind)s, NULL, %(data)s::jsonb FROM upd
)
SELECT "position", "chosen_option_id", "option_order", "flagged", "seq", "saved_at", true FROM upd
UNION ALL
SELECT "position", "chosen_option_id", "option_order", "flagged", "seq", "saved_at", false FROM "exams_attemptitem"
WHERE "attempt_id" = %(attempt)s AND "position" = %(position)s AND NOT EXISTS (SELECT 1 FROM upd)
"""


def _answer_write_one_statement(*, locked, position, key, seq, now, flagged):
    index = None if key is None else KEYS.index(key)
    params = {
        "attempt": locked.pk,
        "position": position,
        "index": index,
        "flagged": None if flagged is None else bool(flagged),
        "seq": seq,
        "now": now,
        "kind": AttemptEvent.Kind.ANSWER_SAVED.value,
        "data": json.dumps({"position": position, "key": key, "seq": seq}),
    }
    with connection.cursor() as cursor:
        cursor.execute(_SAVE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise errors.InvalidAnswer(
            gettext("There is no question %(position)s in this attempt.") % {"position": position}
        )
    pos, chosen, order, is_flagged, stored_seq, saved_at, applied = row
    if isinstance(order, str | bytes):
        order = json.loads(order)
    if not applied and seq > stored_seq:  # newer, yet not applied: the letter is not an option
        raise errors.InvalidAnswer(
            gettext("Question %(position)s has no option %(key)s.") % {"position": position, "key": key}
        )
    return AttemptItem(
        attempt_id=locked.pk,
        position=pos,
        chosen_option_id=chosen,
        option_order=order,
        flagged=is_flagged,
        seq=stored_seq,
        saved_at=saved_at,
    )


def queued_at_check(queued_at, *, now):
    """The moment the client says it queued an answer (its estimate of the server's clock), or None
    when it gave none or one in the future (a clock that cannot be right)."""
    if queued_at is None or queued_at > now + timedelta(seconds=5):
        return None
    return queued_at


def _too_late(*, now, deadline, queued_at):
    """The grace rule: after the deadline, only an answer the client queued before it is taken."""
    return now > deadline and (queued_at is None or queued_at > deadline)


def _answer_write(*, locked, position, key, seq, now, flagged, queued_at=None):
    """Store one answer into an attempt whose row this transaction has locked."""
    if locked.state != Attempt.State.IN_PROGRESS or now > locked.deadline + grace():
        raise errors.AttemptClosed()
    if _too_late(now=now, deadline=locked.deadline, queued_at=queued_at):
        raise errors.AnswerTooLate()
    if connection.vendor == "postgresql":
        return _answer_write_one_statement(
            locked=locked, position=position, key=key, seq=seq, now=now, flagged=flagged
        )
    item = AttemptItem.objects.filter(attempt=locked, position=position).first()
    if item is None:
        raise errors.InvalidAnswer(
            gettext("There is no question %(position)s in this attempt.") % {"position": position}
        )
    if key is None:
        option_id = None
    else:
        index = KEYS.index(key)
        if index >= len(item.option_order):
            raise errors.InvalidAnswer(
                gettext("Question %(position)s has no option %(key)s.") % {"position": position, "key": key}
            )
        option_id = item.option_order[index]
    if seq > item.seq:
        item.chosen_option_id = option_id
        if flagged is not None:
            item.flagged = bool(flagged)
        item.seq = seq
        item.saved_at = now
        item.save(update_fields=["chosen_option", "flagged", "seq", "saved_at"])
        _event(locked, AttemptEvent.Kind.ANSWER_SAVED, position=position, key=key, seq=seq)
    return item


def answer_save(*, attempt, position, key, seq, now, flagged=None, queued_at=None):
    """Save one answer. Idempotent; an older sequence number never overwrites a newer one.
    After the deadline (during the grace period) only an answer queued before it is taken:
    `queued_at` is when the client queued it, by its estimate of the server's clock.

    The attempt row is locked for the duration, so a submit or expiry that races
    this save either sees the saved answer or makes this save fail: an answer
    the server acknowledged is always graded."""
    _answer_check(key, seq)
    attempt = attempt_close_if_overdue(attempt=attempt, now=now)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        item = _answer_write(
            locked=locked,
            position=position,
            key=key,
            seq=seq,
            now=now,
            flagged=flagged,
            queued_at=queued_at_check(queued_at, now=now),
        )
    return locked, item


# The columns the hot path needs of the locked attempt row (the API answers with its deadline).
_LOCKED_FIELDS = ("id", "user_id", "state", "deadline")

# The whole API save in one statement (PostgreSQL), in autocommit: one round trip and no
# BEGIN/COMMIT. `locked` takes the attempt's row lock (FOR UPDATE: never inlined, evaluated
# before the item is touched, and holding until the statement commits), so a submit, an expiry
# or a grading of the attempt is serialised with the save exactly as in a transaction; the item
# is written only while the attempt is in progress and within deadline + grace.
_SAVE_OWN_SQL = """WITH locked AS (
    SELECT "id", "state", "deadline" FROM "exams_attempt"
    WHERE "id" = %(attempt)s AND "user_id" = %(user)s
    FOR UPDATE
), open AS (
    SELECT "id" FROM locked
    WHERE "state" = %(in_progress)s AND %(now)s <= "deadline" + make_interval(secs => %(grace)s)
      AND (%(now)s <= "deadline" OR %(queued_at)s::timestamptz <= "deadline")
), upd AS (
    UPDATE "exams_attemptitem" SET
        "chosen_option_id" = CASE WHEN %(index)s::int IS NULL THEN NULL
                                  ELSE ("option_order" ->> %(index)s::int)::bigint END,
        "flagged" = COALESCE(%(flagged)s::boolean, "flagged"),
        "seq" = %(seq)s,
        "saved_at" = %(now)s
    WHERE "attempt_id" = (SELECT "id" FROM open) AND "position" = %(position)s AND "seq" < %(seq)s
      AND (%(index)s::int IS NULL OR jsonb_array_length("option_order") > %(index)s::int)
    RETURNING "position", "chosen_option_id", "option_order", "flagged", "seq", "saved_at"
), event AS (
    INSERT INTO "exams_attemptevent" ("attempt_id", "at", "kind", "actor_id", "data")
    SELECT %(attempt)s, %(now)s, %(kind)s, NULL, %(data)s::jsonb FROM upd
), item AS (
    SELECT "position", "chosen_option_id", "option_order", "flagged", "seq", "saved_at", true AS applied
    FROM upd
    UNION ALL
    SELECT "position", "chosen_option_id", "option_order", "flagged", "seq", "saved_at", false
    FROM "exams_attemptitem"
    WHERE "attempt_id" = (SELECT "id" FROM locked) AND "position" = %(position)s
      AND NOT EXISTS (SELECT 1 FROM upd)
)
SELECT locked."state", locked."deadline", item.*
FROM locked LEFT JOIN item ON true
"""


class _Stale(Exception):
    """The one-statement save read the item from a snapshot older than the lock it waited for."""


def _answer_save_own_one_statement(*, attempt_id, user, position, key, seq, now, flagged, queued_at=None):
    index = None if key is None else KEYS.index(key)
    params = {
        "attempt": attempt_id,
        "user": user.pk,
        "in_progress": Attempt.State.IN_PROGRESS.value,
        "grace": settings.EXAM_SAVE_GRACE_SECONDS,
        "position": position,
        "index": index,
        "flagged": None if flagged is None else bool(flagged),
        "seq": seq,
        "now": now,
        "queued_at": queued_at,
        "kind": AttemptEvent.Kind.ANSWER_SAVED.value,
        "data": json.dumps({"position": position, "key": key, "seq": seq}),
    }
    with connection.cursor() as cursor:
        cursor.execute(_SAVE_OWN_SQL, params)
        row = cursor.fetchone()
    if row is None:
        raise errors.NotFound()
    state, deadline, pos, chosen, order, is_flagged, stored_seq, saved_at, applied = row
    locked = Attempt(pk=attempt_id, user_id=user.pk, state=state, deadline=deadline)
    if state != Attempt.State.IN_PROGRESS:
        raise errors.AttemptClosed()
    if now > deadline + grace():
        return locked, None  # overdue: closed by the caller
    if _too_late(now=now, deadline=deadline, queued_at=queued_at):
        raise errors.AnswerTooLate()
    if pos is None:
        raise errors.InvalidAnswer(
            gettext("There is no question %(position)s in this attempt.") % {"position": position}
        )
    if isinstance(order, str | bytes):
        order = json.loads(order)
    if not applied and seq > stored_seq:
        if index is not None and index >= len(order):
            raise errors.InvalidAnswer(
                gettext("Question %(position)s has no option %(key)s.") % {"position": position, "key": key}
            )
        # A concurrent save of this attempt committed while this one waited for the lock: the
        # item was read from before it. Nothing was written; the caller redoes it in a transaction.
        raise _Stale()
    item = AttemptItem(
        attempt_id=attempt_id,
        position=pos,
        chosen_option_id=chosen,
        option_order=order,
        flagged=is_flagged,
        seq=stored_seq,
        saved_at=saved_at,
    )
    return locked, item


def answer_save_own(*, attempt_id, user, position, key, seq, now, flagged=None, queued_at=None):
    """answer_save for the candidate's own attempt, found and locked in one read (the hot
    path of the exam API). Another person's attempt is NotFound; an overdue one is closed
    (and graded) on the way, and the save refused.

    Database work on PostgreSQL: one statement (lock, write, event, answer). Elsewhere, and
    when that statement lost a race with a concurrent save of the same attempt: the locking
    read of the attempt row (the columns needed only), the write, and the commit."""
    _answer_check(key, seq)
    queued_at = queued_at_check(queued_at, now=now)
    if connection.vendor == "postgresql":
        try:
            locked, item = _answer_save_own_one_statement(
                attempt_id=attempt_id,
                user=user,
                position=position,
                key=key,
                seq=seq,
                now=now,
                flagged=flagged,
                queued_at=queued_at,
            )
        except _Stale:
            pass
        else:
            if item is not None:
                return locked, item
            attempt_close_if_overdue(attempt=locked, now=now)
            raise errors.AttemptClosed()
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update()
            .filter(pk=attempt_id, user=user)
            .only(*_LOCKED_FIELDS)
            .order_by()
            .first()
        )
        if locked is None:
            raise errors.NotFound()
        overdue = locked.state == Attempt.State.IN_PROGRESS and now > locked.deadline + grace()
        if not overdue:
            item = _answer_write(
                locked=locked,
                position=position,
                key=key,
                seq=seq,
                now=now,
                flagged=flagged,
                queued_at=queued_at,
            )
            return locked, item
    attempt_close_if_overdue(attempt=locked, now=now)
    raise errors.AttemptClosed()


# Answers one batch may carry: a page sends its queue in chunks of this size.
ANSWERS_PER_BATCH = 50


def answers_save_own(*, attempt_id, user, entries, now):
    """Several answers to the candidate's own attempt in one request, in the order given: what a
    page sends when it has queued more than one (the server was busy, the connection down).

    Each entry is {"position", "key", "seq", "flagged", "queued_at"} and is saved as
    answer_save_own saves one, under the attempt's row lock, which the first entry takes and the
    batch keeps until it commits. Bad input changes nothing: a wrong letter, a question the
    attempt has not, an empty or oversized batch refuse the whole batch (InvalidAnswer), as does
    a closed attempt (AttemptClosed). An answer given after the time was up is refused on its
    own (the others are kept). Returns (attempt, [item or None per entry]), None for a refusal."""
    if not entries or len(entries) > ANSWERS_PER_BATCH:
        raise errors.InvalidAnswer(
            gettext("Send between 1 and %(most)d answers at a time.") % {"most": ANSWERS_PER_BATCH}
        )
    for entry in entries:
        _answer_check(entry.get("key"), entry.get("seq"))
    locked, items = None, []
    try:
        with transaction.atomic():
            for entry in entries:
                try:
                    locked, item = answer_save_own(
                        attempt_id=attempt_id,
                        user=user,
                        position=entry["position"],
                        key=entry.get("key"),
                        seq=entry["seq"],
                        flagged=entry.get("flagged"),
                        queued_at=entry.get("queued_at"),
                        now=now,
                    )
                except errors.AnswerTooLate:
                    item = None
                items.append(item)
            if locked is None:  # every answer came too late: the attempt as it stands
                locked = (
                    Attempt.objects.filter(pk=attempt_id, user=user).only(*_LOCKED_FIELDS).order_by().first()
                )
    except errors.AttemptClosed:
        # The batch's transaction undid the lazy expiry answer_save_own began: done again here.
        attempt = Attempt.objects.filter(pk=attempt_id, user=user).first()
        if attempt is not None:
            attempt_close_if_overdue(attempt=attempt, now=now)
        raise
    return locked, items


def attempt_submit(*, attempt, now, actor=None):
    """Submit: idempotent. After deadline + grace the attempt expires instead."""
    attempt = attempt_close_if_overdue(attempt=attempt, now=now)
    with transaction.atomic():
        done = Attempt.objects.filter(
            pk=attempt.pk, state=Attempt.State.IN_PROGRESS, deadline__gte=now - grace()
        ).update(state=Attempt.State.SUBMITTED, finished_at=now)
        if done:
            attempt.refresh_from_db()
            _event(attempt, AttemptEvent.Kind.SUBMITTED, actor=actor)
    if done:
        attempt_grade(attempt_id=attempt.pk, now=now)
    attempt.refresh_from_db()
    return attempt


def attempt_expire(*, attempt, now):
    """Close an overdue attempt with the answers saved; finished_at is the deadline."""
    with transaction.atomic():
        done = Attempt.objects.filter(
            pk=attempt.pk, state=Attempt.State.IN_PROGRESS, deadline__lt=now - grace()
        ).update(state=Attempt.State.EXPIRED, finished_at=F("deadline"))
        if done:
            _event(attempt, AttemptEvent.Kind.EXPIRED)
    if done:
        attempt_grade(attempt_id=attempt.pk, now=now)
    return bool(done)


def attempts_expire_overdue(*, now):
    """The periodic sweep: expire overdue attempts and grade any left ungraded."""
    expired = 0
    overdue = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now - grace())
    for attempt in overdue.only("pk"):
        expired += attempt_expire(attempt=attempt, now=now)
    for attempt_id in Attempt.objects.filter(
        state__in=[Attempt.State.SUBMITTED, Attempt.State.EXPIRED]
    ).values_list("pk", flat=True):
        attempt_grade(attempt_id=attempt_id, now=now)
    return expired


def score(attempt):
    """(correct, total, by_topic) by option identity, never by the displayed letter."""
    items = AttemptItem.objects.filter(attempt=attempt).select_related(
        "chosen_option", "question_version__question__topic"
    )
    by_topic = {}
    correct = 0
    for item in items:
        topic = item.question_version.question.topic
        row = by_topic.setdefault(
            topic.code, {"topic": topic.name, "code": topic.code, "correct": 0, "total": 0}
        )
        row["total"] += 1
        if item.chosen_option is not None and item.chosen_option.is_correct:
            row["correct"] += 1
            correct += 1
    order = {t.code: (t.position, t.code) for t in attempt.certification.topics.all()}
    rows = sorted(by_topic.values(), key=lambda r: order.get(r["code"], (0, r["code"])))
    return correct, len(items), rows


def attempt_grade(*, attempt_id, now):
    """Grade a submitted or expired attempt exactly once, then send attempt_graded."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().filter(pk=attempt_id).first()
        if attempt is None or attempt.state not in (Attempt.State.SUBMITTED, Attempt.State.EXPIRED):
            return False
        correct, total, by_topic = score(attempt)
        passed = total > 0 and correct * 100 >= attempt.pass_mark * total
        done = Attempt.objects.filter(
            pk=attempt.pk, state__in=[Attempt.State.SUBMITTED, Attempt.State.EXPIRED]
        ).update(
            state=Attempt.State.GRADED,
            graded_at=now,
            correct=correct,
            total=total,
            passed=passed,
            by_topic=by_topic,
        )
        if not done:
            return False
        attempt.refresh_from_db()
        _event(attempt, AttemptEvent.Kind.GRADED, correct=correct, total=total, passed=passed)
        attempt_graded.send(sender=Attempt, attempt=attempt)
    return True


def _not_own(attempt, actor, message):
    if actor is not None and actor.pk == attempt.user_id:
        raise errors.ConflictOfInterest(message)


VOID_REASON_MAX_LENGTH = 500


def attempt_void(*, attempt, actor, reason, now):
    """Void an attempt (any state but voided) with a reason of 1..500 characters; the candidate is
    e-mailed who voided it and why once the transaction commits."""
    from accounts.background import enqueue_on_commit

    from ..tasks import attempt_void_notify

    _not_own(attempt, actor, gettext("You cannot void your own attempt."))
    reason = (reason or "").strip()
    if not reason:
        raise errors.InvalidTransition(gettext("A reason is required to void an attempt."))
    if len(reason) > VOID_REASON_MAX_LENGTH:
        raise errors.InvalidTransition(
            gettext("The reason can be at most %(limit)d characters long.")
            % {"limit": VOID_REASON_MAX_LENGTH}
        )
    with transaction.atomic():
        done = (
            Attempt.objects.filter(pk=attempt.pk)
            .exclude(state=Attempt.State.VOIDED)
            .update(state=Attempt.State.VOIDED, void_reason=reason, finished_at=now)
        )
        if not done:
            raise errors.InvalidTransition(gettext("This attempt is already voided."))
        _event(attempt, AttemptEvent.Kind.VOIDED, actor=actor, reason=reason)
        attempt.refresh_from_db()
        attempt_voided.send(sender=Attempt, attempt=attempt, actor=actor)
        enqueue_on_commit(attempt_void_notify, attempt.pk)
        _clock_publish_on_commit(attempt)
    return attempt


def extension_validate(*, minutes, reason):
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
        raise errors.InvalidTransition(gettext("Extra time must be between 1 and 240 minutes."))
    if not (reason or "").strip():
        raise errors.InvalidTransition(gettext("A reason is required to extend time."))


def extension_cap_minutes(attempt):
    """The most extension minutes an invigilator may give one attempt in total (an examiner may
    go beyond): EXAM_EXTENSION_CAP_MINUTES, or by default the exam's own duration."""
    return settings.EXAM_EXTENSION_CAP_MINUTES or attempt.certification.duration_minutes


def attempt_extend(*, attempt, minutes, reason, actor):
    """Give a running attempt more time (applies at once to its stored deadline). Nobody extends
    their own attempt; beyond the cap per attempt only an examiner may extend."""
    _not_own(attempt, actor, gettext("You cannot extend your own attempt."))
    extension_validate(minutes=minutes, reason=reason)
    cap = None if is_examiner(actor) else extension_cap_minutes(attempt)
    with transaction.atomic():
        running = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS)
        within = running if cap is None else running.filter(extended_minutes__lte=cap - minutes)
        done = within.update(
            deadline=F("deadline") + timedelta(minutes=minutes),
            extended_minutes=F("extended_minutes") + minutes,
        )
        if not done and running.exists():
            given = running.values_list("extended_minutes", flat=True)[0]
            raise errors.NeedsExaminer(
                gettext(
                    "This attempt already has %(given)s extra minutes; %(minutes)s more would pass the "
                    "%(cap)s minutes an invigilator may grant. An examiner must approve more."
                )
                % {"given": given, "minutes": minutes, "cap": cap}
            )
        if not done:
            raise errors.InvalidTransition(gettext("Only an attempt in progress can be extended."))
        _event(attempt, AttemptEvent.Kind.TIME_EXTENDED, actor=actor, minutes=minutes, reason=reason.strip())
        attempt.refresh_from_db()
        _clock_publish_on_commit(attempt)
    return attempt


def _clock_publish_on_commit(attempt):
    """A running exam page learns the new deadline or state within a poll (exams.clock)."""
    attempt_id, state, deadline = attempt.pk, attempt.state, attempt.deadline
    transaction.on_commit(lambda: clock_publish(attempt_id=attempt_id, state=state, deadline=deadline))


def attempt_client_event_record(*, attempt, kind, now):
    """Focus and connection events reported by the exam page (informational only)."""
    if kind not in CLIENT_EVENTS:
        raise errors.InvalidAnswer(gettext("Unknown event %(kind)r.") % {"kind": kind})
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise errors.AttemptClosed()
    return _event(attempt, kind, reported_at=now.isoformat())


def attempt_display_language_record(*, attempt, position, language, now):
    """The candidate shows question `position` in English (language "en") or back in the
    attempt's language, where the certification allows it: one event per switch. The version
    drawn, the option order and the answer stay as they are; only the display changes."""
    from ..selectors import english_switch_allowed

    if attempt.state != Attempt.State.IN_PROGRESS:
        raise errors.AttemptClosed()
    if not english_switch_allowed(attempt):
        raise errors.SwitchNotAllowed()
    if language not in ("en", attempt.language):
        raise errors.InvalidAnswer(
            gettext("A question can be shown in English or in %(language)s.") % {"language": attempt.language}
        )
    if not AttemptItem.objects.filter(attempt=attempt, position=position).exists():
        raise errors.InvalidAnswer(
            gettext("There is no question %(position)s in this attempt.") % {"position": position}
        )
    return _event(
        attempt,
        AttemptEvent.Kind.DISPLAY_LANGUAGE,
        actor=attempt.user,
        position=position,
        language=language,
        at=now.isoformat(),
    )


def open_attempts_q():
    return Q(state__in=[Attempt.State.READY, Attempt.State.IN_PROGRESS])
