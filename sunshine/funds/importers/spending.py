"""Project spending (三(二)3 资金使用情况) from a township's or department's payment register (项目资金支付台账).

Each row names the project (by code), the allocation it draws on (by its document number), the payee, contract,
invoice, date and amount. The same checks as hand entry (services.spending): the allocation must fund the project
(allocated to it, its village or its township), and the file's spending on an allocation together with what was
spent from it before may not exceed it — the whole file is refused with the figures. A row dated before the
project's acceptance is imported and flagged `paid_before_acceptance`. All or nothing, and the same file twice
changes nothing (natural keys).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from sunshine.core.tabular import Column, Row, RowErrors, parse_amount, parse_date

from .. import rules
from ..canonical import spending_natural_key_hex
from ..models import FundAllocation, Project, ProjectSpending
from ..services.spending import allocation_funds_project, over_allocation_message
from .base import STAGE_TABLE, Importer, Stage
from .cache import ValueCache

KIND = "funds.spending"

COLUMNS = [
    Column("project_code", ("项目编号", "项目代码")),
    Column("document", ("资金文号", "资金来源文号", "指标文号", "文号")),
    Column("payee", ("收款单位", "收款人", "收款单位(人)", "收款方")),
    Column("contract", ("合同编号", "合同号"), required=False),
    Column("invoice", ("发票号码", "发票号"), required=False),
    Column("date", ("支付日期", "付款日期", "日期")),
    Column("amount", ("支付金额", "付款金额", "金额", "支付金额(元)", "金额(元)")),
    Column("purpose", ("支付内容", "摘要", "用途", "备注"), required=False),
]
# The template's example row (the desk's "download the template" and the docs).
TEMPLATE_ROW = ["XM2026001", "湘财农〔2026〕12号", "湘乡市某建设有限公司", "HT-2026-001", "43000123",
                "2026-06-30", "150000.00", "道路硬化工程进度款"]


class SpendingImporter(Importer):
    kind = KIND
    model = ProjectSpending
    columns = COLUMNS
    label = "项目支出"
    stage_columns = ("natural_key", "lineage", "project_id", "allocation_id", "village_id", "payee",
                     "contract_number", "invoice_number", "paid_on", "amount", "purpose", "paid_before_acceptance",
                     "owner_unit_id")

    def prepare(self) -> None:
        projects = Project.objects.filter(is_current=True).exclude(code="").select_related("village")
        self.projects = {p.code: p for p in projects}
        self.allocations: dict[str, list[FundAllocation]] = {}
        for a in FundAllocation.objects.filter(is_current=True).select_related("region", "project"):
            self.allocations.setdefault(a.document_number, []).append(a)
        self.dates = ValueCache(lambda t: rules.check_date(parse_date(t), label="支付日期").isoformat())
        self.amounts = ValueCache(lambda t: f"{rules.check_amount(parse_amount(t)):.2f}")
        self.owner_unit_id = self.unit.pk if self.unit is not None else None
        self.by_id = {a.pk: a for group in self.allocations.values() for a in group}

    def parse(self, row: Row, errors: RowErrors) -> tuple | None:
        v, n = row.values, row.number
        paid_on = self.dates.get(v["date"], errors, n, self.heading("date"))
        amount = self.amounts.get(v["amount"], errors, n, self.heading("amount"))
        texts = {}
        for key, label, limit, required in (("payee", "收款单位", 120, True), ("contract", "合同编号", 60, False),
                                            ("invoice", "发票号码", 60, False), ("purpose", "支付内容", 200, False)):
            try:
                texts[key] = rules.clean_text(v.get(key, ""), label=label, max_length=limit, required=required)
            except ValueError as exc:
                errors.add(n, self.heading(key), str(exc))
        project = self.projects.get(v.get("project_code", "").strip())
        if project is None:
            errors.add(n, self.heading("project_code"), f"项目编号“{v.get('project_code', '')}”未登记")
            return None
        if not self.in_scope(project.village.path) and not self.for_department():
            errors.add(n, self.heading("project_code"), f"{project.name}不在您的管辖范围内")
            return None
        candidates = [a for a in self.allocations.get(v.get("document", "").strip(), [])
                      if allocation_funds_project(a, project)]
        if not candidates:
            errors.add(n, self.heading("document"),
                       f"没有文号为“{v.get('document', '')}”、拨给该项目(或其所在村、乡镇)的资金分配")
            return None
        # Several allocations under one document: the project's own first, then the village's, then the township's.
        allocation = sorted(candidates, key=lambda a: (a.project_id is None, -len(a.region.path), a.pk))[0]
        if None in (paid_on, amount) or len(texts) < 4:
            return None
        flagged = project.accepted_on is None or dt.date.fromisoformat(paid_on) < project.accepted_on
        key = spending_natural_key_hex(project_id=project.pk, allocation_id=allocation.pk, payee=texts["payee"],
                                       contract_number=texts["contract"], invoice_number=texts["invoice"],
                                       paid_on=paid_on, amount=amount)
        return (key, key, project.pk, allocation.pk, project.village_id, texts["payee"], texts["contract"],
                texts["invoice"], paid_on, amount, texts["purpose"], flagged, self.owner_unit_id)

    def check_staged(self, stage: Stage, errors: RowErrors) -> None:
        super().check_staged(stage, errors)
        if errors:
            return
        self._check_allocations(errors)

    def _check_allocations(self, errors: RowErrors) -> None:
        """The new rows on each allocation plus what was spent from it before may not exceed it."""
        from ..rules import allocations_with_spending

        table = ProjectSpending._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.allocation_id, SUM(s.amount), MIN(s.row_number) FROM {STAGE_TABLE} s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.natural_key = s.natural_key) "
                f"GROUP BY s.allocation_id")
            new = {a: (Decimal(str(total)), first) for a, total, first in cursor.fetchall()}
        if not new:
            return
        spent = dict(allocations_with_spending(FundAllocation.objects.filter(pk__in=list(new)))
                     .values_list("pk", "spent"))
        for allocation_id, (total, first_row) in sorted(new.items(), key=lambda kv: kv[1][1]):
            allocation = self.by_id[allocation_id]
            already = spent.get(allocation_id) or Decimal(0)
            if already + total > allocation.amount:
                errors.add(first_row, self.heading("amount"),
                           over_allocation_message(allocation, spent=already, amount=total) + "(本文件合计)")
