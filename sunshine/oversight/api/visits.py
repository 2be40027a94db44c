"""/api/v1/oversight/visits: record and list visits (调研督查); /visits/quotas: who is behind (三(二)1)."""
import datetime as dt

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sunshine.core.errors import NotFound
from sunshine.core.pagination import Pagination
from sunshine.org.jurisdiction import get_visible
from sunshine.org.models import Household, Person, Region

from ..choices import FindingAction
from ..selectors import visits as selectors
from ..services.visits import visit_record
from ._common import ERRORS, MAX_ID, YearFilter

router = Router(tags=["oversight"])


class VisitOut(Schema):
    id: int
    visitor_id: int
    visitor: str
    visited_on: dt.date
    village_code: str
    village: str
    household_code: str | None = None
    method: str
    companions: str
    findings: str
    report_id: int | None = None

    @staticmethod
    def resolve_visitor(obj) -> str:
        return obj.visitor.name

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village.code

    @staticmethod
    def resolve_village(obj) -> str:
        return f"{obj.village.parent.name}{obj.village.name}"

    @staticmethod
    def resolve_household_code(obj) -> str | None:
        return obj.household.code if obj.household_id else None


class VisitIn(Schema):
    village_code: str = Field(..., max_length=15)
    visited_on: dt.date
    method: str = Field(..., description="four_not_two 四不两直 · pinpoint 点穴式 · other")
    household_code: str | None = Field(None, max_length=32)
    companions: str = Field("", max_length=200)
    findings: str = Field("", max_length=5000)
    action: str = Field(FindingAction.NONE, description="none · report (问题线索) · rectification (整改事项)")
    problem_type_number: int | None = Field(None, ge=1, le=27)
    visitor_id: int | None = Field(None, ge=1, le=MAX_ID, description="the office records for someone else")


class VisitFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    village_code: str | None = Field(None, max_length=15)
    visitor_id: int | None = Field(None, ge=1, le=MAX_ID)


class QuotaOut(Schema):
    person_id: int
    person: str
    unit: str
    post: str
    rule: str
    kind: str
    quota: int
    months_in_post: int
    required: int
    done: int
    short: int
    unvisited: list[str]
    unvisited_count: int


def _out(v) -> VisitOut:
    return VisitOut.from_orm(v)


@router.get("", response={200: list[VisitOut], **ERRORS})
@paginate(Pagination)
def list_visits(request, filters: Query[VisitFilter]):
    village_id = None
    if filters.village_code:
        village = Region.objects.filter(code=filters.village_code).first()
        village_id = village.pk if village else -1
    return selectors.visit_list(actor=request.user, year=filters.year, village_id=village_id,
                                visitor_id=filters.visitor_id)


@router.post("", response={201: VisitOut, **ERRORS})
def create_visit(request, payload: VisitIn):
    actor = request.user
    village = Region.objects.filter(code=payload.village_code).first()
    if village is None:
        raise NotFound("未找到该村(社区)")
    household = None
    if payload.household_code:
        household = Household.objects.filter(code=payload.household_code, village=village).first()
        if household is None:
            raise NotFound("该村没有这个农户")
    visitor = None
    if payload.visitor_id is not None:
        visitor = get_visible(Person.objects.all(), actor=actor, pk=payload.visitor_id)
    visit = visit_record(actor=actor, village=village, visited_on=payload.visited_on, method=payload.method,
                         household=household, companions=payload.companions, findings=payload.findings,
                         visitor=visitor, action=payload.action, problem_type_number=payload.problem_type_number)
    return Status(201, _out(selectors.visit_get_for(actor=actor, pk=visit.pk)))


@router.get("/quotas", response={200: list[QuotaOut], **ERRORS})
def visit_quotas(request, filters: Query[YearFilter], behind_only: bool = False):
    rows = selectors.visit_quotas(actor=request.user, year=filters.year, behind_only=behind_only)
    return [QuotaOut(person_id=r.person_id, person=r.person, unit=r.unit, post=r.post, rule=r.rule, kind=r.kind,
                     quota=r.quota, months_in_post=r.months, required=r.required, done=r.done, short=r.short,
                     unvisited=r.missing, unvisited_count=r.missing_count) for r in rows]


@router.get("/{visit_id}", response={200: VisitOut, **ERRORS})
def get_visit(request, visit_id: int):
    return _out(selectors.visit_get_for(actor=request.user, pk=visit_id))
