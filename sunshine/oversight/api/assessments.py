"""/api/v1/oversight/assessments: the annual assessment of townships and city units (三(四)1), each score with the
figures behind it, and the 四责四诺 commitments with their year-end check."""
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from sunshine.org.selectors import unit_get_for

from ..choices_i13b import AssessedKind, CommitmentKind
from ..selectors import assessments as selectors
from ..services import assessments as services
from ._i13b_common import ERRORS

router = Router(tags=["oversight"])


class FigureOut(Schema):
    key: str
    label: str
    weight: Decimal
    done: int | None
    due: int
    rate: float
    score: Decimal
    explanation: str


class AssessmentOut(Schema):
    unit_id: int
    unit: str
    kind: str
    year: int
    score: Decimal
    weight_total: Decimal
    figures: list[FigureOut]


class AssessmentFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    kind: AssessedKind | None = None


class CommitmentIn(Schema):
    unit_id: int
    year: int = Field(ge=2000, le=2100)
    kind: CommitmentKind
    text: str = Field(max_length=300)


class CheckIn(Schema):
    kept: bool
    note: str = Field(max_length=300)


class CommitmentOut(Schema):
    id: int
    unit: str
    year: int
    kind: str
    text: str
    checked_on: str | None
    kept: bool | None
    check_note: str


def _out(a) -> dict:
    return {"unit_id": a.unit.pk, "unit": a.unit.name, "kind": a.kind, "year": a.year, "score": a.score,
            "weight_total": a.weight_total,
            "figures": [{"key": f.key, "label": f.label, "weight": f.weight, "done": f.done, "due": f.due,
                         "rate": round(f.rate, 4), "score": f.score, "explanation": f.explanation}
                        for f in a.figures]}


def _commitment_out(c) -> dict:
    return {"id": c.pk, "unit": c.unit.name, "year": c.year, "kind": c.kind, "text": c.text,
            "checked_on": c.checked_on.isoformat() if c.checked_on else None, "kept": c.kept,
            "check_note": c.check_note}


@router.get("", response={200: list[AssessmentOut], **ERRORS}, summary="Every assessed unit in reach, best first")
def list_assessments(request, filters: Query[AssessmentFilter]):
    year = filters.year or timezone.localdate().year
    return [_out(a) for a in selectors.assessments_visible(actor=request.auth, year=year, kind=filters.kind or "")]


@router.get("/commitments", response={200: list[CommitmentOut], **ERRORS})
def list_commitments(request, year: int | None = Query(None, ge=2000, le=2100)):
    return [_commitment_out(c) for c in selectors.commitments_visible(actor=request.auth, year=year)]


@router.post("/commitments", response={201: CommitmentOut, **ERRORS}, summary="Record a 四责四诺 commitment")
def add_commitment(request, payload: CommitmentIn):
    unit = unit_get_for(actor=request.auth, pk=payload.unit_id)
    c = services.commitment_add(actor=request.auth, unit=unit, year=payload.year, kind=payload.kind,
                                text=payload.text)
    return 201, _commitment_out(c)


@router.post("/commitments/{commitment_id}/check", response={200: CommitmentOut, **ERRORS},
             summary="The year-end check of a commitment")
def check_commitment(request, commitment_id: int, payload: CheckIn):
    commitment = selectors.commitments_visible(actor=request.auth).filter(pk=commitment_id).first()
    if commitment is None:
        from sunshine.core.errors import NotFound

        raise NotFound()
    return _commitment_out(services.commitment_check(actor=request.auth, commitment=commitment,
                                                     kept=payload.kept, note=payload.note))


@router.get("/{unit_id}", response={200: AssessmentOut, **ERRORS}, summary="One unit's assessment and its figures")
def get_assessment(request, unit_id: int, year: int | None = Query(None, ge=2000, le=2100)):
    return _out(selectors.assessment_get_for(actor=request.auth, unit_id=unit_id,
                                             year=year or timezone.localdate().year))
