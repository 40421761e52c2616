"""Exam endpoints of the JSON API. Thin: every rule is in exams.services."""

import json
from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder

from accounts.ratelimits import request_limited, request_over_limit

from . import errors, selectors, services
from .clock import clock_path
from .models import Attempt, Sitting
from .presentation import displayed_key

router = Router(tags=["exams"])


def answered(data):
    """The 200 answer of an answer save, rendered as django-ninja renders its response schema
    (the same encoder, the same content type) but without validating it again: every value is
    typed by the service already, and on the exam's busiest request that validation and
    rendering cost more CPU than the answer's own statement. The schema stays declared (the
    OpenAPI document); tests/exams/test_api_answer_response.py holds the body to it."""
    return HttpResponse(
        json.dumps(data, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )


# Bounds the database can hold: larger values answer 422 with the field named, never 500.
MAX_ID = 2**62
MAX_SEQ = 2**53  # the exam page's sequence is a millisecond clock: far below this
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Position = Annotated[int, Path(ge=1, le=1000)]


class CertificationOut(Schema):
    code: str
    name: str


class SittingOut(Schema):
    id: int
    certification: CertificationOut
    kind: str
    opens_at: datetime | None
    closes_at: datetime | None
    attempts_left: int
    state: str


class ErrorOut(Schema):
    error: str
    detail: str


class VoucherIn(Schema):
    code: str = Field(max_length=64)


class OptionOut(Schema):
    key: str
    text: str


class QuestionOut(Schema):
    position: int
    stem: str
    options: list[OptionOut]
    answer: str | None
    flagged: bool


class DisplayOut(QuestionOut):
    language: str = Field(description="The language of the wording shown.")


class AttemptOut(Schema):
    id: int
    state: str
    certification: CertificationOut
    started_at: datetime | None
    deadline: datetime | None
    server_now: datetime
    question_count: int
    language: str = Field(description="The language the attempt was drawn in.")
    english_switch: bool = Field(
        description="Whether one question at a time may be shown in English (POST .../display)."
    )
    questions: list[QuestionOut]
    clock_url: str = Field(
        description="Poll every few seconds for a changed deadline or state (no session needed)."
    )


class AnswerIn(Schema):
    key: str | None = Field(max_length=1)
    flagged: bool | None = None
    seq: int = Field(ge=0, le=MAX_SEQ)
    # When the page queued this answer, by its estimate of the server's clock: during the grace
    # period after the deadline only answers queued before the deadline are taken.
    queued_at: datetime | None = None


class AnswerOut(Schema):
    position: int
    key: str | None
    flagged: bool
    seq: int
    saved_at: datetime | None
    server_now: datetime
    deadline: datetime | None


class BatchAnswerIn(AnswerIn):
    position: int = Field(ge=1, le=1000)


class AnswersIn(Schema):
    answers: list[BatchAnswerIn] = Field(min_length=1, max_length=services.ANSWERS_PER_BATCH)


class BatchAnswerOut(Schema):
    position: int
    seq: int
    # null when the answer was taken (or was older than the stored one: the stored one is
    # shown), else why not ("answer_too_late"); key, flagged and saved_at are then the stored ones.
    refused: str | None
    key: str | None
    flagged: bool | None
    saved_at: datetime | None


class AnswersOut(Schema):
    answers: list[BatchAnswerOut]
    server_now: datetime
    deadline: datetime | None


class SubmitOut(Schema):
    id: int
    state: str


class TopicResult(Schema):
    topic: str
    correct: int
    total: int


class ReviewOptionOut(Schema):
    key: str
    text: str
    correct: bool | None
    chosen: bool


class ReviewOut(Schema):
    position: int
    stem: str
    options: list[ReviewOptionOut]
    answer: str | None
    key: str | None
    rationale: str | None
    reference: str | None
    correct: bool


class LinkOut(Schema):
    label: str
    url: str


class NextStepOut(Schema):
    heading: str
    text: str
    links: list[LinkOut]


class ResultOut(Schema):
    state: str
    purpose: str
    closed_book: bool
    disclosure: str
    correct: int | None
    total: int | None
    percent: float | None
    pass_mark: int
    passed: bool | None
    by_topic: list[TopicResult]
    review: list[ReviewOut]
    weakest_topics: list[TopicResult]
    retake_rule: str
    next_steps: list[NextStepOut]


class EventIn(Schema):
    kind: str = Field(max_length=40)


class BeginIn(Schema):
    access_code: str | None = Field(default=None, max_length=64)
    language: str | None = Field(default=None, max_length=8)


class DisplayIn(Schema):
    language: str = Field(max_length=8, description='"en", or the attempt\'s own language to switch back.')


def _cert(c):
    return {"code": c.code, "name": c.name}


def _sitting_out(registration):
    s = registration.sitting
    return {
        "id": s.id,
        "certification": _cert(s.certification),
        "kind": s.kind,
        "opens_at": s.opens_at,
        "closes_at": s.closes_at,
        "attempts_left": selectors.attempts_left(registration),
        "state": s.state,
    }


def _own_attempt(request, attempt_id, now):
    attempt = selectors.attempt_for_user(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        raise Http404
    return services.attempts.attempt_close_if_overdue(attempt=attempt, now=now)


def _attempt_out(attempt, now):
    questions = (
        selectors.attempt_items_for_candidate(attempt) if attempt.state == Attempt.State.IN_PROGRESS else []
    )
    return {
        "id": attempt.id,
        "state": attempt.state,
        "certification": _cert(attempt.certification),
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "server_now": now,
        "question_count": attempt.total or 0,
        "language": attempt.language,
        "english_switch": selectors.english_switch_allowed(attempt),
        "questions": questions,
        "clock_url": clock_path(attempt.id),
    }


@router.get("/me/sittings", response=list[SittingOut])
def my_sittings(request):
    return [_sitting_out(r) for r in selectors.registrations_for_user(user=request.user)]


@router.post(
    "/vouchers/redeem",
    response={
        200: SittingOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        410: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
)
def voucher_redeem(request, payload: VoucherIn):
    if request_limited(request, "voucher-redeem:user", user=True) or request_limited(
        request, "voucher-redeem:ip"
    ):
        raise errors.TooManyRequests()
    registration = services.voucher_redeem(code=payload.code, user=request.user, now=timezone.now())
    registration = selectors.registrations_for_user(user=request.user).get(pk=registration.pk)
    return Status(200, _sitting_out(registration))


@router.post(
    "/sittings/{sitting_id}/attempts",
    response={
        200: AttemptOut,
        201: AttemptOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
        423: ErrorOut,
        429: ErrorOut,
    },
)
def attempt_begin(request, sitting_id: Id, payload: BeginIn | None = None):
    sitting = get_object_or_404(Sitting.objects.select_related("certification"), pk=sitting_id)
    if sitting.access_code and request_over_limit(request, "access-code:ip"):
        raise errors.TooManyRequests()
    now = timezone.now()
    try:
        attempt, created = services.attempt_begin(
            sitting=sitting,
            user=request.user,
            now=now,
            access_code=payload.access_code if payload else None,
            language=(payload.language if payload else None) or "en",
        )
    except errors.WrongAccessCode:
        request_limited(request, "access-code:ip")  # wrong codes from one address are counted
        raise
    return Status((201 if created else 200), _attempt_out(attempt, now))


@router.get("/attempts/{attempt_id}", response={200: AttemptOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def attempt_detail(request, attempt_id: Id):
    now = timezone.now()
    return Status(200, _attempt_out(_own_attempt(request, attempt_id, now), now))


@router.put(
    "/attempts/{attempt_id}/answers/{position}",
    response={200: AnswerOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def answer_save(request, attempt_id: Id, position: Position, payload: AnswerIn):
    now = timezone.now()
    attempt, item = services.answer_save_own(
        attempt_id=attempt_id,
        user=request.user,
        position=position,
        key=payload.key,
        seq=payload.seq,
        flagged=payload.flagged,
        now=now,
        queued_at=payload.queued_at,
    )
    return answered(
        {
            "position": item.position,
            "key": displayed_key(item),
            "flagged": item.flagged,
            "seq": item.seq,
            "saved_at": item.saved_at,
            "server_now": now,
            "deadline": attempt.deadline,
        }
    )


@router.put(
    "/attempts/{attempt_id}/answers",
    response={200: AnswersOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def answers_save(request, attempt_id: Id, payload: AnswersIn):
    """Several queued answers in one request, in order (the exam page when it is behind)."""
    now = timezone.now()
    entries = [entry.dict() for entry in payload.answers]
    attempt, items = services.answers_save_own(
        attempt_id=attempt_id, user=request.user, entries=entries, now=now
    )
    out = []
    for entry, item in zip(entries, items, strict=True):
        if item is None:
            out.append(
                {
                    "position": entry["position"],
                    "seq": entry["seq"],
                    "refused": errors.AnswerTooLate.code,
                    "key": None,
                    "flagged": None,
                    "saved_at": None,
                }
            )
            continue
        out.append(
            {
                "position": item.position,
                "seq": item.seq,
                "refused": None,
                "key": displayed_key(item),
                "flagged": item.flagged,
                "saved_at": item.saved_at,
            }
        )
    return answered({"answers": out, "server_now": now, "deadline": attempt.deadline if attempt else None})


@router.post(
    "/attempts/{attempt_id}/items/{position}/display",
    response={200: DisplayOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def item_display(request, attempt_id: Id, position: Position, payload: DisplayIn):
    """Show one question in English, or back in the attempt's language, where the certification
    allows it: the same options in the same order (by label), the answer unchanged; each
    switch is recorded."""
    now = timezone.now()
    attempt = _own_attempt(request, attempt_id, now)
    services.attempt_display_language_record(
        attempt=attempt, position=position, language=payload.language, now=now
    )
    if payload.language == "en":
        return Status(200, selectors.attempt_item_in_english(attempt, position))
    items = selectors.attempt_items_for_candidate(attempt)
    return Status(200, items[position - 1])


@router.post(
    "/attempts/{attempt_id}/submit", response={200: SubmitOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def attempt_submit(request, attempt_id: Id):
    now = timezone.now()
    attempt = services.attempt_submit(
        attempt=_own_attempt(request, attempt_id, now), now=now, actor=request.user
    )
    return Status(200, {"id": attempt.id, "state": attempt.state})


@router.post(
    "/attempts/{attempt_id}/events",
    response={204: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def attempt_event(request, attempt_id: Id, payload: EventIn):
    now = timezone.now()
    services.attempt_client_event_record(
        attempt=_own_attempt(request, attempt_id, now), kind=payload.kind, now=now
    )
    return Status(204, None)


@router.get(
    "/attempts/{attempt_id}/result",
    response={200: ResultOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def attempt_result(request, attempt_id: Id):
    attempt = _own_attempt(request, attempt_id, timezone.now())
    if attempt.state in (
        Attempt.State.READY,
        Attempt.State.IN_PROGRESS,
        Attempt.State.SUBMITTED,
        Attempt.State.EXPIRED,
    ):
        raise errors.AttemptInProgress()
    result = selectors.attempt_result(attempt)
    result["next_steps"] = [
        {**s, "links": [{"label": label, "url": url} for label, url in s.get("links", [])]}
        for s in result["next_steps"]
    ]
    return Status(200, result)
