"""Leader-led petitions (三(二)2): each city leader's taken / in progress / closed against the year's quota."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from sunshine.core.plan import plan_int
from sunshine.org.capabilities import require
from sunshine.org.choices import Post
from sunshine.org.jurisdiction import get_visible, visible

from .. import plan
from ..capabilities import FieldCapability
from ..models import LeaderAssignment, ReporterMeeting
from ._year import held_on, months_in_post, pro_rated, year_of


def assignment_list(*, actor, year: int | None = None, leader_id: int | None = None) -> QuerySet[LeaderAssignment]:
    require(actor, FieldCapability.VIEW)
    qs = (LeaderAssignment.objects.select_related("case", "case__report", "case__handling_unit", "leader")
          .annotate(has_meeting=Exists(ReporterMeeting.objects.filter(assignment=OuterRef("pk")))))
    if year:
        qs = qs.filter(year=year)
    if leader_id:
        qs = qs.filter(leader_id=leader_id)
    return visible(qs, actor=actor).order_by("-assigned_on", "-pk")


def assignment_get_for(*, actor, pk: int) -> LeaderAssignment:
    require(actor, FieldCapability.VIEW)
    return get_visible(LeaderAssignment.objects.select_related("case", "case__report", "leader"), actor=actor, pk=pk)


def awaiting_meeting(assignment) -> bool:
    """A real-name led case still open whose reporter the leader has not met."""
    from sunshine.cases.choices import CaseStatus

    return (assignment.case.report.is_real_name and assignment.case.status != CaseStatus.CLOSED
            and not getattr(assignment, "has_meeting", assignment.meetings.exists()))


@dataclass
class LeaderRow:
    person_id: int
    person: str
    post: str
    quota: int
    months: int
    required: int
    taken: int
    in_progress: int
    closed: int
    awaiting_meeting: int

    @property
    def short(self) -> int:
        return max(0, self.required - self.taken)

    @property
    def behind(self) -> bool:
        return self.short > 0


def petition_quotas(*, actor, year: int | None = None, today=None) -> list[LeaderRow]:
    """Every city leader in post on the year's date, with the cases they took that year (the office sees all)."""
    from sunshine.cases.choices import CaseStatus
    from sunshine.org.models import Position

    require(actor, FieldCapability.VIEW)
    y = year_of(year, today=today)
    big = plan_int(plan.PETITIONS_SECRETARY_MAYOR, year=y.year)
    other = plan_int(plan.PETITIONS_CITY_LEADER, year=y.year)
    positions = (Position.objects.filter(held_on(y.as_of), post__in=[Post.PARTY_SECRETARY, Post.MAYOR,
                                                                     Post.CITY_LEADER])
                 .select_related("person").order_by("post", "person__name"))
    assignments = list(LeaderAssignment.objects.filter(year=y.year).select_related("case", "case__report")
                       .annotate(has_meeting=Exists(ReporterMeeting.objects.filter(assignment=OuterRef("pk")))))
    rows = []
    order = {Post.PARTY_SECRETARY: 0, Post.MAYOR: 1, Post.CITY_LEADER: 2}
    for pos in sorted(visible(positions, actor=actor), key=lambda p: (order[p.post], p.person.name)):
        quota = big if pos.post in (Post.PARTY_SECRETARY, Post.MAYOR) else other
        months = months_in_post(pos.start_date, y)
        mine = [a for a in assignments if a.leader_id == pos.person_id]
        closed = sum(1 for a in mine if a.case.status == CaseStatus.CLOSED)
        rows.append(LeaderRow(person_id=pos.person_id, person=pos.person.name, post=pos.title or pos.get_post_display(),
                              quota=quota, months=months, required=pro_rated(quota, months), taken=len(mine),
                              in_progress=len(mine) - closed, closed=closed,
                              awaiting_meeting=sum(1 for a in mine if awaiting_meeting(a))))
    return rows


def leader_candidates(*, on):
    """Current city leaders the office may hand a case to."""
    from sunshine.org.models import Person

    return (Person.objects.filter(positions__post__in=[Post.PARTY_SECRETARY, Post.MAYOR, Post.CITY_LEADER])
            .filter(positions__in=_held(on)).distinct().order_by("name"))


def _held(on):
    from sunshine.org.models import Position

    return Position.objects.filter(held_on(on), post__in=[Post.PARTY_SECRETARY, Post.MAYOR, Post.CITY_LEADER])
