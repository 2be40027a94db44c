"""Reads of less burden on villages (三(二)4): requests, documents, assessments, project filing handling times."""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from sunshine.core.plan import plan_int
from sunshine.funds.choices import ProjectStatus
from sunshine.funds.models import Project, ProjectEvent
from sunshine.org.capabilities import require
from sunshine.org.jurisdiction import get_visible, visible

from ..capabilities import Capability
from ..models import DataRequest, IssuedDocument, VillageAssessment
from ..plan_i13b import FILING_WAIT_DAYS


def data_requests_visible(*, actor, status: str = "", year: int | None = None) -> QuerySet[DataRequest]:
    require(actor, Capability.VIEW_REGISTERS)
    qs = visible(DataRequest.objects.select_related("requester_unit", "region", "requested_by"), actor=actor)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs


def data_request_get_for(*, actor, pk: int) -> DataRequest:
    require(actor, Capability.VIEW_REGISTERS)
    return get_visible(DataRequest.objects.select_related("requester_unit", "region"), actor=actor, pk=pk)


def documents_visible(*, actor, relay_only: bool = False) -> QuerySet[IssuedDocument]:
    require(actor, Capability.VIEW_REGISTERS)
    qs = visible(IssuedDocument.objects.select_related("issuer", "forwards", "forwards__issuer"), actor=actor)
    if relay_only:
        qs = qs.exclude(forwards__isnull=True, forwards_number="").filter(has_measures=False)
    return qs


def document_get_for(*, actor, pk: int) -> IssuedDocument:
    require(actor, Capability.VIEW_REGISTERS)
    return get_visible(IssuedDocument.objects.all(), actor=actor, pk=pk)


def document_chain(document: IssuedDocument, *, limit: int = 10) -> list[IssuedDocument]:
    """The document and those it forwards, up the chain (层层转发 shows as more than two links)."""
    chain = [document]
    while chain[-1].forwards_id and len(chain) < limit:
        chain.append(IssuedDocument.objects.select_related("issuer", "forwards").get(pk=chain[-1].forwards_id))
    return chain


def village_assessments_visible(*, actor) -> QuerySet[VillageAssessment]:
    require(actor, Capability.VIEW_REGISTERS)
    return visible(VillageAssessment.objects.select_related("organiser", "region"), actor=actor)


# ---- project approval registration filing (审批登记备案制) ---------------------------------------------------

@dataclass
class FilingProject:
    project: Project
    applied_on: dt.date | None
    unit_name: str

    @property
    def to_approval(self) -> int | None:
        return _days(self.applied_on, self.project.approved_on)

    @property
    def to_filing(self) -> int | None:
        return _days(self.project.approved_on, self.project.filed_on)

    @property
    def total(self) -> int | None:
        return _days(self.applied_on, self.project.filed_on)


@dataclass
class FilingUnit:
    unit_name: str
    projects: list[FilingProject] = field(default_factory=list)

    def _figures(self, attr: str) -> list[int]:
        return [v for v in (getattr(p, attr) for p in self.projects) if v is not None]

    def median(self, attr: str) -> float | None:
        values = self._figures(attr)
        return statistics.median(values) if values else None

    def slowest(self, attr: str) -> FilingProject | None:
        done = [p for p in self.projects if getattr(p, attr) is not None]
        return max(done, key=lambda p: (getattr(p, attr), p.project.pk)) if done else None

    @property
    def filed_count(self) -> int:
        return len(self._figures("total"))

    @property
    def median_approval(self):
        return self.median("to_approval")

    @property
    def median_filing(self):
        return self.median("to_filing")

    @property
    def median_total(self):
        return self.median("total")

    @property
    def slowest_total(self):
        return self.slowest("total")


def _days(start: dt.date | None, end: dt.date | None) -> int | None:
    return (end - start).days if start and end else None


def _filing_projects(*, actor) -> list[FilingProject]:
    # The application date is the 申报 step's own date (the project's first event), not when it was typed in.
    applied = ProjectEvent.objects.filter(lineage=OuterRef("lineage"), to_status=ProjectStatus.PLANNED,
                                          from_status="").order_by("on_date").values("on_date")[:1]
    qs = (visible(Project.objects.filter(is_current=True).exclude(status=ProjectStatus.CANCELLED), actor=actor)
          .select_related("village", "village__parent", "owner_unit").annotate(applied_on=Subquery(applied)))
    return [FilingProject(project=p, applied_on=p.applied_on, unit_name=_handling_unit(p)) for p in qs]


def _handling_unit(project: Project) -> str:
    # The township handles the approval and filing of its villages' projects; a city department's own projects
    # are its own.
    township = project.village.parent
    return f"{township.name}" if township else (project.owner_unit.name if project.owner_unit else "—")


def filing_times(*, actor, year: int | None = None) -> list[FilingUnit]:
    """Handling times application → approval → filing per township (median and slowest), for projects applied
    for in `year` (default: all)."""
    require(actor, Capability.VIEW_REGISTERS)
    units: dict[str, FilingUnit] = {}
    for fp in _filing_projects(actor=actor):
        if year and (fp.applied_on is None or fp.applied_on.year != year):
            continue
        units.setdefault(fp.unit_name, FilingUnit(unit_name=fp.unit_name)).projects.append(fp)
    return sorted(units.values(), key=lambda u: (-(u.median_total or -1), u.unit_name))


@dataclass
class WaitingProject:
    project: Project
    unit_name: str
    stage: str  # what it waits for
    since: dt.date
    days: int


def filing_waiting(*, actor, today: dt.date | None = None) -> tuple[int, list[WaitingProject]]:
    """Projects waiting for approval (since application) or filing (since approval) longer than the limit."""
    require(actor, Capability.VIEW_REGISTERS)
    today = today or timezone.localdate()
    limit = plan_int(FILING_WAIT_DAYS, year=today.year)
    waiting: list[WaitingProject] = []
    for fp in _filing_projects(actor=actor):
        p = fp.project
        if p.status == ProjectStatus.PLANNED and fp.applied_on:
            stage, since = "待审批", fp.applied_on
        elif p.status == ProjectStatus.APPROVED and p.approved_on:
            stage, since = "待登记备案", p.approved_on
        else:
            continue
        days = (today - since).days
        if days > limit:
            waiting.append(WaitingProject(project=p, unit_name=fp.unit_name, stage=stage, since=since, days=days))
    return limit, sorted(waiting, key=lambda w: (-w.days, w.project.pk))
