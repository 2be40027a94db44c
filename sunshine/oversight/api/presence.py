"""/api/v1/oversight/presence-checks: 在岗抽查 of work teams and pairing cadres; who is 挂名/走读 (三(三)2)."""
import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from sunshine.org.jurisdiction import get_visible
from sunshine.org.models import Region

from ..selectors import presence as selectors
from ..services._common import today_local
from ..services.presence import presence_check_record
from ._common import ERRORS, MAX_ID, YearFilter

router = Router(tags=["oversight"])


class CheckOut(Schema):
    id: int
    position_id: int
    person: str
    post: str
    village: str
    checked_on: dt.date
    result: str
    note: str


class CheckIn(Schema):
    position_id: int = Field(..., ge=1, le=MAX_ID)
    village_code: str = Field(..., max_length=15)
    result: str = Field(..., description="present · on_leave · commuting (走读) · absent")
    checked_on: dt.date | None = None
    note: str = Field("", max_length=500)


class PresenceRowOut(Schema):
    position_id: int
    person: str
    post: str
    unit: str
    checks: int
    absences: int
    paper_only: bool


def _out(c) -> CheckOut:
    return CheckOut(id=c.pk, position_id=c.position_id, person=c.position.person.name,
                    post=c.position.get_post_display(), village=c.village.full_name, checked_on=c.checked_on,
                    result=c.result, note=c.note)


@router.get("", response={200: list[CheckOut], **ERRORS})
def list_checks(request, filters: Query[YearFilter]):
    return [_out(c) for c in selectors.check_list(actor=request.user, year=filters.year)[:500]]


@router.get("/overview", response={200: list[PresenceRowOut], **ERRORS})
def overview(request, filters: Query[YearFilter], flagged_only: bool = False):
    year = filters.year
    return [PresenceRowOut(position_id=r.position_id, person=r.person, post=r.post, unit=r.unit, checks=r.checks,
                           absences=r.absences, paper_only=r.paper_only)
            for r in selectors.presence_overview(actor=request.user, year=year, flagged_only=flagged_only)]


@router.post("", response={201: CheckOut, **ERRORS})
def record_check(request, payload: CheckIn):
    actor = request.user
    position = selectors.position_get_for_check(actor=actor, pk=payload.position_id,
                                                as_of=payload.checked_on or today_local())
    village = get_visible(Region.objects.all(), actor=actor, code=payload.village_code)
    check = presence_check_record(actor=actor, position=position, village=village, result=payload.result,
                                  checked_on=payload.checked_on, note=payload.note)
    return Status(201, _out(selectors.check_get_for(actor=actor, pk=check.pk)))
