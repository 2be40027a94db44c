"""Reads of inspections and audits (三(三)2): the registers, coverage of every project and fund, and the units and
fields proposed for special inspection or audit with the figures that put them there."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from sunshine.cases.models import Report
from sunshine.core.plan import plan_int, plan_value
from sunshine.funds.choices import ProjectStatus
from sunshine.funds.models import FundAllocation, Project
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel, UnitKind
from sunshine.org.jurisdiction import get_visible, visible
from sunshine.org.models import Region, Unit

from ..capabilities import Capability
from ..models import Inspection, InspectionFinding, InspectionTarget
from ..plan_i13b import SPECIAL_CLUE_MIN, SPECIAL_CLUE_RATIO, SPECIAL_MONEY_RATIO


def inspections_visible(*, actor, kind: str = "") -> QuerySet[Inspection]:
    require(actor, Capability.VIEW_REGISTERS)
    qs = visible(Inspection.objects.select_related("conducted_by", "region"), actor=actor)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(target_count=Count("targets", distinct=True),
                       finding_count=Count("findings", distinct=True)).order_by("-started_on", "-id")


def inspection_get_for(*, actor, pk: int) -> Inspection:
    require(actor, Capability.VIEW_REGISTERS)
    return get_visible(Inspection.objects.select_related("conducted_by", "region"), actor=actor, pk=pk)


def inspection_targets(*, inspection: Inspection) -> QuerySet[InspectionTarget]:
    return inspection.targets.select_related("unit", "project", "project__village", "allocation")


def inspection_findings(*, inspection: Inspection) -> QuerySet[InspectionFinding]:
    return inspection.findings.select_related("unit")


# ---- coverage (全覆盖) ----------------------------------------------------------------------------------------

@dataclass
class Coverage:
    projects_total: int
    projects_covered: int
    allocations_total: int
    allocations_covered: int
    money_total: Decimal
    money_covered: Decimal
    uncovered_projects: list[Project]
    uncovered_allocations: list[FundAllocation]

    @property
    def project_rate(self) -> float | None:
        return self.projects_covered / self.projects_total if self.projects_total else None

    @property
    def allocation_rate(self) -> float | None:
        return self.allocations_covered / self.allocations_total if self.allocations_total else None


def inspection_coverage(*, actor) -> Coverage:
    """Every current poverty project and fund allocation the actor may see, covered by an inspection or audit of
    the campaign when one names it, names its unit (录入单位), or names the township or village unit whose
    territory holds it."""
    require(actor, Capability.VIEW_REGISTERS)
    targets = InspectionTarget.objects.all()
    project_ids = set(targets.filter(project__isnull=False).values_list("project__lineage", flat=True))
    allocation_ids = set(targets.filter(allocation__isnull=False).values_list("allocation__lineage", flat=True))
    unit_ids: set[int] = set()
    paths: list[str] = []
    for unit_id, path in targets.filter(unit__isnull=False).values_list("unit_id", "unit__territory__path"):
        unit_ids.add(unit_id)
        if path and path.count("/") > 1:  # a township's or village's territory; the city unit covers no area
            paths.append(path)

    def covered_by_unit(owner_unit_id, path: str) -> bool:
        return owner_unit_id in unit_ids or any(path.startswith(p) for p in paths)

    projects = list(visible(Project.objects.filter(is_current=True).exclude(status=ProjectStatus.CANCELLED),
                            actor=actor).select_related("village").order_by("village__path", "id"))
    allocations = list(visible(FundAllocation.objects.filter(is_current=True), actor=actor)
                       .select_related("region").order_by("region__path", "id"))
    up = [p for p in projects if not (p.lineage in project_ids or covered_by_unit(p.owner_unit_id, p.village.path))]
    ua = [a for a in allocations
          if not (a.lineage in allocation_ids or covered_by_unit(a.owner_unit_id, a.region.path))]
    money_total = sum((a.amount for a in allocations), Decimal(0))
    return Coverage(
        projects_total=len(projects), projects_covered=len(projects) - len(up),
        allocations_total=len(allocations), allocations_covered=len(allocations) - len(ua),
        money_total=money_total, money_covered=money_total - sum((a.amount for a in ua), Decimal(0)),
        uncovered_projects=up, uncovered_allocations=ua)


# ---- proposals for special inspection and audit -------------------------------------------------------------

@dataclass
class Proposal:
    kind: str  # 乡镇、成员单位、问题领域、项目类别
    name: str
    clues: int = 0
    clue_average: float = 0.0
    money: Decimal = Decimal(0)
    money_average: Decimal = Decimal(0)
    reasons: list[str] = field(default_factory=list)
    already_special: bool = False
    unit_id: int | None = None


def _flag(rows: list[Proposal], *, clue_ratio: Decimal, clue_min: int, money_ratio: Decimal,
          use_clues: bool, use_money: bool) -> list[Proposal]:
    """Mark rows whose clues or money stand out against the average of their kind (the average of rows with any)."""
    with_clues = [r.clues for r in rows if r.clues]
    with_money = [r.money for r in rows if r.money]
    clue_avg = sum(with_clues) / len(with_clues) if with_clues else 0.0
    money_avg = (sum(with_money, Decimal(0)) / len(with_money)).quantize(Decimal("0.01")) if with_money else Decimal(0)
    flagged = []
    for r in rows:
        r.clue_average, r.money_average = round(clue_avg, 2), money_avg
        if use_clues and r.clues >= clue_min and r.clues >= float(clue_ratio) * clue_avg:
            r.reasons.append(f"问题线索 {r.clues} 件,为平均 {clue_avg:.1f} 件的 {r.clues / clue_avg:.1f} 倍")
        if use_money and r.money and money_avg and r.money >= money_ratio * money_avg:
            r.reasons.append(f"扶贫资金 {r.money:,.2f} 元,为平均 {money_avg:,.2f} 元的 {r.money / money_avg:.1f} 倍")
        if r.reasons:
            flagged.append(r)
    return flagged


def special_proposals(*, actor, year: int) -> list[Proposal]:
    """Townships, member units and fields where clues concentrate or money is large in `year` (三(三)2): each
    with the figures and the reason that put it on the list. Clues are the year's reports (duplicates left out);
    money is the year's current fund allocations."""
    require(actor, Capability.VIEW_REGISTERS)
    clue_ratio = plan_value(SPECIAL_CLUE_RATIO, year=year)
    clue_min = plan_int(SPECIAL_CLUE_MIN, year=year)
    money_ratio = plan_value(SPECIAL_MONEY_RATIO, year=year)
    reports = Report.objects.filter(created_at__year=year, duplicate_of__isnull=True)
    allocations = FundAllocation.objects.filter(is_current=True, allocated_on__year=year)
    special_units = set(InspectionTarget.objects.filter(inspection__is_special=True,
                                                        inspection__started_on__year=year, unit__isnull=False)
                        .values_list("unit_id", flat=True))
    proposals: list[Proposal] = []

    # Townships: clues located in the township, money allocated to it or its villages.
    townships = list(visible(Region.objects.filter(level=RegionLevel.TOWNSHIP), actor=actor))
    township_units = dict(Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOV, territory__in=townships)
                          .values_list("territory_id", "id"))
    rows = []
    for t in townships:
        under = Q(region__path__startswith=t.path)
        unit_id = township_units.get(t.pk)
        rows.append(Proposal(kind="乡镇", name=t.name, clues=reports.filter(under).count(),
                             money=allocations.filter(under).aggregate(s=Coalesce(Sum("amount"), Decimal(0)))["s"],
                             unit_id=unit_id, already_special=unit_id in special_units))
    proposals += _flag(rows, clue_ratio=clue_ratio, clue_min=clue_min, money_ratio=money_ratio,
                       use_clues=True, use_money=True)

    # Member units: clues about the unit, money the unit allocated.
    members = list(visible(Unit.objects.filter(kind=UnitKind.MEMBER_UNIT), actor=actor))
    clue_by_unit = dict(reports.filter(about_unit__in=members).values("about_unit")
                        .annotate(n=Count("id")).values_list("about_unit", "n"))
    money_by_unit = dict(allocations.filter(owner_unit__in=members).values("owner_unit")
                         .annotate(s=Sum("amount")).values_list("owner_unit", "s"))
    rows = [Proposal(kind="成员单位", name=u.name, clues=clue_by_unit.get(u.pk, 0),
                     money=money_by_unit.get(u.pk) or Decimal(0), unit_id=u.pk, already_special=u.pk in special_units)
            for u in members]
    proposals += _flag(rows, clue_ratio=clue_ratio, clue_min=clue_min, money_ratio=money_ratio,
                       use_clues=True, use_money=True)

    # Fields: the problem types clues concentrate on (confirmed type, else the suggested one) …
    scoped_reports = reports.filter(region__in=visible(Region.objects.all(), actor=actor))
    by_type: dict[str, int] = {}
    for confirmed, suggested in scoped_reports.values_list("problem_type__short_title",
                                                           "suggested_problem_type__short_title"):
        title = confirmed or suggested
        if title:
            by_type[title] = by_type.get(title, 0) + 1
    rows = [Proposal(kind="问题领域", name=title, clues=n) for title, n in sorted(by_type.items())]
    proposals += _flag(rows, clue_ratio=clue_ratio, clue_min=clue_min, money_ratio=money_ratio,
                       use_clues=True, use_money=False)
    # … and the fund types where money is large.
    by_fund = (visible(allocations, actor=actor).values("fund_type").annotate(s=Sum("amount")).order_by("fund_type"))
    rows = [Proposal(kind="资金类别", name=r["fund_type"], money=r["s"]) for r in by_fund]
    proposals += _flag(rows, clue_ratio=clue_ratio, clue_min=clue_min, money_ratio=money_ratio,
                       use_clues=False, use_money=True)
    return proposals
