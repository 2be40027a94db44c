"""Reads of the lasting mechanisms (三(四)): micro-power lists (also public), grids with their counts, weak village
party organisations, sector departments' annual tasks."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from sunshine.cases.models import Report
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel
from sunshine.org.jurisdiction import get_visible, visible
from sunshine.org.models import Region

from ..capabilities import Capability
from ..choices_i13b import TaskStatus
from ..models import DeptTask, Grid, MicroPower, MicroPowerStep, WeakOrganisation

PUBLIC_PAGE_SIZE = 20
PUBLIC_MAX_LIMIT = 100


def _with_steps(qs: QuerySet[MicroPower]) -> QuerySet[MicroPower]:
    return qs.prefetch_related(Prefetch("steps", queryset=MicroPowerStep.objects.order_by("order")))


def micro_powers_public(*, village_id: int, offset: int = 0, limit: int = PUBLIC_PAGE_SIZE) -> tuple[int, list]:
    """A village's published micro-power list, one page of it, and the count (the public page and API)."""
    qs = MicroPower.objects.filter(village_id=village_id, is_published=True).order_by("order", "id")
    return qs.count(), list(_with_steps(qs)[offset:offset + limit])


def micro_powers_of_village(*, actor, village_id: int) -> tuple[Region, list[MicroPower]]:
    require(actor, Capability.VIEW_REGISTERS)
    village = get_visible(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent"), actor=actor,
                          pk=village_id)
    return village, list(_with_steps(MicroPower.objects.filter(village=village)))


def micro_power_villages(*, actor) -> QuerySet[Region]:
    """The villages the actor sees with the number of items on their lists (0: no list yet)."""
    require(actor, Capability.VIEW_REGISTERS)
    return (visible(Region.objects.filter(level=RegionLevel.VILLAGE), actor=actor).select_related("parent")
            .annotate(item_count=Count("micro_powers")).order_by("path"))


@dataclass
class GridRow:
    grid: Grid
    reports: int
    visits: int


def grids_with_counts(*, actor, year: int, village_id: int | None = None) -> list[GridRow]:
    """Each grid with the reports from its villager groups and the visits to its households in `year`."""
    require(actor, Capability.VIEW_REGISTERS)
    qs = visible(Grid.objects.select_related("village", "village__parent").prefetch_related("workers", "groups"),
                 actor=actor)
    if village_id:
        qs = qs.filter(village_id=village_id)
    grids = list(qs)
    group_to_grid = {g.pk: grid.pk for grid in grids for g in grid.groups.all()}
    reports: dict[int, int] = {}
    for region_id in Report.objects.filter(created_at__year=year, region_id__in=list(group_to_grid),
                                           duplicate_of__isnull=True).values_list("region_id", flat=True):
        reports[group_to_grid[region_id]] = reports.get(group_to_grid[region_id], 0) + 1
    visits = _visits_per_grid(year=year, group_to_grid=group_to_grid)
    return [GridRow(grid=g, reports=reports.get(g.pk, 0), visits=visits.get(g.pk, 0)) for g in grids]


def _visits_per_grid(*, year: int, group_to_grid: dict[int, int]) -> dict[int, int]:
    """Visits (the visits register) to households of each grid's villager groups."""
    from ..models import Visit

    counts: dict[int, int] = {}
    rows = (Visit.objects.filter(visited_on__year=year, household__group_id__in=list(group_to_grid))
            .values_list("household__group_id", flat=True))
    for group_id in rows:
        counts[group_to_grid[group_id]] = counts.get(group_to_grid[group_id], 0) + 1
    return counts


def weak_orgs_visible(*, actor, active_only: bool = False) -> QuerySet[WeakOrganisation]:
    require(actor, Capability.VIEW_REGISTERS)
    qs = visible(WeakOrganisation.objects.select_related("village", "village__parent"), actor=actor)
    return qs.filter(lifted_on__isnull=True) if active_only else qs


def weak_org_items(*, weak_org: WeakOrganisation):
    """The rectification items of a weak organisation: opened for it (source "other", its id) in its village."""
    from ..choices import SourceKind
    from ..models import RectificationItem

    return RectificationItem.objects.filter(source_kind=SourceKind.OTHER, source_id=weak_org.pk,
                                            region=weak_org.village).order_by("deadline", "id")


def weak_org_get_for(*, actor, pk: int) -> WeakOrganisation:
    require(actor, Capability.VIEW_REGISTERS)
    return get_visible(WeakOrganisation.objects.select_related("village"), actor=actor, pk=pk)


def dept_tasks_visible(*, actor, year: int | None = None) -> QuerySet[DeptTask]:
    require(actor, Capability.VIEW_REGISTERS)
    qs = visible(DeptTask.objects.select_related("unit"), actor=actor)
    return qs.filter(year=year) if year else qs


def dept_task_get_for(*, actor, pk: int) -> DeptTask:
    require(actor, Capability.VIEW_REGISTERS)
    return get_visible(DeptTask.objects.select_related("unit"), actor=actor, pk=pk)


def dept_tasks_unfinished(*, actor, year: int, today: dt.date | None = None) -> tuple[bool, list[DeptTask]]:
    """(year ended?, tasks): after the year's end its unfinished tasks, listed for accountability (问责); during the
    year the tasks already past their own deadline and not done."""
    today = today or timezone.localdate()
    ended = today > dt.date(year, 12, 31)
    qs = dept_tasks_visible(actor=actor, year=year).filter(status=TaskStatus.OPEN)
    if not ended:
        qs = qs.filter(due_on__lt=today)
    return ended, list(qs.order_by("unit__name", "due_on", "id"))


def dept_task_summary(*, actor, year: int) -> list[dict]:
    """Per unit: tasks, done, open."""
    rows = (dept_tasks_visible(actor=actor, year=year).values("unit__name")
            .annotate(total=Count("id"), done=Count("id", filter=Q(status=TaskStatus.DONE))).order_by("unit__name"))
    return [{"unit": r["unit__name"], "total": r["total"], "done": r["done"], "open": r["total"] - r["done"]}
            for r in rows]
