"""Assessment endpoints of the JSON API. Thin: the selectors decide visibility (404 for anyone
who is not a member; examiners read), the services every rule."""

from datetime import datetime
from typing import Annotated

from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status

from . import errors, selectors, services
from .models import COMMENT_MAX, SCORE_MAX, SCORE_MIN
from .scale import scale_levels

router = Router(tags=["assessments"])

MAX_ID = 2**62
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Slug = Annotated[str, Path(max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")]


class ErrorOut(Schema):
    error: str
    detail: str


class ScaleLevelOut(Schema):
    value: int
    name: str
    summary: str


class ItemOut(Schema):
    id: int
    code: str
    text: str
    descriptors: dict[str, str]


class RequirementOut(Schema):
    code: str
    name: str
    kind: str
    items: list[ItemOut]


class InstrumentOut(Schema):
    version: str
    scale: list[ScaleLevelOut]
    requirements: list[RequirementOut]


class AssessmentIn(Schema):
    title: str = Field(min_length=1, max_length=200)


class ScopeOut(Schema):
    requirement: str
    in_scope: bool
    reason: str
    target: int


class ScoreOut(Schema):
    item_id: int
    item: str
    score: int
    comment: str
    seq: int
    changed_by: str | None
    changed_at: datetime


class AssessmentSummaryOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    instrument: str
    created_at: datetime
    submitted_at: datetime | None
    scored: int
    in_scope: int


class AssessmentOut(AssessmentSummaryOut):
    provider: str
    scope: list[ScopeOut]
    scores: list[ScoreOut]


class ScoreIn(Schema):
    score: int = Field(ge=SCORE_MIN, le=SCORE_MAX)
    comment: str | None = Field(default=None, max_length=COMMENT_MAX)
    seq: int = Field(ge=1, le=services.SEQ_MAX)


class ScoreSavedOut(ScoreOut):
    stale: bool


class RequirementResultOut(Schema):
    code: str
    name: str
    in_scope: bool
    target: int | None
    minimum: int | None
    mean: float | None
    met: bool
    below: list[str]


class GapOut(Schema):
    item: str
    requirement: str
    score: int | None
    target: int
    gap: int


class ReadinessOut(Schema):
    level: str
    name: str
    ready: bool
    missing: list[str]


class ResultsOut(Schema):
    id: int
    state: str
    requirements: list[RequirementResultOut]
    gaps: list[GapOut]
    readiness: list[ReadinessOut]


def _score_out(s):
    return {
        "item_id": s.item_id,
        "item": s.item.code,
        "score": s.score,
        "comment": s.comment,
        "seq": s.seq,
        "changed_by": s.changed_by.email if s.changed_by_id else None,
        "changed_at": s.changed_at,
    }


def _summary(a):
    progress = selectors.assessment_progress(a)
    return {
        "id": a.id,
        "title": a.title,
        "kind": a.kind,
        "state": a.state,
        "instrument": a.instrument.version,
        "created_at": a.created_at,
        "submitted_at": a.submitted_at,
        "scored": progress["scored"],
        "in_scope": progress["in_scope"],
    }


def _readable(request, assessment_id):
    found = selectors.assessment_for_reader(assessment_id=assessment_id, user=request.user)
    if found is None:
        raise Http404
    return found


@router.get("/assessment-instrument", response=InstrumentOut, auth=None)
def instrument(request):
    """The current FitSM-1 instrument: requirements, items, level descriptors and the scale."""
    current = selectors.instrument_current()
    if current is None:
        raise Http404
    return {
        "version": current.version,
        "scale": scale_levels(current),
        "requirements": [
            {
                "code": r.code,
                "name": r.name,
                "kind": r.kind,
                "items": [
                    {"id": i.id, "code": i.code, "text": i.text, "descriptors": i.descriptors or {}}
                    for i in r.items.all()
                ],
            }
            for r in selectors.instrument_requirements(current)
        ],
    }


@router.get("/providers/{slug}/assessments", response=list[AssessmentSummaryOut])
def provider_assessments(request, slug: Slug):
    found = selectors.provider_for_reader(slug=slug, user=request.user)
    if found is None:
        raise Http404
    return [_summary(a) for a in selectors.provider_assessments(found[0])]


@router.post(
    "/providers/{slug}/assessments",
    response={201: AssessmentSummaryOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def provider_assessment_create(request, slug: Slug, payload: AssessmentIn):
    found = selectors.provider_for_reader(slug=slug, user=request.user)
    if found is None:
        raise Http404
    assessment = services.assessment_create(provider=found[0], title=payload.title, actor=request.user)
    return Status(201, _summary(assessment))


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def assessment_detail(request, assessment_id: Id):
    assessment, _role = _readable(request, assessment_id)
    entries = selectors.scope_entries(assessment)
    requirements = selectors.instrument_requirements(assessment.instrument)
    scores = sorted(
        assessment.scores.select_related("item", "changed_by"), key=lambda s: selectors.code_key(s.item.code)
    )
    return _summary(assessment) | {
        "provider": assessment.provider.slug,
        "scope": [
            {
                "requirement": r.code,
                "in_scope": entries[r.pk].in_scope,
                "reason": entries[r.pk].reason,
                "target": entries[r.pk].target,
            }
            for r in requirements
            if r.pk in entries
        ],
        "scores": [_score_out(s) for s in scores],
    }


@router.put(
    "/assessments/{assessment_id}/items/{requirement_item_id}",
    response={200: ScoreSavedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def score_save(request, assessment_id: Id, requirement_item_id: Id, payload: ScoreIn):
    """Save one item's score. Idempotent by `seq`: a write with a sequence number not higher than
    the stored one changes nothing and answers the stored value with `stale: true`."""
    assessment, _role = _readable(request, assessment_id)
    item = selectors.assessment_item(assessment=assessment, item_id=requirement_item_id)
    if item is None:
        raise errors.NotFound(detail="This item is not part of the assessment's instrument.")
    row, stale = services.assessment_score_save(
        assessment=assessment,
        item=item,
        score=payload.score,
        comment=payload.comment,
        seq=payload.seq,
        actor=request.user,
        now=timezone.now(),
    )
    row.item = item
    return Status(200, _score_out(row) | {"stale": stale})


@router.get("/assessments/{assessment_id}/results", response=ResultsOut)
def assessment_results(request, assessment_id: Id):
    assessment, _role = _readable(request, assessment_id)
    results = selectors.assessment_results(assessment)
    return {
        "id": assessment.id,
        "state": assessment.state,
        "requirements": [
            {k: r[k] for k in RequirementResultOut.model_fields} for r in results["requirements"]
        ],
        "gaps": [
            {
                "item": g["item"].code,
                "requirement": g["requirement"].code,
                "score": g["score"],
                "target": g["target"],
                "gap": g["gap"],
            }
            for g in results["gaps"]
        ],
        "readiness": [
            {"level": r["level"].code, "name": r["level"].name, "ready": r["ready"], "missing": r["missing"]}
            for r in selectors.assessment_readiness(assessment)
        ],
    }
