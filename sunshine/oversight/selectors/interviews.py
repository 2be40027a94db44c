"""The 约谈 list (三(三)2: 对零问题、零线索、零查处的相关成员单位要约谈一批), computed from the records.

For a member unit and a year (1 January to the year's date):
- problems found (问题): visits by the unit's people that recorded a finding, plus rectification items opened by
  the unit's accounts;
- clues (线索): reports the unit took in (received or entered at its desk), reports about the unit, and reports
  whose case was routed or transferred to the unit — each report once;
- cases dealt with (查处): cases handled by the unit concluded in the year as substantiated or partly substantiated.
A unit is on the list when all three are zero. A unit with one clue and no case is not on the list.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from sunshine.org.capabilities import require
from sunshine.org.jurisdiction import get_visible, visible

from ..capabilities import FieldCapability
from ..models import Interview, RectificationItem, Visit
from ._year import year_of


@dataclass
class UnitRecord:
    unit_id: int
    unit: str
    member_order: int
    problems: int
    clues: int
    cases: int
    interviews: int  # talks already recorded for the year

    @property
    def zero(self) -> bool:
        return self.problems == 0 and self.clues == 0 and self.cases == 0


def unit_records(*, actor, year: int | None = None, today=None) -> list[UnitRecord]:
    """Every member unit the actor may see, with its three figures for the year."""
    from sunshine.cases.choices import Finding
    from sunshine.cases.models import Case, Report
    from sunshine.org.models import Unit

    require(actor, FieldCapability.VIEW)
    y = year_of(year, today=today)
    units = list(visible(Unit.objects.filter(member_order__isnull=False), actor=actor).order_by("member_order"))
    ids = [u.pk for u in units]
    problems: dict[int, int] = dict.fromkeys(ids, 0)
    for unit_id in (Visit.objects.filter(visitor_unit_id__in=ids, visited_on__gte=y.start, visited_on__lte=y.as_of)
                    .exclude(findings="").values_list("visitor_unit_id", flat=True)):
        problems[unit_id] += 1
    for unit_id in (RectificationItem.objects.filter(created_by__unit_id__in=ids, created_at__date__gte=y.start,
                                                     created_at__date__lte=y.as_of)
                    .values_list("created_by__unit_id", flat=True)):
        problems[unit_id] += 1
    clues: dict[int, set[int]] = {pk: set() for pk in ids}
    in_year = Q(created_at__date__gte=y.start, created_at__date__lte=y.as_of)
    for report_id, received, about in (Report.objects.filter(in_year)
                                       .filter(Q(received_by_id__in=ids) | Q(about_unit_id__in=ids))
                                       .values_list("pk", "received_by_id", "about_unit_id")):
        for unit_id in (received, about):
            if unit_id in clues:
                clues[unit_id].add(report_id)
    for report_id, unit_id in (Case.objects.filter(handling_unit_id__in=ids, report__created_at__date__gte=y.start,
                                                   report__created_at__date__lte=y.as_of)
                               .values_list("report_id", "handling_unit_id")):
        clues[unit_id].add(report_id)
    cases: dict[int, int] = dict.fromkeys(ids, 0)
    for unit_id in (Case.objects.filter(handling_unit_id__in=ids, concluded_at__date__gte=y.start,
                                        concluded_at__date__lte=y.as_of,
                                        finding__in=[Finding.SUBSTANTIATED, Finding.PARTLY])
                    .values_list("handling_unit_id", flat=True)):
        cases[unit_id] += 1
    held: dict[int, int] = dict.fromkeys(ids, 0)
    for unit_id in Interview.objects.filter(year=y.year, unit_id__in=ids).values_list("unit_id", flat=True):
        held[unit_id] += 1
    return [UnitRecord(unit_id=u.pk, unit=u.name, member_order=u.member_order, problems=problems[u.pk],
                       clues=len(clues[u.pk]), cases=cases[u.pk], interviews=held[u.pk]) for u in units]


def interview_candidates(*, actor, year: int | None = None, today=None) -> list[UnitRecord]:
    """The 约谈 list: member units with zero problems, zero clues and zero cases in the year."""
    return [r for r in unit_records(actor=actor, year=year, today=today) if r.zero]


def interview_list(*, actor, year: int | None = None) -> QuerySet[Interview]:
    require(actor, FieldCapability.VIEW)
    qs = Interview.objects.select_related("unit", "recorded_by")
    if year:
        qs = qs.filter(year=year)
    return visible(qs, actor=actor).order_by("-held_on", "-pk")


def member_unit_get(*, actor, pk: int):
    from sunshine.org.models import Unit

    require(actor, FieldCapability.VIEW)
    return get_visible(Unit.objects.filter(member_order__isnull=False), actor=actor, pk=pk)
