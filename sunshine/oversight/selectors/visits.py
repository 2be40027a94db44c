"""Visits and the visit quotas of 三(二)1, computed per person for a year from the visit records.

The quotas (values from oversight.plan, per year):
- each city leader (市委书记, 市长, 市级领导) ≥ VISITS_CITY_LEADER visits;
- the party secretary and the mayor have visited every poor village;
- each member-unit principal ≥ VISITS_MEMBER_PRINCIPAL visits;
- each township party secretary and township head has visited every village of the township;
- each village party secretary and village director has visited every poor household of the village.

Which places count for a year (the rule chosen where the plan is silent):
- a poor village of the year is a village on the list on 1 January: still poor, or left the list (摘帽) during the
  year (`poor_exited_on` in the year) — the plan's 走访所有贫困村 is the year's list; a village that left in an
  earlier year is not counted;
- a poor household of the year is one not yet out of poverty, or one that left poverty this year
  (`status_year` = the year); 监测户 are not poor households;
- a visit to a household is a visit to its village too.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from sunshine.core.plan import plan_int
from sunshine.org.capabilities import require
from sunshine.org.choices import Post, PovertyStatus, RegionLevel
from sunshine.org.jurisdiction import get_visible, visible

from .. import plan
from ..capabilities import FieldCapability
from ..models import Visit
from ._year import Year, held_on, months_in_post, pro_rated, year_of

COUNT = "count"
COVERAGE = "coverage"
MAX_MISSING_SHOWN = 50  # the page lists this many unvisited places per person, then "and N more"


def visit_list(*, actor, year: int | None = None, village_id: int | None = None,
               visitor_id: int | None = None) -> QuerySet[Visit]:
    require(actor, FieldCapability.VIEW)
    qs = Visit.objects.select_related("visitor", "visitor_unit", "village", "village__parent", "household",
                                      "report")
    if year:
        qs = qs.filter(visited_on__year=year)
    if village_id:
        qs = qs.filter(village_id=village_id)
    if visitor_id:
        qs = qs.filter(visitor_id=visitor_id)
    return visible(qs, actor=actor).order_by("-visited_on", "-pk")


def visit_get_for(*, actor, pk: int) -> Visit:
    require(actor, FieldCapability.VIEW)
    return get_visible(Visit.objects.select_related("visitor", "village", "household", "report"), actor=actor, pk=pk)


@dataclass
class QuotaRow:
    """One person's standing against one quota."""

    person_id: int
    person: str
    unit: str
    post: str
    rule: str  # what is asked, in words
    kind: str  # COUNT or COVERAGE
    quota: int  # the full-year quota (for a coverage: the number of places)
    months: int  # months in post this year (12 = whole year)
    required: int  # after pro-rating
    done: int
    missing: list[str] = field(default_factory=list)  # unvisited places (coverage), first MAX_MISSING_SHOWN
    missing_count: int = 0

    @property
    def short(self) -> int:
        return max(0, self.required - self.done)

    @property
    def behind(self) -> bool:
        return self.short > 0

    @property
    def pro_rated(self) -> bool:
        return self.months < 12


def poor_villages_q(year: Year) -> Q:
    return Q(level=RegionLevel.VILLAGE) & (Q(is_poor_village=True) | Q(poor_exited_on__gte=year.start))


def poor_households_q(year: Year) -> Q:
    return Q(poverty_status=PovertyStatus.POOR) | Q(poverty_status=PovertyStatus.EXITED, status_year=year.year)


def _positions(actor, posts, year: Year, **extra):
    from sunshine.org.models import Position

    qs = (Position.objects.filter(held_on(year.as_of), post__in=posts, **extra)
          .select_related("person", "unit", "unit__territory"))
    return visible(qs, actor=actor).order_by("unit__name", "post", "person__name")


def visit_quotas(*, actor, year: int | None = None, today=None, behind_only: bool = False) -> list[QuotaRow]:
    """Every quota row of the year the actor may see (their jurisdiction's post holders), in a fixed order."""
    from sunshine.org.models import Household, Region

    require(actor, FieldCapability.VIEW)
    y = year_of(year, today=today)
    visits = Visit.objects.filter(visited_on__gte=y.start, visited_on__lte=y.as_of)
    count_by_person: dict[int, int] = defaultdict(int)
    villages_by_person: dict[int, set[int]] = defaultdict(set)
    households_by_person: dict[int, set[int]] = defaultdict(set)
    for visitor_id, village_id, household_id in visits.values_list("visitor_id", "village_id", "household_id"):
        count_by_person[visitor_id] += 1
        villages_by_person[visitor_id].add(village_id)
        if household_id:
            households_by_person[visitor_id].add(household_id)

    rows: list[QuotaRow] = []
    city_quota = plan_int(plan.VISITS_CITY_LEADER, year=y.year)
    poor_villages = None
    for pos in _positions(actor, [Post.PARTY_SECRETARY, Post.MAYOR, Post.CITY_LEADER], y):
        months = months_in_post(pos.start_date, y)
        rows.append(_count_row(pos, months, city_quota, count_by_person[pos.person_id],
                               f"每年调研督查不少于{city_quota}次"))
        if pos.post in (Post.PARTY_SECRETARY, Post.MAYOR):
            if poor_villages is None:
                poor_villages = list(Region.objects.filter(poor_villages_q(y)).select_related("parent")
                                     .order_by("code").values_list("pk", "parent__name", "name"))
            places = [(pk, f"{t}{n}") for pk, t, n in poor_villages]
            rows.append(_coverage_row(pos, months, places, villages_by_person[pos.person_id], "走访全市所有贫困村"))
    member_quota = plan_int(plan.VISITS_MEMBER_PRINCIPAL, year=y.year)
    for pos in _positions(actor, [Post.PRINCIPAL], y, unit__member_order__isnull=False):
        rows.append(_count_row(pos, months_in_post(pos.start_date, y), member_quota,
                               count_by_person[pos.person_id], f"每年调研督查不少于{member_quota}次"))

    township_positions = list(_positions(actor, [Post.TOWNSHIP_SECRETARY, Post.TOWNSHIP_HEAD], y,
                                         unit__territory__isnull=False))
    villages_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, parent_id, name in (Region.objects.filter(level=RegionLevel.VILLAGE,
                                                      parent_id__in={p.unit.territory_id for p in township_positions})
                                .order_by("code").values_list("pk", "parent_id", "name")):
        villages_of[parent_id].append((pk, name))
    for pos in township_positions:
        rows.append(_coverage_row(pos, months_in_post(pos.start_date, y), villages_of[pos.unit.territory_id],
                                  villages_by_person[pos.person_id], "走访辖区内所有村"))

    village_positions = list(_positions(actor, [Post.VILLAGE_SECRETARY, Post.VILLAGE_DIRECTOR], y,
                                        unit__territory__level=RegionLevel.VILLAGE))
    households_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, village_id, head in (Household.objects.filter(poor_households_q(y),
                                                          village_id__in={p.unit.territory_id for p in village_positions})
                                 .order_by("code").values_list("pk", "village_id", "head_name")):
        households_of[village_id].append((pk, f"{head}户"))
    for pos in village_positions:
        rows.append(_coverage_row(pos, months_in_post(pos.start_date, y), households_of[pos.unit.territory_id],
                                  households_by_person[pos.person_id], "走访本村所有贫困户"))
    if behind_only:
        rows = [r for r in rows if r.behind]
    return rows


def _base(pos, months: int) -> dict:
    return {"person_id": pos.person_id, "person": pos.person.name, "unit": pos.unit.short_name or pos.unit.name,
            "post": pos.title or pos.get_post_display(), "months": months}


def _count_row(pos, months: int, quota: int, done: int, rule: str) -> QuotaRow:
    return QuotaRow(**_base(pos, months), rule=rule, kind=COUNT, quota=quota,
                    required=pro_rated(quota, months), done=done)


def _coverage_row(pos, months: int, places: list[tuple[int, str]], visited: set[int], rule: str) -> QuotaRow:
    missing = [name for pk, name in places if pk not in visited]
    done = len(places) - len(missing)
    return QuotaRow(**_base(pos, months), rule=rule, kind=COVERAGE, quota=len(places),
                    required=pro_rated(len(places), months), done=done, missing=missing[:MAX_MISSING_SHOWN],
                    missing_count=len(missing))
