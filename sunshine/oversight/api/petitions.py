"""/api/v1/oversight/petitions: leader-led cases (领办), 批示, meetings, and each leader's quota (三(二)2)."""
import datetime as dt

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sunshine.cases import selectors as case_selectors
from sunshine.core.pagination import Pagination

from ..selectors import petitions as selectors
from ..services import petitions as services
from ._common import ERRORS, MAX_ID, YearFilter

router = Router(tags=["oversight"])


class PetitionOut(Schema):
    id: int
    case_id: int
    case_number: str | None
    case_status: str
    real_name: bool
    leader_id: int
    leader: str
    year: int
    assigned_on: dt.date
    note: str
    has_meeting: bool
    awaiting_meeting: bool


class PetitionIn(Schema):
    case_id: int = Field(..., ge=1, le=MAX_ID)
    leader_id: int = Field(..., ge=1, le=MAX_ID)
    note: str = Field("", max_length=500)


class InstructionIn(Schema):
    text: str = Field(..., max_length=2000)


class InstructionOut(Schema):
    id: int
    text: str
    given_on: dt.date


class MeetingIn(Schema):
    met_on: dt.date
    place: str = Field(..., max_length=120)
    attendees: str = Field(..., max_length=300)
    summary: str = Field(..., max_length=5000)


class MeetingOut(Schema):
    id: int
    met_on: dt.date
    place: str
    attendees: str
    summary: str


class LeaderQuotaOut(Schema):
    person_id: int
    person: str
    post: str
    quota: int
    months_in_post: int
    required: int
    taken: int
    in_progress: int
    closed: int
    short: int
    awaiting_meeting: int


class PetitionFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    leader_id: int | None = Field(None, ge=1, le=MAX_ID)


def _out(a) -> PetitionOut:
    has_meeting = getattr(a, "has_meeting", None)
    if has_meeting is None:
        has_meeting = a.meetings.exists()
    a.has_meeting = has_meeting
    return PetitionOut(id=a.pk, case_id=a.case_id, case_number=a.case.number, case_status=a.case.status,
                       real_name=a.case.report.is_real_name, leader_id=a.leader_id, leader=a.leader.name,
                       year=a.year, assigned_on=a.assigned_on, note=a.note, has_meeting=bool(has_meeting),
                       awaiting_meeting=selectors.awaiting_meeting(a))


@router.get("", response={200: list[PetitionOut], **ERRORS})
@paginate(Pagination)
def list_petitions(request, filters: Query[PetitionFilter]):
    return [_out(a) for a in selectors.assignment_list(actor=request.user, year=filters.year,
                                                       leader_id=filters.leader_id)]


@router.post("", response={201: PetitionOut, **ERRORS})
def assign_petition(request, payload: PetitionIn):
    from sunshine.org.jurisdiction import get_visible
    from sunshine.org.models import Person

    actor = request.user
    case = case_selectors.case_get_for(actor=actor, pk=payload.case_id)
    leader = get_visible(Person.objects.all(), actor=actor, pk=payload.leader_id)
    assignment = services.leader_assign(actor=actor, case=case, leader=leader, note=payload.note)
    return Status(201, _out(selectors.assignment_get_for(actor=actor, pk=assignment.pk)))


@router.get("/quotas", response={200: list[LeaderQuotaOut], **ERRORS})
def petition_quotas(request, filters: Query[YearFilter]):
    year = filters.year
    return [LeaderQuotaOut(person_id=r.person_id, person=r.person, post=r.post, quota=r.quota,
                           months_in_post=r.months, required=r.required, taken=r.taken, in_progress=r.in_progress,
                           closed=r.closed, short=r.short, awaiting_meeting=r.awaiting_meeting)
            for r in selectors.petition_quotas(actor=request.user, year=year)]


@router.get("/{petition_id}", response={200: PetitionOut, **ERRORS})
def get_petition(request, petition_id: int):
    return _out(selectors.assignment_get_for(actor=request.user, pk=petition_id))


@router.post("/{petition_id}/instructions", response={201: InstructionOut, **ERRORS})
def instruct(request, petition_id: int, payload: InstructionIn):
    assignment = selectors.assignment_get_for(actor=request.user, pk=petition_id)
    i = services.leader_instruct(actor=request.user, assignment=assignment, text=payload.text)
    return Status(201, InstructionOut(id=i.pk, text=i.text, given_on=i.given_on))


@router.post("/{petition_id}/meetings", response={201: MeetingOut, **ERRORS})
def record_meeting(request, petition_id: int, payload: MeetingIn):
    assignment = selectors.assignment_get_for(actor=request.user, pk=petition_id)
    m = services.meeting_record(actor=request.user, assignment=assignment, met_on=payload.met_on,
                                place=payload.place, attendees=payload.attendees, summary=payload.summary)
    return Status(201, MeetingOut(id=m.pk, met_on=m.met_on, place=m.place, attendees=m.attendees,
                                  summary=m.summary))
