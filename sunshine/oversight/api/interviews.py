"""/api/v1/oversight/interviews: the 约谈 list (zero problems, clues and cases) and the talks held (三(三)2)."""
import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from ..selectors import interviews as selectors
from ..services.interviews import interview_record
from ._common import ERRORS, MAX_ID, YearFilter

router = Router(tags=["oversight"])


class UnitRecordOut(Schema):
    unit_id: int
    unit: str
    member_order: int
    problems: int
    clues: int
    cases: int
    interviews_held: int
    on_list: bool


class InterviewOut(Schema):
    id: int
    unit_id: int
    unit: str
    year: int
    held_on: dt.date
    interviewer: str
    attendees: str
    outcome: str


class InterviewIn(Schema):
    unit_id: int = Field(..., ge=1, le=MAX_ID)
    year: int = Field(..., ge=2000, le=2100)
    held_on: dt.date | None = None
    interviewer: str = Field(..., max_length=120)
    attendees: str = Field(..., max_length=200)
    outcome: str = Field(..., max_length=5000)


def _record(r) -> UnitRecordOut:
    return UnitRecordOut(unit_id=r.unit_id, unit=r.unit, member_order=r.member_order, problems=r.problems,
                         clues=r.clues, cases=r.cases, interviews_held=r.interviews, on_list=r.zero)


def _out(i) -> InterviewOut:
    return InterviewOut(id=i.pk, unit_id=i.unit_id, unit=i.unit.name, year=i.year, held_on=i.held_on,
                        interviewer=i.interviewer, attendees=i.attendees, outcome=i.outcome)


@router.get("", response={200: list[InterviewOut], **ERRORS})
def list_interviews(request, filters: Query[YearFilter]):
    return [_out(i) for i in selectors.interview_list(actor=request.user, year=filters.year)]


@router.get("/candidates", response={200: list[UnitRecordOut], **ERRORS})
def candidates(request, filters: Query[YearFilter], all_units: bool = False):
    """The units to talk to (all member units with their figures when all_units is set)."""
    records = selectors.unit_records(actor=request.user, year=filters.year)
    return [_record(r) for r in records if all_units or r.zero]


@router.post("", response={201: InterviewOut, **ERRORS})
def record(request, payload: InterviewIn):
    unit = selectors.member_unit_get(actor=request.user, pk=payload.unit_id)
    interview = interview_record(actor=request.user, unit=unit, year=payload.year, held_on=payload.held_on,
                                 interviewer=payload.interviewer, attendees=payload.attendees,
                                 outcome=payload.outcome)
    return Status(201, _out(interview))
