"""三(二)3 资金使用情况: project spending by hand and by import, refused above the allocation, flagged when paid
before acceptance; allocated / paid / remaining per project; idle money (三(四)1) counted from records."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sunshine.core.errors import ApplicationError
from sunshine.funds import rules, selectors
from sunshine.funds.importers import SpendingImporter, run_import
from sunshine.funds.models import ProjectSpending
from sunshine.funds.services import records
from sunshine.funds.services.projects import project_transition
from sunshine.funds.services.spending import spending_create, transaction_link_project

from .factories import csv_bytes, households, write, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = ["项目编号", "资金文号", "收款单位", "合同编号", "发票号码", "支付日期", "支付金额", "支付内容"]


def _accepted_project(city, *, accepted_on=dt.date(2026, 6, 1)):
    actor = city.accounts["township1"]
    project = records.project_create(actor=actor, village=city.villages[0], name="村道硬化", project_type="基础设施",
                                     budget="300000", code="XM-T1", on_date=dt.date(2026, 1, 5))
    project = project_transition(actor=actor, project=project, to_status="approved", on_date=dt.date(2026, 1, 10),
                                 facts={"approval_document": "湘乡农发〔2026〕1号"})
    project = project_transition(actor=actor, project=project, to_status="filed", on_date=dt.date(2026, 1, 12))
    project = project_transition(actor=actor, project=project, to_status="in_progress", on_date=dt.date(2026, 2, 1))
    if accepted_on:
        project = project_transition(actor=actor, project=project, to_status="accepted", on_date=accepted_on,
                                     facts={"acceptance_note": "合格"})
    allocation = records.allocation_create(actor=actor, level="county", document_number="湘财农〔2026〕12号",
                                           fund_type="衔接资金", amount="200000", allocated_on=dt.date(2026, 1, 20),
                                           recipient_kind="project", project=project)
    return project, allocation


def test_spending_by_hand_adds_up_and_is_refused_above_the_allocation(city):
    actor = city.accounts["township1"]
    project, allocation = _accepted_project(city)
    spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑", paid_on="2026-06-10",
                    amount="150000", contract_number="HT-1", invoice_number="F-1")
    with pytest.raises(ApplicationError) as refused:
        spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑", paid_on="2026-06-20",
                        amount="50000.01")
    assert "余额 50000.00 元" in refused.value.message and "本次支出 50000.01 元" in refused.value.message
    money = selectors.project_money(project=project)
    assert (money.allocated, money.paid, money.remaining) == (Decimal("200000"), Decimal("150000"), Decimal("50000"))
    assert money.paid_before_acceptance == 0 and money.first_paid_on == dt.date(2026, 6, 10)


def test_spending_before_acceptance_is_recorded_and_flagged(city):
    actor = city.accounts["township1"]
    project, allocation = _accepted_project(city, accepted_on=dt.date(2026, 6, 1))
    early = spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑",
                            paid_on="2026-05-20", amount="1000")
    late = spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑",
                           paid_on="2026-06-01", amount="1000")
    assert early.paid_before_acceptance is True and late.paid_before_acceptance is False
    assert selectors.project_money(project=project).paid_before_acceptance == 1


def test_an_allocation_to_another_village_cannot_pay_the_project(city):
    actor = city.accounts["township1"]
    project, _ = _accepted_project(city)
    other = records.allocation_create(actor=actor, level="county", document_number="湘财农〔2026〕13号",
                                      fund_type="衔接资金", amount="1000", allocated_on=dt.date(2026, 1, 20),
                                      recipient_kind="village", region=city.villages[1])
    with pytest.raises(ApplicationError, match="不是拨给该项目"):
        spending_create(actor=actor, project=project, allocation=other, payee="x", paid_on="2026-06-10", amount="1")


def test_a_village_account_payment_linked_to_its_project_is_the_projects_spending(city):
    actor = city.accounts["township1"]
    project, allocation = _accepted_project(city)
    account = records.village_account_create(actor=actor, village=city.villages[0], account_name="村合作社",
                                             account_number="6217000000000001")
    txn = records.transaction_create(actor=actor, account=account, occurred_on="2026-06-15", direction="out",
                                     amount="30000", purpose="村道硬化工程款", counterparty="宏达建筑",
                                     voucher_number="记-06-1")
    spending = transaction_link_project(actor=actor, account_transaction=txn, project=project, allocation=allocation)
    assert (spending.amount, spending.payee, spending.transaction_id) == (Decimal("30000"), "宏达建筑", txn.pk)
    with pytest.raises(ApplicationError, match="已关联项目"):
        transaction_link_project(actor=actor, account_transaction=txn, project=project, allocation=allocation)


def test_import_is_all_or_nothing_idempotent_and_refuses_the_file_above_the_allocation(city, tmp_path):
    project, allocation = _accepted_project(city)
    rows = [["XM-T1", "湘财农〔2026〕12号", "宏达建筑", "HT-1", "F-1", "2026-05-30", "120000", "进度款"],
            ["XM-T1", "湘财农〔2026〕12号", "宏达建筑", "HT-1", "F-2", "2026-06-30", "60000", "=SUM(A1)"]]
    path = write(tmp_path, "spend.xlsx", xlsx_bytes(HEADER, rows))
    first = run_import(SpendingImporter(scope=None), source=path, filename=path.name)
    again = run_import(SpendingImporter(scope=None), source=path, filename=path.name)
    assert first.ok and first.created == 2 and (again.created, again.unchanged) == (0, 2)
    flags = sorted(ProjectSpending.objects.values_list("paid_before_acceptance", flat=True))
    assert flags == [False, True]  # 2026-05-30 is before the acceptance on 2026-06-01

    over = write(tmp_path, "over.csv", csv_bytes(HEADER, [
        ["XM-T1", "湘财农〔2026〕12号", "宏达建筑", "HT-1", "F-3", "2026-07-01", "10000", ""],
        ["XM-T1", "湘财农〔2026〕12号", "宏达建筑", "HT-1", "F-4", "2026-07-02", "10000.01", ""]]))
    refused = run_import(SpendingImporter(scope=None), source=over, filename=over.name)
    assert not refused.ok and "余额 20000.00 元" in refused.errors[0]["reason"]
    assert ProjectSpending.objects.count() == 2


def test_import_names_an_unknown_project_and_allocation(city, tmp_path):
    _accepted_project(city)
    path = write(tmp_path, "bad.csv", csv_bytes(HEADER, [
        ["XM-NONE", "湘财农〔2026〕12号", "宏达建筑", "", "", "2026-06-30", "1", ""],
        ["XM-T1", "没有的文号", "宏达建筑", "", "", "2026-06-30", "1", ""]]))
    result = run_import(SpendingImporter(scope=None), source=path, filename=path.name)
    reasons = [e["reason"] for e in result.errors]
    assert not result.ok and "项目编号“XM-NONE”未登记" in reasons[0] and "没有文号为“没有的文号”" in reasons[1]


def test_idle_allocations_count_what_was_left_unspent_past_the_plans_days(city):
    actor = city.accounts["township1"]
    project, allocation = _accepted_project(city)  # 200,000 on 2026-01-20
    spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑", paid_on="2026-06-10",
                    amount="150000")
    village_money = records.allocation_create(actor=actor, level="county", document_number="湘财农〔2026〕20号",
                                              fund_type="产业奖补", amount="3000", allocated_on=dt.date(2026, 3, 1),
                                              recipient_kind="village", region=city.villages[0])
    hh = households(city, 1)[0]
    records.payment_create(actor=actor, household=hh, fund_item="产业奖补", amount="1000", paid_on="2026-03-10",
                           bank_card="6217000000000000123", allocation=village_money)
    today = dt.date(2026, 6, 30)
    idle = {a.document_number: a for a in rules.idle_allocations(today=today, days=90)}
    # 2026-01-20 and 2026-03-01 are both at least 90 days before 2026-06-30 (cutoff 2026-04-01).
    assert idle["湘财农〔2026〕12号"].unspent == Decimal("50000")
    assert (idle["湘财农〔2026〕20号"].paid_households, idle["湘财农〔2026〕20号"].unspent) == (Decimal("1000"),
                                                                                          Decimal("2000"))
    assert not list(rules.idle_allocations(today=today, days=200))  # cutoff 2025-12-12: none that old


def test_spending_recorded_before_acceptance_is_judged_again_at_acceptance(city):
    actor = city.accounts["township1"]
    project, allocation = _accepted_project(city, accepted_on=None)  # in progress since 2026-02-01
    before = spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑",
                             paid_on="2026-04-01", amount="1000")
    after = spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑",
                            paid_on="2026-05-10", amount="1000")
    assert before.paid_before_acceptance and after.paid_before_acceptance  # not accepted yet: both flagged
    project_transition(actor=actor, project=project, to_status="accepted", on_date=dt.date(2026, 5, 1),
                       facts={"acceptance_note": "合格"})
    flags = dict(ProjectSpending.objects.values_list("paid_on", "paid_before_acceptance"))
    assert flags == {dt.date(2026, 4, 1): True, dt.date(2026, 5, 10): False}


def test_the_public_village_page_shows_allocated_paid_and_remaining_per_project(city, client):
    from django.utils import timezone

    from sunshine.funds.models import FundAllocation, Project

    actor = city.accounts["township1"]
    project, allocation = _accepted_project(city)
    spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑", paid_on="2026-05-20",
                    amount="120000")
    Project.objects.filter(pk=project.pk).update(published_at=timezone.now())
    FundAllocation.objects.filter(pk=allocation.pk).update(published_at=timezone.now())
    page = client.get(f"/funds/village/{city.villages[0].code}/").content.decode()
    assert "已支付" in page and "120,000.00" in page and "80,000.00" in page  # 200,000 allocated, 120,000 paid
    assert "验收前支付" in page  # first paid 2026-05-20, accepted 2026-06-01
    body = client.get(f"/api/v1/public/villages/{city.villages[0].code}/projects").json()
    item = body["items"][0] if isinstance(body, dict) and "items" in body else body[0]
    assert (Decimal(item["paid_amount"]), Decimal(item["remaining_amount"])) == (Decimal("120000"), Decimal("80000"))
