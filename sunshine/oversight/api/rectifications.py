"""/api/v1/oversight/rectifications: 整改 items from any source, done reports and 回头看 (三(三)2)."""
import datetime as dt

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sunshine.core.pagination import Pagination
from sunshine.org.jurisdiction import get_visible
from sunshine.org.models import Region, Unit

from ..selectors import rectifications as selectors
from ..services import rectifications as services
from ._common import ERRORS, MAX_ID

router = Router(tags=["oversight"])


class RectificationOut(Schema):
    id: int
    source_kind: str
    source_id: int | None
    title: str
    description: str
    region: str | None
    owner_unit_id: int
    owner_unit: str
    deadline: dt.date
    status: str
    overdue: bool
    evidence: str
    done_on: dt.date | None
    confirmed_on: dt.date | None
    reopened_count: int

    @staticmethod
    def resolve_region(obj) -> str | None:
        return f"{obj.region.parent.name}{obj.region.name}" if obj.region_id and obj.region.parent_id else (
            obj.region.name if obj.region_id else None)

    @staticmethod
    def resolve_owner_unit(obj) -> str:
        return obj.owner_unit.name

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return selectors.is_overdue(obj)


class RectificationIn(Schema):
    source_kind: str = Field(..., description="case · visit · inspection · audit · presence · other")
    source_id: int | None = Field(None, ge=1, le=MAX_ID)
    title: str = Field(..., max_length=120)
    description: str = Field("", max_length=5000)
    owner_unit_id: int = Field(..., ge=1, le=MAX_ID)
    region_code: str | None = Field(None, max_length=15)
    deadline: dt.date


class DoneIn(Schema):
    evidence: str = Field(..., max_length=5000)


class FollowUpIn(Schema):
    outcome: str = Field(..., description="confirm (销号) · reopen (重新整改)")
    note: str = Field(..., max_length=5000)
    new_deadline: dt.date | None = None


class RectificationFilter(Schema):
    status: str | None = Field(None, max_length=12)
    overdue: bool = False
    source_kind: str | None = Field(None, max_length=16)


def _out(item) -> RectificationOut:
    return RectificationOut.from_orm(item)


@router.get("", response={200: list[RectificationOut], **ERRORS})
@paginate(Pagination)
def list_rectifications(request, filters: Query[RectificationFilter]):
    return selectors.rectification_list(actor=request.user, status=filters.status or "", overdue=filters.overdue,
                                        source_kind=filters.source_kind or "")


@router.post("", response={201: RectificationOut, **ERRORS})
def create_rectification(request, payload: RectificationIn):
    # Any unit of the city may be named responsible (unit names are not confidential); the region is checked.
    owner = Unit.objects.filter(pk=payload.owner_unit_id).first()
    region = None
    if payload.region_code:
        region = get_visible(Region.objects.all(), actor=request.user, code=payload.region_code)
    item = services.rectification_create(actor=request.user, source_kind=payload.source_kind,
                                         source_id=payload.source_id, title=payload.title,
                                         description=payload.description, owner_unit=owner, region=region,
                                         deadline=payload.deadline)
    return Status(201, _out(item))


@router.get("/{item_id}", response={200: RectificationOut, **ERRORS})
def get_rectification(request, item_id: int):
    return _out(selectors.rectification_get_for(actor=request.user, pk=item_id))


@router.post("/{item_id}/done", response={200: RectificationOut, **ERRORS})
def report_done(request, item_id: int, payload: DoneIn):
    item = selectors.rectification_get_for(actor=request.user, pk=item_id)
    return _out(services.rectification_report_done(actor=request.user, item=item, evidence=payload.evidence))


@router.post("/{item_id}/follow-ups", response={200: RectificationOut, **ERRORS})
def follow_up(request, item_id: int, payload: FollowUpIn):
    item = selectors.rectification_get_for(actor=request.user, pk=item_id)
    services.rectification_follow_up(actor=request.user, item=item, outcome=payload.outcome, note=payload.note,
                                     new_deadline=payload.new_deadline)
    return _out(selectors.rectification_get_for(actor=request.user, pk=item_id))
