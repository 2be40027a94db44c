"""/api/v1/oversight/inspections: inspections and audits with their targets and findings, coverage of every
project and fund, and the units and fields proposed for special inspection or audit (三(三)2)."""
import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from sunshine.core.pagination import Pagination
from sunshine.funds import selectors as funds_selectors
from sunshine.org.selectors import unit_get_for

from ..choices_i13b import InspectionKind
from ..selectors import inspections as selectors
from ..services import inspections as services
from ._i13b_common import ERRORS, region_by_code

router = Router(tags=["oversight"])


class InspectionIn(Schema):
    kind: InspectionKind
    title: str = Field(max_length=160)
    region_code: str = Field(max_length=15, description="所在区域(乡镇或全市)")
    started_on: dt.date
    ended_on: dt.date | None = None
    is_special: bool = False
    reason: str = Field("", max_length=300, description="专项巡察/审计的立项理由")
    unit_ids: list[int] = Field(default_factory=list, max_length=200)
    project_ids: list[int] = Field(default_factory=list, max_length=500)
    allocation_ids: list[int] = Field(default_factory=list, max_length=500)


class TargetOut(Schema):
    kind: str
    id: int
    name: str


class InspectionOut(Schema):
    id: int
    kind: str
    kind_name: str
    title: str
    conducted_by: str
    region_name: str
    started_on: dt.date
    ended_on: dt.date | None
    is_special: bool
    reason: str
    targets: list[TargetOut]


class FindingIn(Schema):
    unit_id: int
    text: str = Field(max_length=2000)
    deadline: dt.date
    amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class FindingOut(Schema):
    id: int
    unit: str
    text: str
    amount: Decimal | None
    status: str
    rectification_id: int | None


class CoverageOut(Schema):
    projects_total: int
    projects_covered: int
    allocations_total: int
    allocations_covered: int
    money_total: Decimal
    money_covered: Decimal
    uncovered_projects: list[TargetOut]
    uncovered_allocations: list[TargetOut]


class ProposalOut(Schema):
    kind: str
    name: str
    clues: int
    clue_average: float
    money: Decimal
    money_average: Decimal
    reasons: list[str]
    already_special: bool


def _targets(inspection) -> list[dict]:
    out = []
    for t in selectors.inspection_targets(inspection=inspection):
        if t.unit_id:
            out.append({"kind": "unit", "id": t.unit_id, "name": t.unit.name})
        elif t.project_id:
            out.append({"kind": "project", "id": t.project_id, "name": t.project.name})
        else:
            out.append({"kind": "allocation", "id": t.allocation_id, "name": str(t.allocation)})
    return out


def _out(i) -> dict:
    return {"id": i.pk, "kind": i.kind, "kind_name": i.get_kind_display(), "title": i.title,
            "conducted_by": i.conducted_by.name, "region_name": i.region.name, "started_on": i.started_on,
            "ended_on": i.ended_on, "is_special": i.is_special, "reason": i.reason, "targets": _targets(i)}


@router.get("", response={200: list[InspectionOut], **ERRORS})
@paginate(Pagination)
def list_inspections(request, kind: InspectionKind | None = None):
    return [_out(i) for i in selectors.inspections_visible(actor=request.auth, kind=kind or "")]


@router.post("", response={201: InspectionOut, **ERRORS}, summary="Register an inspection or audit with targets")
def create_inspection(request, payload: InspectionIn):
    actor = request.auth
    units = [unit_get_for(actor=actor, pk=pk) for pk in payload.unit_ids]
    projects = [funds_selectors.project_get_for(actor=actor, pk=pk) for pk in payload.project_ids]
    allocations = [funds_selectors.allocation_get_for(actor=actor, pk=pk) for pk in payload.allocation_ids]
    inspection = services.inspection_create(
        actor=actor, kind=payload.kind, title=payload.title, region=region_by_code(payload.region_code),
        started_on=payload.started_on, ended_on=payload.ended_on, is_special=payload.is_special,
        reason=payload.reason, units=units, projects=projects, allocations=allocations)
    return 201, _out(inspection)


@router.get("/coverage", response={200: CoverageOut, **ERRORS},
            summary="Every current project and fund allocation: covered by an inspection or audit or not")
def coverage(request):
    c = selectors.inspection_coverage(actor=request.auth)
    return {**{k: getattr(c, k) for k in ("projects_total", "projects_covered", "allocations_total",
                                          "allocations_covered", "money_total", "money_covered")},
            "uncovered_projects": [{"kind": "project", "id": p.pk, "name": p.name} for p in c.uncovered_projects],
            "uncovered_allocations": [{"kind": "allocation", "id": a.pk, "name": str(a)}
                                      for a in c.uncovered_allocations]}


@router.get("/proposals", response={200: list[ProposalOut], **ERRORS},
            summary="Units and fields proposed for special inspection or audit, with their figures")
def proposals(request, year: int | None = Query(None, ge=2000, le=2100)):
    rows = selectors.special_proposals(actor=request.auth, year=year or timezone.localdate().year)
    return [{"kind": p.kind, "name": p.name, "clues": p.clues, "clue_average": p.clue_average, "money": p.money,
             "money_average": p.money_average, "reasons": p.reasons, "already_special": p.already_special}
            for p in rows]


@router.get("/{inspection_id}", response={200: InspectionOut, **ERRORS})
def get_inspection(request, inspection_id: int):
    return _out(selectors.inspection_get_for(actor=request.auth, pk=inspection_id))


@router.get("/{inspection_id}/findings", response={200: list[FindingOut], **ERRORS})
def list_findings(request, inspection_id: int):
    inspection = selectors.inspection_get_for(actor=request.auth, pk=inspection_id)
    return [_finding_out(f) for f in selectors.inspection_findings(inspection=inspection)]


@router.post("/{inspection_id}/findings", response={201: FindingOut, **ERRORS},
             summary="Record a finding; it becomes a rectification item of the responsible unit")
def add_finding(request, inspection_id: int, payload: FindingIn):
    inspection = selectors.inspection_get_for(actor=request.auth, pk=inspection_id)
    unit = unit_get_for(actor=request.auth, pk=payload.unit_id)
    finding = services.inspection_finding_add(actor=request.auth, inspection=inspection, unit=unit,
                                              text=payload.text, deadline=payload.deadline, amount=payload.amount)
    return 201, _finding_out(finding)


def _finding_out(f) -> dict:
    return {"id": f.pk, "unit": f.unit.name, "text": f.text, "amount": f.amount, "status": f.status,
            "rectification_id": f.rectification_id}
