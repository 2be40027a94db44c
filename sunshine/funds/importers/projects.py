"""Poverty projects from the township's project library (项目库) export.

A row states how far the project has come (approval, tender, start, acceptance, maintenance); the import places it
at that stage and writes one ProjectEvent per stage reached, with the row's facts, so its history reads like one
entered by hand. An approved project is registered and filed here (三(二)4: 扶贫项目审批登记备案制) and gets a
filing number.
"""
from __future__ import annotations

from decimal import Decimal

from sunshine.core.tabular import Column, Row, RowErrors, parse_amount, parse_date

from .. import rules
from ..canonical import project_natural_key_hex
from ..choices import STAGE_DATE, STAGE_FACTS, ProjectStatus, project_stage_path
from ..models import Project, ProjectEvent
from ..services.projects import _filing_number, _filing_seq, _next_filing_number
from .base import Importer, ImportResult, Stage
from .cache import ValueCache
from .regions import RegionLookup

KIND = "funds.project"

COLUMNS = [
    Column("name", ("项目名称",)),
    Column("code", ("项目编号", "项目代码"), required=False),
    Column("township", ("乡镇", "乡镇（街道）", "所属乡镇"), required=False, fill_down=True),
    Column("village", ("村", "实施村", "行政村", "项目所在村", "所在村", "村（社区）")),
    Column("type", ("项目类型", "项目类别")),
    Column("budget", ("计划投资", "总投资", "预算", "项目资金", "投资金额", "计划投资（元）", "总投资（元）")),
    Column("content", ("建设内容", "建设内容及规模", "建设规模及内容"), required=False),
    Column("approval", ("审批文号", "批复文号"), required=False),
    Column("approved_on", ("审批日期", "批复日期"), required=False),
    Column("tender", ("招标方式", "采购方式"), required=False),
    Column("contractor", ("中标单位", "施工单位", "实施单位", "承建单位"), required=False),
    Column("contract", ("合同金额", "中标金额"), required=False),
    Column("started_on", ("开工日期", "开工时间"), required=False),
    Column("accepted_on", ("验收日期", "竣工验收日期", "验收时间"), required=False),
    Column("acceptance", ("验收结论", "验收意见", "验收情况"), required=False),
    Column("maintainer", ("管护主体", "管护责任人", "管护单位"), required=False),
]
TEXT_LIMITS = {"name": ("项目名称", 200), "code": ("项目编号", 40), "type": ("项目类型", 40),
               "content": ("建设内容", 2000), "approval": ("审批文号", 80), "tender": ("招标方式", 40),
               "contractor": ("中标单位", 120), "acceptance": ("验收结论", 200), "maintainer": ("管护主体", 120)}


# The row's column for each fact of STAGE_FACTS (the stage rules live once, in funds/choices.py).
FACT_COLUMNS = {"approval_document": "approval", "tender_method": "tender", "contractor": "contractor",
                "acceptance_note": "acceptance", "maintainer": "maintainer"}


class ProjectImporter(Importer):
    kind = KIND
    model = Project
    columns = COLUMNS
    label = "项目"
    stage_columns = ("natural_key", "lineage", "code", "name", "village_id", "project_type", "budget", "content",
                     "status", "approval_document", "approved_on", "filing_number", "filed_on", "tender_method",
                     "contractor", "contract_amount", "started_on", "accepted_on", "acceptance_note", "maintainer",
                     "maintenance_note", "owner_unit_id")

    def prepare(self) -> None:
        self.regions = RegionLookup()
        self.dates = ValueCache(lambda t: rules.check_date(parse_date(t), label="日期").isoformat())
        self.amounts = ValueCache(lambda t: f"{rules.check_amount(parse_amount(t)):.2f}")
        self.owner_unit_id = self.unit.pk if self.unit is not None else None

    def parse(self, row: Row, errors: RowErrors) -> tuple | None:
        v = row.values
        n = row.number
        t: dict[str, str] = {}
        ok = True
        for key, (label, limit) in TEXT_LIMITS.items():
            text = v.get(key, "")
            if len(text) > limit:
                errors.add(n, self.heading(key), f"{label}超过{limit}个字")
                ok = False
            t[key] = text
        for key in ("name", "type"):
            if not t[key]:
                errors.add(n, self.heading(key), f"{TEXT_LIMITS[key][0]}为空")
                ok = False
        township = self.regions.township(v["township"]) if v.get("township") else None
        if v.get("township") and township is None:
            errors.add(n, self.heading("township"), f"没有“{v['township']}”这个乡镇")
            return None
        village, reason = self.regions.village(v["village"], township) if v["village"] else (None, "实施村为空")
        if village is None:
            errors.add(n, self.heading("village"), reason)
            ok = False
        elif not self.in_scope(village.path):
            errors.add(n, self.heading("village"), f"{village.name}不在您的管辖范围内")
            ok = False
        budget = self.amounts.get(v["budget"], errors, n, self.heading("budget"))
        contract = self.amounts.get(v["contract"], errors, n, self.heading("contract")) if v.get("contract") else ""
        dates = {}
        for key in ("approved_on", "started_on", "accepted_on"):
            dates[key] = self.dates.get(v[key], errors, n, self.heading(key)) if v.get(key) else ""
        if not ok or None in (budget, contract) or None in dates.values():
            return None
        stage = self._stage(t, dates, contract, errors, n)
        if stage is None:
            return None
        key = project_natural_key_hex(code=t["code"], village_id=village.pk, name=t["name"], budget=budget)
        approved_on = dates["approved_on"] or None
        filed = stage not in (ProjectStatus.PLANNED, ProjectStatus.APPROVED)
        return (key, key, t["code"], t["name"], village.pk, t["type"], budget, t["content"], stage.value,
                t["approval"], approved_on, "", approved_on if filed else None, t["tender"], t["contractor"],
                contract or None, dates["started_on"] or None, dates["accepted_on"] or None, t["acceptance"],
                t["maintainer"], "", self.owner_unit_id)

    def _stage(self, t: dict, dates: dict, contract: str, errors: RowErrors, n: int) -> ProjectStatus | None:
        """The furthest stage the row's facts show, reached along PROJECT_TRANSITIONS with every required fact
        and date of each stage on the way (STAGE_FACTS, STAGE_DATE); None (with errors) when one is missing."""
        tendered = bool(t["tender"]) or (bool(t["contractor"]) and not dates["started_on"])
        furthest = (ProjectStatus.MAINTAINED if t["maintainer"] else ProjectStatus.ACCEPTED if dates["accepted_on"]
                    else ProjectStatus.IN_PROGRESS if dates["started_on"] else ProjectStatus.TENDERED if tendered
                    else ProjectStatus.FILED if t["approval"] or dates["approved_on"] else ProjectStatus.PLANNED)
        reached = ProjectStatus(furthest).label
        for stage in project_stage_path(furthest, skip=frozenset() if tendered else {ProjectStatus.TENDERED}):
            for key, (label, required) in STAGE_FACTS.get(stage, {}).items():
                if required and key in FACT_COLUMNS and not t[FACT_COLUMNS[key]]:
                    errors.add(n, self.heading(FACT_COLUMNS[key]), f"{reached}的项目须填写{label}")
                    return None
            date_field = STAGE_DATE.get(stage)
            if date_field in dates and not dates[date_field]:
                errors.add(n, self.heading(date_field), f"{reached}的项目须填写{self.heading(date_field)}")
                return None
        if dates["accepted_on"] and dates["accepted_on"] < dates["started_on"]:
            errors.add(n, self.heading("accepted_on"), "验收日期早于开工日期")
            return None
        if dates["started_on"] and dates["approved_on"] and dates["started_on"] < dates["approved_on"]:
            errors.add(n, self.heading("started_on"), "开工日期早于审批日期（先审批备案后开工）")
            return None
        return furthest

    def duplicate_column(self) -> str:
        return self.heading("code") if "code" in self.headings else self.heading("name")

    def after_insert(self, stage: Stage, result: ImportResult) -> None:
        """Filing numbers and the history events of the projects this import created (a few thousand at most)."""
        if not result.created:
            return
        # This import's rows: its job and its one timestamp (every row of an import shares `now`).
        created = list(Project.objects.filter(import_job_id=self.job.pk if self.job else None,
                                              created_at=self.now).order_by("id"))
        # Filing numbers continue each year's sequence; the import holds its transaction, so numbers are taken
        # once per year and handed out in file order (the unique constraint guards against a concurrent filing).
        next_seq: dict[int, int] = {}
        filed: list[Project] = []
        for project in created:
            if project.filed_on:
                year = project.filed_on.year
                if year not in next_seq:
                    next_seq[year] = _filing_seq(_next_filing_number(year))
                project.filing_number = _filing_number(year, next_seq[year])
                next_seq[year] += 1
                filed.append(project)
        Project.objects.bulk_update(filed, ["filing_number"], batch_size=500)
        ProjectEvent.objects.bulk_create([e for p in created for e in self._events(p)], batch_size=500)

    def _events(self, p: Project) -> list[ProjectEvent]:
        """One event per stage on the project's path (project_stage_path), each with the facts it first shows."""
        common = {"project": p, "lineage": p.lineage, "actor": self.actor if getattr(self.actor, "pk", None) else None}
        path = project_stage_path(p.status, skip=frozenset() if p.tender_method else {ProjectStatus.TENDERED})
        dated = [getattr(p, STAGE_DATE[s]) for s in path if s in STAGE_DATE and getattr(p, STAGE_DATE[s])]
        on_date = dated[0] if dated else self.now.date()
        events, previous, told = [], "", set()
        for stage in path:
            if stage in STAGE_DATE and getattr(p, STAGE_DATE[stage]):
                on_date = getattr(p, STAGE_DATE[stage])
            facts = {}
            for key in STAGE_FACTS.get(stage, {}):
                value = getattr(p, key, None)
                if value and key not in told:
                    facts[key] = f"{Decimal(value):.2f}" if key == "contract_amount" else value
                    told.add(key)
            if stage == ProjectStatus.FILED:
                facts["filing_number"] = p.filing_number
            events.append(ProjectEvent(from_status=previous, to_status=stage, on_date=on_date,
                                       note=f"导入：{ProjectStatus(stage).label}", facts=facts, **common))
            previous = stage
        return events
