"""The annual assessment of townships and city units (三(四)1): indicators computed from the records, weighted by
the year's plan values, each score with the figures behind it.

Each indicator is a share (done / due) read through the selector that owns its definition: the case desk's
`case_timeliness_by_unit` for cases handled on time, funds' `publication_due_date` for disclosure on time, the
training coverage rule of this app, the visit, rectification and 约谈 registers. An indicator with nothing to count
for a unit scores full marks and says so.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from sunshine.cases.selectors import case_timeliness_by_unit
from sunshine.core.plan import plan_value
from sunshine.funds.models import FundAllocation, HouseholdPayment
from sunshine.funds.rules import publication_due_date, publication_overdue_before
from sunshine.org.capabilities import require
from sunshine.org.choices import UnitKind
from sunshine.org.jurisdiction import get_visible, visible
from sunshine.org.models import Person, Region, Unit

from ..capabilities import Capability
from ..choices_i13b import AssessedKind
from ..models import Commitment
from ..plan_i13b import ASSESSMENT_WEIGHTS
from .training import training_coverage_of_people

ASSESSED_KINDS = {UnitKind.TOWNSHIP_GOV: AssessedKind.TOWNSHIP, UnitKind.MEMBER_UNIT: AssessedKind.CITY_UNIT,
                  UnitKind.DEPARTMENT: AssessedKind.CITY_UNIT}


@dataclass
class Figure:
    key: str
    label: str
    done: int
    due: int
    detail: str
    weight: Decimal = Decimal(0)

    @property
    def rate(self) -> float:
        if not self.due:
            return 1.0
        return self.done / self.due

    @property
    def score(self) -> Decimal:
        return (self.weight * Decimal(str(self.rate))).quantize(Decimal("0.1"))

    @property
    def explanation(self) -> str:
        if not self.due:
            return f"{self.detail}：无应计事项，按满分计"
        return f"{self.detail}:{self.done}/{self.due}"


@dataclass
class Assessment:
    unit: Unit
    kind: str
    year: int
    figures: list[Figure] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        return sum((f.score for f in self.figures), Decimal(0))

    @property
    def weight_total(self) -> Decimal:
        return sum((f.weight for f in self.figures), Decimal(0))


@dataclass
class Period:
    year: int
    start: dt.date
    end: dt.date  # 31 December, or today while the year runs
    visit_rows: dict[int, list] = field(default_factory=dict)  # unit id → the visit quota rows of its people

    def rows_of(self, unit: Unit) -> list:
        rows = list(self.visit_rows.get(unit.pk, []))
        if unit.kind == UnitKind.TOWNSHIP_GOV:  # and the village cadres of its villages
            for child_id in self.children.get(unit.pk, []):
                rows += self.visit_rows.get(child_id, [])
        return rows

    children: dict[int, list[int]] = field(default_factory=dict)
    # The year's indicator weights, read once for every unit assessed over this period (they were read again for
    # each unit: 7 queries a unit, 385 of the 809 queries of a city's assessment page).
    weights: dict[str, Decimal] = field(default_factory=dict)


def _period(year: int, today: dt.date, *, actor=None) -> Period:
    period = Period(year=year, start=dt.date(year, 1, 1), end=min(today, dt.date(year, 12, 31)),
                    weights={key: plan_value(param, year=year) for key, param in ASSESSMENT_WEIGHTS.items()})
    if actor is not None:
        _attach_visit_rows(period, actor=actor, today=today)
    return period


def _attach_visit_rows(period: Period, *, actor, today: dt.date) -> None:
    """The year's visit quota rows by unit: a row names its unit by label, so labels shared by two units are left
    out rather than guessed."""
    from sunshine.org.capabilities import has_capability

    from ..capabilities import FieldCapability
    from .visits import visit_quotas

    if not has_capability(actor, FieldCapability.VIEW):
        return
    units = list(Unit.objects.filter(kind__in=[UnitKind.TOWNSHIP_GOV, UnitKind.MEMBER_UNIT,
                                              UnitKind.VILLAGE_COMMITTEE, UnitKind.DEPARTMENT])
                 .values_list("pk", "name", "short_name", "parent_id", "kind"))
    by_label: dict[str, list[int]] = {}
    for pk, name, short, parent_id, kind in units:
        by_label.setdefault(short or name, []).append(pk)
        if kind == UnitKind.VILLAGE_COMMITTEE and parent_id:
            period.children.setdefault(parent_id, []).append(pk)
    for row in visit_quotas(actor=actor, year=period.year, today=today):
        ids = by_label.get(row.unit, [])
        if len(ids) == 1:
            period.visit_rows.setdefault(ids[0], []).append(row)


# ---- indicators -----------------------------------------------------------------------------------------------

def _people_of(unit: Unit) -> QuerySet[Person]:
    """The unit's own people, and for a township everyone working in its territory (villages, work teams)."""
    if unit.kind == UnitKind.TOWNSHIP_GOV and unit.territory_id:
        return Person.objects.filter(Q(unit=unit) | Q(unit__territory__path__startswith=unit.territory.path))
    return Person.objects.filter(unit=unit)


def indicator_disclosure(unit: Unit, period: Period) -> Figure:
    """三(二)3 disclosure on time: payments (township) or allocations (city unit) whose publication fell due in
    the period, published by the due date (funds.rules.publication_due_date, the one definition)."""
    done = due = 0
    # Only the records whose due date falls in the period (paid between the period's ends moved back by the same
    # rule's days): reading a township's whole payment history made this indicator most of the page's time.
    first, last = publication_overdue_before(period.start), publication_overdue_before(period.end)
    if unit.kind == UnitKind.TOWNSHIP_GOV and unit.territory_id:
        villages = Region.objects.filter(path__startswith=unit.territory.path).values("pk")  # the small table first
        rows = HouseholdPayment.objects.filter(is_current=True, village_id__in=villages,
                                               paid_on__range=(first, last)
                                               ).values_list("paid_on", TruncDate("published_at")).annotate(n=Count("pk"))
        label = "到户资金应公示笔数中按时公示"
    else:
        rows = FundAllocation.objects.filter(is_current=True, owner_unit=unit, allocated_on__range=(first, last)
                                             ).values_list("allocated_on", TruncDate("published_at")
                                                           ).annotate(n=Count("pk"))
        label = "资金分配应公示笔数中按时公示"
    # Counted per (date, local publication date) in the database: a township's year is tens of thousands of
    # payments, a few hundred such pairs.
    for on, published_on, n in rows:
        due_on = publication_due_date(on)
        if not (period.start <= due_on <= period.end):
            continue
        due += n
        done += n if published_on and published_on <= due_on else 0
    return Figure("disclosure", "资金按时公示", done, due, label)


def indicator_cases(unit: Unit, period: Period) -> Figure:
    figures = case_timeliness_by_unit(unit_ids=[unit.pk], year=period.year, today=period.end).get(unit.pk)
    return Figure("cases", "信访件按期办理", figures.on_time if figures else 0, figures.due if figures else 0,
                  "本单位承办、期限在本年到期的信访件中每个期限都按期")


def indicator_training(unit: Unit, period: Period) -> Figure:
    total, trained = training_coverage_of_people(year=period.year, people=_people_of(unit))
    return Figure("training", "培训覆盖", trained, total, "扶贫干部中本年参加过培训")


def indicator_commitments(unit: Unit, period: Period) -> Figure:
    rows = list(Commitment.objects.filter(unit=unit, year=period.year).values_list("kept", flat=True))
    return Figure("commitments", "四责四诺兑现", sum(1 for k in rows if k), len(rows),
                  "四责四诺年终检查已兑现（未检查的不计为兑现）")


def indicator_visits(unit: Unit, period: Period) -> Figure:
    """三(二)1 visit coverage, from the visit quota rows (i13a's rules: pro-rated for those who took their post
    during the year): the township's leaders and its village cadres, or the member unit's principal; each row
    counts up to its required number."""
    rows = period.rows_of(unit)
    done = sum(min(r.done, r.required) for r in rows)
    due = sum(r.required for r in rows)
    return Figure("visits", "调研走访覆盖", done, due, "走访任务（按任职月份折算）中已完成")


def indicator_rectification(unit: Unit, period: Period) -> Figure:
    """Rectification items of the unit due in the period, done by their deadline."""
    from ..models import RectificationItem

    rows = RectificationItem.objects.filter(owner_unit=unit, deadline__gte=period.start,
                                            deadline__lte=period.end).values_list("done_on", "deadline")
    due = done = 0
    for done_on, deadline in rows:
        due += 1
        done += 1 if done_on and done_on <= deadline else 0
    return Figure("rectification", "整改完成", done, due, "本年到期的整改事项中按期完成")


def indicator_interviews(unit: Unit, period: Period) -> Figure:
    """三(三)2: a member unit talked to (约谈) for zero problems, clues and cases in the year loses these points."""
    from ..models import Interview

    if unit.kind != UnitKind.MEMBER_UNIT:
        return Figure("interviews", "未被约谈", 0, 0, "约谈对象为成员单位")
    talked = Interview.objects.filter(unit=unit, year=period.year).exists()
    return Figure("interviews", "未被约谈", 0 if talked else 1, 1,
                  "本年因零问题、零线索、零查处被约谈" if talked else "本年未被约谈")


INDICATORS: list[Callable[[Unit, Period], Figure]] = [
    indicator_visits, indicator_disclosure, indicator_cases, indicator_rectification, indicator_training,
    indicator_interviews, indicator_commitments,
]


def assessment_for(*, unit: Unit, year: int, today: dt.date | None = None, actor=None,
                   period: Period | None = None) -> Assessment:
    period = period or _period(year, today or timezone.localdate(), actor=actor)
    weights = period.weights
    figures = []
    for indicator in INDICATORS:
        figure = indicator(unit, period)
        figure.weight = weights[figure.key]
        figures.append(figure)
    return Assessment(unit=unit, kind=ASSESSED_KINDS[unit.kind], year=year, figures=figures)


def assessed_units(*, actor, kind: str = "") -> QuerySet[Unit]:
    require(actor, Capability.VIEW_REGISTERS)
    kinds = [k for k, v in ASSESSED_KINDS.items() if not kind or v == kind]
    return visible(Unit.objects.filter(kind__in=kinds), actor=actor).select_related("territory").order_by(
        "kind", "member_order", "name")


def assessments_visible(*, actor, year: int, kind: str = "", today: dt.date | None = None) -> list[Assessment]:
    """Every township and city unit the actor sees, assessed for `year`, highest score first."""
    period = _period(year, today or timezone.localdate(), actor=actor)
    rows = [assessment_for(unit=u, year=year, period=period) for u in assessed_units(actor=actor, kind=kind)]
    return sorted(rows, key=lambda a: (-a.score, a.unit.name))


def assessment_get_for(*, actor, unit_id: int, year: int, today: dt.date | None = None) -> Assessment:
    require(actor, Capability.VIEW_REGISTERS)
    unit = get_visible(Unit.objects.filter(kind__in=list(ASSESSED_KINDS)).select_related("territory"), actor=actor,
                       pk=unit_id)
    return assessment_for(unit=unit, year=year, today=today, actor=actor)


def commitments_visible(*, actor, year: int | None = None) -> QuerySet[Commitment]:
    require(actor, Capability.VIEW_REGISTERS)
    qs = visible(Commitment.objects.select_related("unit"), actor=actor)
    return qs.filter(year=year) if year else qs
