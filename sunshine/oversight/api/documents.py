"""/api/v1/oversight/documents: documents issued (re-forwards without measures flagged, 层层转发) and the register
of assessments of villages (only those set from above are registered) — 三(二)4. Also the project filing
handling times (审批登记备案制)."""
import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from sunshine.core.errors import ApplicationError
from sunshine.core.pagination import Pagination

from ..choices_i13b import AssessmentStatus, BasisLevel
from ..errors import OversightErrorCode
from ..models import IssuedDocument
from ..selectors import burden as selectors
from ..services import burden as services
from ._i13b_common import ERRORS, RefusedOut, UnitRef, region_by_code

router = Router(tags=["oversight"])


class DocumentIn(Schema):
    number: str = Field(max_length=60, description="文号")
    title: str = Field(max_length=200)
    issued_on: dt.date
    forwards_id: int | None = Field(None, description="转发的平台已登记文件")
    forwards_number: str = Field("", max_length=60, description="转发的外来上级文件文号")
    has_measures: bool = Field(False, description="是否结合实际出台了具体措施")


class DocumentOut(Schema):
    id: int
    issuer: UnitRef
    number: str
    title: str
    issued_on: dt.date
    forwards_number: str = Field(description="转发的上级文件文号(平台登记的或外来的)")
    has_measures: bool
    is_relay: bool = Field(description="层层转发:转发上级文件而未出台具体措施")
    chain_length: int = Field(description="转发链长度(本文件计 1)")


class DocumentFilter(Schema):
    relay_only: bool = False


class VillageAssessmentIn(Schema):
    title: str = Field(max_length=120)
    year: int = Field(ge=2000, le=2100)
    region_code: str = Field(max_length=15)
    basis_level: BasisLevel
    basis_document: str = Field("", max_length=80)


class VillageAssessmentOut(Schema):
    id: int
    organiser: UnitRef
    title: str
    year: int
    region_name: str
    basis_level: str
    basis_document: str
    status: str
    refusal_reason: str


class FilingUnitOut(Schema):
    unit: str
    projects: int
    filed: int
    median_days_to_approval: float | None
    median_days_to_filing: float | None
    median_days_total: float | None
    slowest_project: str | None
    slowest_days_total: int | None


class WaitingOut(Schema):
    project_id: int
    code: str
    name: str
    unit: str
    stage: str
    since: dt.date
    days: int


class WaitingPageOut(Schema):
    limit_days: int
    items: list[WaitingOut]
    count: int


def _doc_out(d: IssuedDocument) -> dict:
    return {"id": d.pk, "issuer": {"id": d.issuer_id, "name": d.issuer.name}, "number": d.number, "title": d.title,
            "issued_on": d.issued_on, "forwards_number": d.forwards.number if d.forwards_id else d.forwards_number,
            "has_measures": d.has_measures, "is_relay": d.is_relay,
            "chain_length": len(selectors.document_chain(d)) + (1 if d.forwards_number else 0)}


def _assessment_out(a) -> dict:
    return {"id": a.pk, "organiser": {"id": a.organiser_id, "name": a.organiser.name}, "title": a.title,
            "year": a.year, "region_name": a.region.name, "basis_level": a.basis_level,
            "basis_document": a.basis_document, "status": a.status, "refusal_reason": a.refusal_reason}


@router.get("", response={200: list[DocumentOut], **ERRORS}, summary="Documents issued; relay_only: 层层转发")
@paginate(Pagination)
def list_documents(request, filters: Query[DocumentFilter]):
    return [_doc_out(d) for d in selectors.documents_visible(actor=request.auth, relay_only=filters.relay_only)]


@router.post("", response={201: DocumentOut, **ERRORS}, summary="Register a document the caller's unit issued")
def register_document(request, payload: DocumentIn):
    forwards = (selectors.document_get_for(actor=request.auth, pk=payload.forwards_id)
                if payload.forwards_id else None)
    doc = services.document_register(actor=request.auth, number=payload.number, title=payload.title,
                                     issued_on=payload.issued_on, forwards=forwards,
                                     forwards_number=payload.forwards_number, has_measures=payload.has_measures)
    return 201, _doc_out(doc)


@router.get("/village-assessments", response={200: list[VillageAssessmentOut], **ERRORS},
            summary="Assessments of villages registered (and refused)")
@paginate(Pagination)
def list_village_assessments(request):
    return [_assessment_out(a) for a in selectors.village_assessments_visible(actor=request.auth)]


@router.post("/village-assessments",
             response={201: VillageAssessmentOut, 409: RefusedOut, **{k: v for k, v in ERRORS.items() if k != 409}},
             summary="Register an assessment of villages; refused (409) unless set from above")
def register_village_assessment(request, payload: VillageAssessmentIn):
    record = services.village_assessment_register(
        actor=request.auth, title=payload.title, year=payload.year, region=region_by_code(payload.region_code),
        basis_level=payload.basis_level, basis_document=payload.basis_document)
    if record.status == AssessmentStatus.REFUSED:
        raise ApplicationError(record.refusal_reason, code=OversightErrorCode.ASSESSMENT_REFUSED,
                               extra={"record_id": record.pk, "alternatives": []})
    return 201, _assessment_out(record)


@router.get("/project-filing/times", response={200: list[FilingUnitOut], **ERRORS},
            summary="审批登记备案: handling days application → approval → filing per township, median and slowest")
def filing_times(request, year: int | None = Query(None, ge=2000, le=2100)):
    rows = []
    for u in selectors.filing_times(actor=request.auth, year=year):
        slowest = u.slowest_total
        rows.append({"unit": u.unit_name, "projects": len(u.projects), "filed": u.filed_count,
                     "median_days_to_approval": u.median_approval, "median_days_to_filing": u.median_filing,
                     "median_days_total": u.median_total,
                     "slowest_project": slowest.project.name if slowest else None,
                     "slowest_days_total": slowest.total if slowest else None})
    return rows


@router.get("/project-filing/waiting", response={200: WaitingPageOut, **ERRORS},
            summary="Projects waiting for approval or filing longer than the year's limit")
def filing_waiting(request):
    limit, waiting = selectors.filing_waiting(actor=request.auth)
    items = [{"project_id": w.project.pk, "code": w.project.code, "name": w.project.name, "unit": w.unit_name,
              "stage": w.stage, "since": w.since, "days": w.days} for w in waiting]
    return {"limit_days": limit, "items": items, "count": len(items)}
