"""/api/v1/oversight/trainings: the city plan, sessions, attendance (by hand or a sign-in sheet, all or nothing)
and the coverage of every poverty-alleviation cadre with those never trained this year (三(二)5)."""
import datetime as dt

from django.utils import timezone
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from sunshine.core.errors import ApplicationError
from sunshine.core.pagination import Pagination
from sunshine.org.selectors import person_get_for

from ..errors import OversightErrorCode
from ..selectors import training as selectors
from ..services import training as services
from ._i13b_common import ERRORS

router = Router(tags=["oversight"])
MAX_SHEET_BYTES = 5 * 1024 * 1024


class PlanIn(Schema):
    year: int = Field(ge=2000, le=2100)
    title: str = Field(max_length=120)
    content: str = Field("", max_length=5000)


class PlanOut(Schema):
    id: int
    year: int
    title: str
    content: str
    organiser: str
    session_count: int


class SessionIn(Schema):
    title: str = Field(max_length=120)
    held_on: dt.date
    plan_year: int | None = Field(None, description="所属年度培训计划")
    place: str = Field("", max_length=120)
    topics: str = Field("", max_length=300)
    covers_governance: bool = True


class SessionOut(Schema):
    id: int
    title: str
    held_on: dt.date
    organiser: str
    place: str
    topics: str
    covers_governance: bool
    attendance_count: int


class AttendanceIn(Schema):
    person_ids: list[int] = Field(min_length=1, max_length=500)


class AttendanceResult(Schema):
    added: int
    attendance_count: int


class CategoryOut(Schema):
    category: str
    cadres: int
    trained: int


class CadreOut(Schema):
    person_id: int
    name: str
    unit: str
    categories: list[str]
    sessions: int


class CoverageOut(Schema):
    year: int
    cadres: int
    trained: int
    rate: float | None
    by_category: list[CategoryOut]
    never_trained: list[CadreOut]


def _session_out(s, count: int | None = None) -> dict:
    return {"id": s.pk, "title": s.title, "held_on": s.held_on, "organiser": s.organiser.name, "place": s.place,
            "topics": s.topics, "covers_governance": s.covers_governance,
            "attendance_count": count if count is not None else getattr(s, "attendance_count", 0)}


@router.get("/plans", response={200: list[PlanOut], **ERRORS})
def list_plans(request):
    return [{"id": p.pk, "year": p.year, "title": p.title, "content": p.content, "organiser": p.organiser.name,
             "session_count": p.session_count} for p in selectors.training_plans(actor=request.auth)]


@router.post("/plans", response={201: PlanOut, **ERRORS})
def create_plan(request, payload: PlanIn):
    p = services.training_plan_create(actor=request.auth, year=payload.year, title=payload.title,
                                      content=payload.content)
    return 201, {"id": p.pk, "year": p.year, "title": p.title, "content": p.content, "organiser": p.organiser.name,
                 "session_count": 0}


@router.get("/sessions", response={200: list[SessionOut], **ERRORS})
@paginate(Pagination)
def list_sessions(request, year: int | None = Query(None, ge=2000, le=2100)):
    return [_session_out(s) for s in selectors.sessions_visible(actor=request.auth, year=year)]


@router.post("/sessions", response={201: SessionOut, **ERRORS})
def create_session(request, payload: SessionIn):
    plan = None
    if payload.plan_year:
        plan = selectors.training_plans(actor=request.auth).filter(year=payload.plan_year).first()
        if plan is None:
            raise ApplicationError(f"{payload.plan_year} 年培训计划尚未登记", code=OversightErrorCode.BAD_INPUT)
    s = services.training_session_create(actor=request.auth, title=payload.title, held_on=payload.held_on,
                                         plan=plan, place=payload.place, topics=payload.topics,
                                         covers_governance=payload.covers_governance)
    return 201, _session_out(s, 0)


@router.post("/sessions/{session_id}/attendance", response={200: AttendanceResult, **ERRORS},
             summary="Sign people in by hand")
def add_attendance(request, session_id: int, payload: AttendanceIn):
    session = selectors.session_get_for(actor=request.auth, pk=session_id)
    people = [person_get_for(actor=request.auth, pk=pk) for pk in payload.person_ids]
    added = services.attendance_add(actor=request.auth, session=session, people=people)
    return {"added": added, "attendance_count": session.attendances.count()}


@router.post("/sessions/{session_id}/sign-in-sheet", response={200: AttendanceResult, **ERRORS},
             summary="Import a sign-in sheet (XLSX/CSV: 姓名, 身份证号 or 手机号, 单位); all rows or none")
def import_sign_in_sheet(request, session_id: int, file: File[UploadedFile]):
    session = selectors.session_get_for(actor=request.auth, pk=session_id)
    if file.size > MAX_SHEET_BYTES:
        raise ApplicationError("签到表不能超过 5 MB", code=OversightErrorCode.ATTENDANCE_FILE)
    added = services.attendance_import(actor=request.auth, session=session, content=file.read(),
                                       filename=file.name or "sheet.csv")
    return {"added": added, "attendance_count": session.attendances.count()}


@router.get("/coverage", response={200: CoverageOut, **ERRORS},
            summary="Every poverty-alleviation cadre in reach: trained this year or not")
def coverage(request, year: int | None = Query(None, ge=2000, le=2100)):
    cov = selectors.training_coverage(actor=request.auth, year=year or timezone.localdate().year)
    return {"year": cov.year, "cadres": cov.total, "trained": cov.trained, "rate": cov.rate,
            "by_category": [{"category": c, "cadres": n, "trained": t} for c, n, t in cov.by_category()],
            "never_trained": [{"person_id": c.person.pk, "name": c.person.name,
                               "unit": c.person.unit.name if c.person.unit_id else "",
                               "categories": sorted(c.categories), "sessions": 0} for c in cov.never_trained]}
