"""Fund allocations from every level (三(二)3: national, provincial, city and county allocation results are all
made public), from the finance bureau's allocation tables (资金分配表 / 指标下达文件附表)."""
from __future__ import annotations

from sunshine.core.tabular import Column, Row, RowErrors, parse_amount, parse_date

from .. import rules
from ..canonical import allocation_natural_key_hex
from ..choices import RecipientKind
from ..models import FundAllocation, Project
from .base import Importer
from .cache import ValueCache
from .regions import RegionLookup

KIND = "funds.allocation"

COLUMNS = [
    Column("level", ("资金层级", "资金级次", "级次", "层级", "资金来源级次", "资金来源")),
    Column("document", ("文号", "文件文号", "指标文号", "下达文号", "分配文号")),
    Column("fund_type", ("资金类别", "资金类型", "资金名称", "资金性质", "专项名称")),
    Column("amount", ("金额", "分配金额", "下达金额", "金额（元）", "分配金额（元）")),
    Column("date", ("下达日期", "文件日期", "分配日期", "日期")),
    Column("township", ("乡镇", "乡镇（街道）", "所属乡镇", "乡镇街道"), required=False, fill_down=True),
    Column("village", ("村", "行政村", "所属村", "村（社区）"), required=False),
    Column("project_code", ("项目编号",), required=False),
    Column("project", ("项目名称", "项目"), required=False),
    Column("purpose", ("用途", "资金用途", "备注"), required=False),
]


class AllocationImporter(Importer):
    kind = KIND
    model = FundAllocation
    columns = COLUMNS
    label = "资金分配记录"
    stage_columns = ("natural_key", "lineage", "level", "document_number", "fund_type", "amount", "recipient_kind",
                     "recipient_name", "region_id", "project_id", "allocated_on", "purpose", "owner_unit_id")

    def prepare(self) -> None:
        self.regions = RegionLookup()
        projects = Project.objects.filter(is_current=True).select_related("village").only(
            "id", "code", "name", "village_id", "village__path", "village__name")
        self.projects_by_code = {p.code: p for p in projects if p.code}
        self.projects_by_name = {(p.village_id, p.name): p for p in projects}
        self.dates = ValueCache(lambda t: rules.check_date(parse_date(t), label="下达日期").isoformat())
        self.amounts = ValueCache(lambda t: f"{rules.check_amount(parse_amount(t)):.2f}")
        self.levels = ValueCache(rules.parse_level)
        self.owner_unit_id = self.unit.pk if self.unit is not None else None

    def parse(self, row: Row, errors: RowErrors) -> tuple | None:
        v = row.values
        n = row.number
        level = self.levels.get(v["level"], errors, n, self.heading("level"))
        amount = self.amounts.get(v["amount"], errors, n, self.heading("amount"))
        allocated_on = self.dates.get(v["date"], errors, n, self.heading("date"))
        texts = {}
        for key, label, limit, required in (("document", "文号", 80, True), ("fund_type", "资金类别", 60, True),
                                            ("purpose", "用途", 200, False)):
            try:
                texts[key] = rules.clean_text(v.get(key, ""), label=label, max_length=limit, required=required)
            except ValueError as exc:
                errors.add(n, self.heading(key), str(exc))
        recipient = self._recipient(v, n, errors)
        if None in (level, amount, allocated_on, recipient) or len(texts) < 3:
            return None
        kind, name, region, project = recipient
        if not self.in_scope(region.path) and not self.for_department():
            errors.add(n, self.heading("township"), f"{name}不在您的管辖范围内")
            return None
        key = allocation_natural_key_hex(level=level, document_number=texts["document"], fund_type=texts["fund_type"],
                                         recipient_kind=kind, region_id=region.pk,
                                         project_id=project.pk if project else None, amount=amount,
                                         allocated_on=allocated_on)
        return (key, key, level, texts["document"], texts["fund_type"], amount, kind, name[:120], region.pk,
                project.pk if project else None, allocated_on, texts["purpose"], self.owner_unit_id)

    def _recipient(self, v: dict, n: int, errors: RowErrors):
        """A project (by code, or by name in its village), else a village, else a township."""
        township = None
        if v.get("township"):
            township = self.regions.township(v["township"])
            if township is None:
                errors.add(n, self.heading("township"), f"没有“{v['township']}”这个乡镇")
                return None
        village = None
        if v.get("village"):
            village, reason = self.regions.village(v["village"], township)
            if village is None:
                errors.add(n, self.heading("village"), reason)
                return None
        code, project_name = v.get("project_code", ""), v.get("project", "")
        if code:
            project = self.projects_by_code.get(code)
            if project is None:
                errors.add(n, self.heading("project_code"), f"项目编号“{code}”未登记，请先导入项目")
                return None
            return RecipientKind.PROJECT.value, project.name, project.village, project
        if project_name:
            if village is None:
                errors.add(n, self.heading("project"), "按项目名称分配须填写所在村")
                return None
            project = self.projects_by_name.get((village.pk, project_name))
            if project is None:
                errors.add(n, self.heading("project"), f"{village.name}没有登记“{project_name}”项目")
                return None
            return RecipientKind.PROJECT.value, project.name, village, project
        if village is not None:
            parent = self.regions.by_id.get(village.parent_id)
            return RecipientKind.VILLAGE.value, f"{parent.name if parent else ''}{village.name}", village, None
        if township is not None:
            return RecipientKind.TOWNSHIP.value, township.name, township, None
        errors.add(n, self.heading("township"), "没有分配对象：请填写乡镇、村或项目")
        return None
