"""Leader-led petitions (领办, 三(二)2): the office assigns, the leader instructs (批示) and meets the reporter.

A real-name led case cannot close until the meeting is recorded: `close_guard` is registered with the case desk
(cases.transitions.register_close_guard) in OversightConfig.ready, so the case desk refuses the close with the
reason and never imports oversight.
"""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError, Forbidden
from sunshine.org.capabilities import has_capability
from sunshine.org.choices import Post

from ..capabilities import FieldCapability
from ..errors import OversightErrorCode
from ..models import LeaderAssignment, LeaderInstruction, ReporterMeeting
from ._common import clean_text, not_future, require, today_local

# 三(二)2: the posts whose holders lead petitions (市级领导); the first two carry the larger quota.
LEADER_POSTS = (Post.PARTY_SECRETARY, Post.MAYOR, Post.CITY_LEADER)
MEETING_REQUIRED = "领办市领导须先与实名举报人上门见面,并登记见面的时间、地点、参加人员和见面情况"


def current_leader_position(person, *, on: dt.date):
    """The city-leader post `person` holds on `on`, or None."""
    from django.db.models import Q

    return (person.positions.filter(post__in=LEADER_POSTS, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).order_by("-start_date").first())


@transaction.atomic
def leader_assign(*, actor, case, leader, note: str = "", assigned_on: dt.date | None = None) -> LeaderAssignment:
    """The office hands `case` (fetched through cases.selectors with the actor) to a city leader to lead."""
    from sunshine.cases.choices import CaseStatus

    require(actor, FieldCapability.ASSIGN_PETITION)
    assigned_on = not_future(assigned_on or today_local(), field="交办日期")
    if current_leader_position(leader, on=assigned_on) is None:
        raise ApplicationError(f"{leader.name}不是在任的市级领导", code=OversightErrorCode.NOT_A_LEADER)
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError("已办结的案件不能交市领导领办", code=OversightErrorCode.CASE_CLOSED)
    try:
        with transaction.atomic():
            assignment = LeaderAssignment.objects.create(
                case=case, leader=leader, year=assigned_on.year, assigned_on=assigned_on, assigned_by=actor,
                note=clean_text(note, field="交办说明", max_length=500, required=False))
    except IntegrityError:
        raise ApplicationError("该案件已由市领导领办", code=OversightErrorCode.ALREADY_LED) from None
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=assignment,
                 detail={"petition": "assign", "case": case.pk, "leader": leader.pk})
    return assignment


def can_instruct(*, actor, assignment: LeaderAssignment) -> bool:
    """The leading leader gives 批示; the office records one on the leader's behalf."""
    if not has_capability(actor, FieldCapability.INSTRUCT):
        return False
    return actor.person_id == assignment.leader_id or has_capability(actor, FieldCapability.ASSIGN_PETITION)


@transaction.atomic
def leader_instruct(*, actor, assignment: LeaderAssignment, text: str,
                    given_on: dt.date | None = None) -> LeaderInstruction:
    require(actor, FieldCapability.INSTRUCT)
    if not can_instruct(actor=actor, assignment=assignment):
        raise Forbidden("只有领办的市领导可以作出批示")
    instruction = LeaderInstruction.objects.create(
        assignment=assignment, text=clean_text(text, field="批示内容", max_length=2000),
        given_on=not_future(given_on or today_local(), field="批示日期"), recorded_by=actor)
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=instruction,
                 detail={"petition": "instruct", "case": assignment.case_id})
    return instruction


@transaction.atomic
def meeting_record(*, actor, assignment: LeaderAssignment, met_on: dt.date, place: str, attendees: str,
                   summary: str) -> ReporterMeeting:
    """上门见面: the leader met the reporter in person; recorded by the leader or the office."""
    require(actor, FieldCapability.MEETING)
    if actor.person_id != assignment.leader_id and not has_capability(actor, FieldCapability.ASSIGN_PETITION):
        raise Forbidden("只有领办的市领导或市专项治理办可以登记见面情况")
    meeting = ReporterMeeting.objects.create(
        assignment=assignment, met_on=not_future(met_on, field="见面日期"),
        place=clean_text(place, field="见面地点", max_length=120),
        attendees=clean_text(attendees, field="参加人员", max_length=300),
        summary=clean_text(summary, field="见面情况", max_length=5000), recorded_by=actor)
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=meeting,
                 detail={"petition": "meeting", "case": assignment.case_id})
    return meeting


def close_guard(case) -> str:
    """三(二)2: 对实名举报的信访件,领办市领导要上门与信访举报人见面 — no close before the meeting is on record."""
    assignment = LeaderAssignment.objects.filter(case_id=case.pk).first()
    if assignment is None or not case.report.is_real_name:
        return ""
    if assignment.meetings.exists():
        return ""
    return f"{MEETING_REQUIRED}(领办市领导:{assignment.leader.name})"
