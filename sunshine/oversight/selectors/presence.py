"""在岗抽查 (三(三)2): each work-team member and pairing cadre with their checks this year; 挂名/走读 flagged."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from sunshine.core.plan import plan_int
from sunshine.org.capabilities import require
from sunshine.org.choices import Post
from sunshine.org.jurisdiction import get_visible, visible

from .. import plan
from ..capabilities import FieldCapability
from ..choices import ABSENT_RESULTS
from ..models import PresenceCheck
from ._year import held_on, year_of

CHECKED_POSTS = (Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER, Post.PAIRING_CADRE)


def checkable_positions(*, actor, as_of) -> QuerySet:
    """Work-team posts in the actor's territory, and pairing cadres of households the actor may see."""
    from sunshine.org.models import Household, Position

    require(actor, FieldCapability.VIEW)
    households = visible(Household.objects.filter(pairing_cadre__isnull=False), actor=actor)
    teams = visible(Position.objects.filter(post__in=[Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER]), actor=actor)
    return (Position.objects.filter(held_on(as_of))
            .filter(Q(pk__in=teams.values("pk"))
                    | Q(post=Post.PAIRING_CADRE, person_id__in=households.values("pairing_cadre_id")))
            .select_related("person", "unit", "unit__territory").order_by("unit__name", "post", "person__name"))


def position_get_for_check(*, actor, pk: int, as_of):
    """A position the actor may check today (404 otherwise)."""
    return _get(checkable_positions(actor=actor, as_of=as_of), pk)


def _get(qs, pk):
    from sunshine.core.errors import NotFound

    item = qs.filter(pk=pk).first()
    if item is None:
        raise NotFound()
    return item


def check_list(*, actor, year: int | None = None) -> QuerySet[PresenceCheck]:
    require(actor, FieldCapability.VIEW)
    qs = PresenceCheck.objects.select_related("position", "position__person", "position__unit", "village",
                                              "checked_by", "recall")
    if year:
        qs = qs.filter(checked_on__year=year)
    return visible(qs, actor=actor).order_by("-checked_on", "-pk")


def check_get_for(*, actor, pk: int) -> PresenceCheck:
    require(actor, FieldCapability.VIEW)
    return get_visible(PresenceCheck.objects.select_related("position"), actor=actor, pk=pk)


@dataclass
class PresenceRow:
    position_id: int
    person: str
    post: str
    unit: str
    checks: int
    absences: int
    results: list[str] = field(default_factory=list)  # "2026-03-02 不在岗", newest first

    flag_at: int = 2

    @property
    def paper_only(self) -> bool:
        """挂名/走读: absent (or only passing by) at least the plan's number of times this year."""
        return self.absences >= self.flag_at


def presence_overview(*, actor, year: int | None = None, today=None, flagged_only: bool = False) -> list[PresenceRow]:
    y = year_of(year, today=today)
    flag_at = plan_int(plan.PRESENCE_ABSENCES_FLAG, year=y.year)
    positions = list(checkable_positions(actor=actor, as_of=y.as_of))
    by_position: dict[int, list[PresenceCheck]] = defaultdict(list)
    for check in (PresenceCheck.objects.filter(position_id__in=[p.pk for p in positions],
                                               checked_on__gte=y.start, checked_on__lte=y.as_of)
                  .order_by("-checked_on")):
        by_position[check.position_id].append(check)
    rows = []
    for pos in positions:
        checks = by_position.get(pos.pk, [])
        rows.append(PresenceRow(
            position_id=pos.pk, person=pos.person.name, post=pos.get_post_display(),
            unit=pos.unit.short_name or pos.unit.name, checks=len(checks),
            absences=sum(1 for c in checks if c.result in ABSENT_RESULTS),
            results=[f"{c.checked_on:%m-%d} {c.get_result_display()}" for c in checks], flag_at=flag_at))
    rows.sort(key=lambda r: (-r.absences, r.checks, r.unit, r.person))
    if flagged_only:
        rows = [r for r in rows if r.paper_only]
    return rows
