"""Where the money went (三(二)3 项目安排和资金使用情况): a project's payments to contractors and suppliers.

The one writer of ProjectSpending (hand entry, a village-account movement linked to its project; the import
writes through the same checks, importers/spending.py). Spending is always drawn on one allocation that funds the
project (allocated to the project, or to its village or township); spending above what the allocation has left is
refused with the figures. A payment dated before the project's acceptance (or while it is not yet accepted) is
recorded and flagged `paid_before_acceptance`: the data comparison turns it into a clue.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from sunshine.org.capabilities import require
from sunshine.org.jurisdiction import get_visible

from .. import canonical
from ..capabilities import Capability
from ..choices import Direction
from ..errors import FundsErrorCode
from ..models import AccountTransaction, FundAllocation, Project, ProjectSpending
from ..rules import allocations_with_spending
from .records import _date, _decimal, _invalid, _new_identity, _save_new, _text


def allocation_funds_project(allocation: FundAllocation, project: Project) -> bool:
    """May spending on `project` draw on `allocation`? Money allocated to the project itself, or to its village or
    the village's township (a village or township spends its block allocation on its projects)."""
    if allocation.project_id is not None:
        return allocation.project.lineage == project.lineage
    return project.village.path.startswith(allocation.region.path)


def allocation_remaining(allocation: FundAllocation) -> tuple[Decimal, Decimal]:
    """(spent, remaining) of an allocation: household payments and project spending drawn on it."""
    row = allocations_with_spending(FundAllocation.objects.filter(pk=allocation.pk)).values("spent").get()
    spent = row["spent"] or Decimal(0)
    return spent, allocation.amount - spent


def over_allocation_message(allocation: FundAllocation, *, spent: Decimal, amount: Decimal) -> str:
    return (f"超出资金来源余额:{allocation.document_number} 分配 {allocation.amount:.2f} 元,已支出 {spent:.2f} 元,"
            f"余额 {allocation.amount - spent:.2f} 元,本次支出 {amount:.2f} 元")


def paid_before_acceptance(project: Project, paid_on: dt.date) -> bool:
    return project.accepted_on is None or paid_on < project.accepted_on


def clean_spending(values: dict) -> dict:
    out = {}
    out["payee"] = _text(values.get("payee"), label="收款单位(人)", max_length=120)
    out["contract_number"] = _text(values.get("contract_number"), label="合同编号", max_length=60, required=False)
    out["invoice_number"] = _text(values.get("invoice_number"), label="发票号码", max_length=60, required=False)
    out["purpose"] = _text(values.get("purpose"), label="支付内容", max_length=200, required=False)
    out["paid_on"] = _date(values.get("paid_on"), label="支付日期")
    out["amount"] = _decimal(values.get("amount"), label="支付金额")
    return out


@transaction.atomic
def spending_create(*, actor, project: Project, allocation: FundAllocation, payee: str, paid_on, amount,
                    contract_number: str = "", invoice_number: str = "", purpose: str = "",
                    account_transaction: AccountTransaction | None = None) -> ProjectSpending:
    """Record one payment out of a project's money; refused above the allocation's remaining amount."""
    require(actor, Capability.EDIT)
    project = get_visible(Project.objects.select_related("village"), actor=actor, pk=project.pk)
    if not project.is_current:
        raise _invalid("该项目已被更正,请选择现行版本", FundsErrorCode.NOT_CURRENT)
    # The allocation row is locked: two spendings on it at once cannot both pass the remaining-amount check.
    allocation = (FundAllocation.objects.select_for_update(of=("self",)).select_related("region", "project")
                  .get(pk=allocation.pk))
    if not allocation.is_current:
        raise _invalid("该资金分配已被更正,请选择现行版本", FundsErrorCode.NOT_CURRENT)
    if not allocation_funds_project(allocation, project):
        raise _invalid(f"资金来源 {allocation.document_number} 不是拨给该项目(或其所在村、乡镇)的资金",
                       FundsErrorCode.ALLOCATION_NOT_FOR_PROJECT)
    v = clean_spending({"payee": payee, "paid_on": paid_on, "amount": amount, "contract_number": contract_number,
                        "invoice_number": invoice_number, "purpose": purpose})
    spent, remaining = allocation_remaining(allocation)
    if v["amount"] > remaining:
        raise _invalid(over_allocation_message(allocation, spent=spent, amount=v["amount"]),
                       FundsErrorCode.OVER_ALLOCATION)
    key = canonical.spending_natural_key_hex(
        project_id=project.pk, allocation_id=allocation.pk, payee=v["payee"], contract_number=v["contract_number"],
        invoice_number=v["invoice_number"], paid_on=v["paid_on"].isoformat(), amount=canonical.money(v["amount"]))
    spending = ProjectSpending(project=project, allocation=allocation, village=project.village,
                               transaction=account_transaction,
                               paid_before_acceptance=paid_before_acceptance(project, v["paid_on"]),
                               owner_unit_id=getattr(actor, "unit_id", None), **_new_identity(key), **v)
    return _save_new(spending, duplicate_message="该笔项目支出已登记(同一项目、资金来源、收款人、合同、发票、日期和金额)")


@transaction.atomic
def transaction_link_project(*, actor, account_transaction: AccountTransaction, project: Project,
                             allocation: FundAllocation, contract_number: str = "",
                             invoice_number: str = "") -> ProjectSpending:
    """A payment out of a village account paid this project: record it as the project's spending (its date, amount
    and payee come from the movement), so the movement and the project point at each other."""
    require(actor, Capability.EDIT)
    txn = get_visible(AccountTransaction.objects.select_related("village"), actor=actor, pk=account_transaction.pk)
    if txn.direction != Direction.PAYMENT or not txn.is_current:
        raise _invalid("只能关联现行的支出记录", FundsErrorCode.TRANSACTION_NOT_PAYMENT)
    if ProjectSpending.objects.filter(transaction=txn, is_current=True).exists():
        raise _invalid("该笔村级账户支出已关联项目", FundsErrorCode.DUPLICATE)
    project = Project.objects.select_related("village").get(pk=project.pk)
    if project.village_id != txn.village_id:
        raise _invalid("村级账户支出只能关联本村的项目")
    return spending_create(actor=actor, project=project, allocation=allocation,
                           payee=txn.counterparty or txn.purpose[:120], paid_on=txn.occurred_on, amount=txn.amount,
                           contract_number=contract_number, invoice_number=invoice_number or txn.voucher_number,
                           purpose=txn.purpose, account_transaction=txn)


def spending_reflag(*, project: Project) -> int:
    """On acceptance (project_transition): spending recorded before it was accepted is judged again against the
    acceptance date (a payment dated on or after it was not paid before acceptance). Returns the rows changed."""
    qs = ProjectSpending.objects.filter(project__lineage=project.lineage, is_current=True)
    cleared = qs.filter(paid_before_acceptance=True, paid_on__gte=project.accepted_on).update(
        paid_before_acceptance=False)
    flagged = qs.filter(paid_before_acceptance=False, paid_on__lt=project.accepted_on).update(
        paid_before_acceptance=True)
    return cleared + flagged
