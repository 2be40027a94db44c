"""A hit's evidence: the records the rule joined, as label/value lines for the clue, ID numbers and cards masked.

Read per hit (hits are few; the rules themselves never loop over rows). Staff who handle the clue see names,
amounts and dates; ID numbers and bank cards never leave masked.
"""
from __future__ import annotations

from sunshine.core.masking import mask_bank_card, mask_id_number

from .choices import BusinessRoleKind, DeathKind, OfficialKind, StandardBasis
from .models import (
    BusinessRole,
    DeathRecord,
    DisabilityRecord,
    Hit,
    Official,
    OfficialRelative,
    PensionEnrolment,
    PropertyPurchase,
    RegistryBatch,
    Vehicle,
)

PAYMENTS_SHOWN = 5


def _line(label: str, value) -> dict:
    return {"label": str(label), "value": str(value)}


def _batch(batch_id: int) -> dict:
    batch = RegistryBatch.objects.filter(pk=batch_id).first()
    return _line("数据来源", f"{batch.source}({batch.data_date:%Y-%m-%d})" if batch else "—")


def _official_lines(official: Official) -> list[dict]:
    return [_line("公职人员/村干部", f"{official.name}({mask_id_number(official.id_masked)})"),
            _line("类别", OfficialKind(official.kind).label), _line("工作单位", official.unit_name),
            _line("职务", official.post or "—"), _batch(official.batch_id)]


def _record_lines(hit: Hit) -> list[dict]:  # noqa: C901 - one branch per registry, flat on purpose
    from sunshine.funds.models import AccountTransaction, FundAllocation, HouseholdPayment, Project
    from sunshine.org.models import Region

    table, pk = hit.ref_table, hit.ref_id
    if table == "official" and (o := Official.objects.filter(pk=pk).first()):
        return _official_lines(o)
    if table == "relative" and (r := OfficialRelative.objects.select_related("official").filter(pk=pk).first()):
        return [_line("近亲属", f"{r.name}({r.id_masked})"), _line("关系", r.relation),
                *_official_lines(r.official)]
    if table == "death" and (d := DeathRecord.objects.filter(pk=pk).first()):
        return [_line("死亡人员", f"{d.name}({d.id_masked})"),
                _line(f"{DeathKind(d.kind).label}日期", f"{d.died_on:%Y-%m-%d}"), _batch(d.batch_id)]
    if table == "vehicle" and (v := Vehicle.objects.filter(pk=pk).first()):
        return [_line("车辆", f"{v.plate[:3]}***{v.plate[-1:]} {v.vehicle_type}"),
                _line("所有人", f"{v.owner_name}({v.owner_masked})"),
                _line("登记日期", f"{v.registered_on:%Y-%m-%d}"), _batch(v.batch_id)]
    if table == "business" and (b := BusinessRole.objects.filter(pk=pk).first()):
        return [_line("企业", f"{b.company_name}({b.credit_code})"),
                _line(BusinessRoleKind(b.role).label, f"{b.person_name}({b.id_masked})"), _batch(b.batch_id)]
    if table == "property" and (e := PropertyPurchase.objects.filter(pk=pk).first()):
        return [_line("不动产", f"{e.location} 成交{e.amount}元 {e.bought_on:%Y-%m-%d}"),
                _line("买受人", f"{e.buyer_name}({e.buyer_masked})"), _batch(e.batch_id)]
    if table == "pension" and (e := PensionEnrolment.objects.filter(pk=pk).first()):
        return [_line("参保人", f"{e.name}({e.id_masked})"), _line("参保单位", e.employer),
                _line("参保日期", f"{e.enrolled_on:%Y-%m-%d}"), _batch(e.batch_id)]
    if table == "standard":
        from .models import FundStandard

        if s := FundStandard.objects.filter(pk=pk).first():
            return [_line("发放标准", f"{s.fund_item} {StandardBasis(s.basis).label} {s.amount}元"
                                      f"({s.valid_from:%Y-%m-%d}至{s.valid_to:%Y-%m-%d})"), _batch(s.batch_id)]
    if table == "payment" and (p := HouseholdPayment.objects.filter(pk=pk).first()):
        return [_line("发放", f"{p.fund_item} {p.period} {p.amount}元 {p.paid_on:%Y-%m-%d}"),
                _line("领取人", f"{p.payee_name}({mask_id_number(p.payee_id_number)})"),
                _line("银行卡", mask_bank_card(p.bank_card))]
    if table == "allocation" and (a := FundAllocation.objects.filter(pk=pk).first()):
        return [_line("资金", f"{a.document_number} {a.fund_type} {a.amount}元"),
                _line("下达日期", f"{a.allocated_on:%Y-%m-%d}"), _line("分配对象", a.recipient_name)]
    if table == "project" and (pr := Project.objects.filter(pk=pk).first()):
        return [_line("项目", f"{pr.code} {pr.name}"), _line("施工单位", pr.contractor or "—"),
                _line("计划投资", f"{pr.budget}元"), _line("状态", pr.get_status_display())]
    if table == "region" and (rg := Region.objects.filter(pk=pk).first()):
        return [_line("乡镇(街道)", rg.name)]
    if table == "account_txn" and (t := AccountTransaction.objects.filter(pk=pk).first()):
        return [_line("村级账户支出", f"{t.counterparty} {t.amount}元 {t.occurred_on:%Y-%m-%d} {t.purpose}")]
    return []


def _household_lines(hit: Hit) -> list[dict]:
    from sunshine.funds.models import HouseholdPayment
    from sunshine.org.models import Household

    if hit.household_id is None:
        return []
    household = Household.objects.select_related("village").filter(pk=hit.household_id).first()
    if household is None:
        return []
    lines = [_line("农户", f"{household.code} 户主{household.head_name}({household.village.name})")]
    payments = (HouseholdPayment.objects.filter(household_id=household.pk, is_current=True)
                .order_by("-paid_on", "-id")[:PAYMENTS_SHOWN])
    for p in payments:
        lines.append(_line("领取记录", f"{p.paid_on:%Y-%m-%d} {p.fund_item} {p.period} {p.amount}元"))
    return lines


def build(hit: Hit) -> list[dict]:
    """The evidence lines of one hit: the registry record, the household and its latest payments, the totals."""
    lines = _record_lines(hit) + _household_lines(hit)
    if hit.amount is not None:
        lines.append(_line("涉及金额", f"{hit.amount}元"))
    if hit.note and hit.ref_table in ("payment", "account_txn", "death", "official") and hit.note.isdigit():
        lines.append(_line("涉及笔数", hit.note))
    if hit.event_date:
        lines.append(_line("日期", f"{hit.event_date:%Y-%m-%d}"))
    return lines


__all__ = ["DisabilityRecord", "build"]
