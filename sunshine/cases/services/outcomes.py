"""Outcomes of a case: accountability, recovered funds and their return, 召回, 一案双查 (通报曝光: exposures.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError, NotFound
from sunshine.core.money import yuan
from sunshine.org import services as org_services
from sunshine.org.choices import Post
from sunshine.org.models import Household, Position

from .. import conf, events, routing
from ..capabilities import Capability
from ..choices import (
    CONCLUDED_STATUSES,
    SANCTIONS_BY_MEASURE,
    AccountabilityMeasure,
    Channel,
    Finding,
    RecallKind,
    Sanction,
    TransferKind,
)
from ..models import Accountability, Case, FundRecovery, FundReturn, Recall
from ._common import clean_text, require_capability, sms
from .deadlines import today_local
from .transfers import TRANSFER_FIELDS, transfer_record
from .workflow import _lock, _require_handler

_RECALL_POSTS = {
    RecallKind.WORK_TEAM: {Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER},
    RecallKind.PAIRING_CADRE: {Post.PAIRING_CADRE},
}


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError("金额格式不正确", code=CasesErrorCode.AMOUNT) from None
    if amount <= 0:
        raise ApplicationError("金额必须大于0", code=CasesErrorCode.AMOUNT)
    return amount


def _require_concluded(case: Case) -> None:
    if case.status not in CONCLUDED_STATUSES:
        raise ApplicationError("案件办结后才能登记处理结果", code=CasesErrorCode.NOT_CONCLUDED)


@transaction.atomic
def accountability_record(*, case: Case, actor, measure: str, decided_on: dt.date, person_name: str = "",
                          person=None, unit=None, note: str = "", sanction: str = "") -> Accountability:
    """Record one accountability measure against a named person and/or unit; 党纪政务处分 and 组织处理 name the
    sanction as the regulations do (SANCTIONS_BY_MEASURE)."""
    require_capability(actor, Capability.RECORD_OUTCOME)
    case = _lock(case=case, actor=actor)
    _require_handler(case=case, actor=actor)
    _require_concluded(case)
    if case.finding == Finding.NOT_SUBSTANTIATED:
        raise ApplicationError("核查结论为不属实，不能登记问责", code=CasesErrorCode.NOT_ACCOUNTABLE)
    if measure not in AccountabilityMeasure.values:
        raise ApplicationError("请选择问责方式", code=CasesErrorCode.MEASURE)
    allowed = SANCTIONS_BY_MEASURE.get(measure, ())
    if allowed and sanction not in allowed:
        label = AccountabilityMeasure(measure).label
        raise ApplicationError(f"{label}须选择具体种类（如{Sanction(allowed[0]).label}）", code=CasesErrorCode.SANCTION_REQUIRED)
    if not allowed and sanction:
        raise ApplicationError(f"{AccountabilityMeasure(measure).label}不分处分种类", code=CasesErrorCode.SANCTION_NOT_APPLICABLE)
    person_name = clean_text(person_name or (person.name if person else ""), field="被问责人", max_length=60,
                             required=False)
    if not person_name and unit is None:
        raise ApplicationError("请填写被问责人或被问责单位", code=CasesErrorCode.ACCOUNTABILITY_TARGET)
    item = Accountability.objects.create(case=case, measure=measure, sanction=sanction, person=person,
                                         person_name=person_name, unit=unit, decided_on=decided_on,
                                         note=note.strip(), actor=actor)
    events.accountability_recorded(case=case, actor=actor, measure=measure, sanction=sanction, person=person_name,
                                   unit=unit)
    return item


@transaction.atomic
def recovery_record(*, case: Case, actor, amount, recovered_on: dt.date, note: str = "") -> FundRecovery:
    """Record money recovered in the case (三(四)1); it must then go back to the households quickly."""
    require_capability(actor, Capability.RECORD_OUTCOME)
    case = _lock(case=case, actor=actor)
    _require_handler(case=case, actor=actor)
    _require_concluded(case)
    if recovered_on > today_local():
        raise ApplicationError("追缴日期不能晚于今天", code=CasesErrorCode.FUTURE_DATE)
    recovery = FundRecovery.objects.create(case=case, amount=_amount(amount), recovered_on=recovered_on,
                                           note=note.strip(), actor=actor)
    events.recovery_recorded(case=case, actor=actor, amount=recovery.amount, recovered_on=recovered_on)
    return recovery


@transaction.atomic
def funds_return_record(*, recovery: FundRecovery, actor, household: Household, amount,
                        returned_on: dt.date) -> FundReturn:
    """Record part of a recovery returned to a household, and tell the household by SMS (funds_returned)."""
    require_capability(actor, Capability.RECORD_OUTCOME)
    case = _lock(case=recovery.case, actor=actor)
    _require_handler(case=case, actor=actor)
    recovery = FundRecovery.objects.select_for_update().get(pk=recovery.pk, case=case)
    amount = _amount(amount)
    if returned_on < recovery.recovered_on:
        raise ApplicationError("返还日期不能早于追缴日期", code=CasesErrorCode.RETURN_BEFORE_RECOVERY)
    if returned_on > today_local():
        raise ApplicationError("返还日期不能晚于今天", code=CasesErrorCode.FUTURE_DATE)
    returned = recovery.returns.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if returned + amount > recovery.amount:
        raise ApplicationError(f"返还总额不能超过追缴金额{recovery.amount}元（已返还{returned}元）", code=CasesErrorCode.OVER_RETURN)
    try:
        with transaction.atomic():
            item = FundReturn.objects.create(recovery=recovery, household=household, amount=amount,
                                             returned_on=returned_on, actor=actor)
    except IntegrityError:
        raise ApplicationError("该户已登记返还", code=CasesErrorCode.ALREADY_RETURNED) from None
    events.funds_returned(case=case, actor=actor, household_code=household.code, amount=amount,
                          returned_on=returned_on)
    if household.phone:
        sms(phone=household.phone, template="funds_returned",
            params={"amount": yuan(amount), "date": f"{returned_on:%Y-%m-%d}", "case_no": case.number,
                    "hotline": settings.SUNSHINE["HOTLINE"]},
            idempotency_key=f"cases:return:{item.pk}", purpose="追缴资金返还告知",
            related=("cases.fundreturn", item.pk))
    return item


@dataclass(frozen=True)
class RecoveryStatus:
    recovery: FundRecovery
    returned: Decimal
    outstanding: Decimal
    days_to_return: int | None  # days from recovery to the last return, once fully returned
    late: bool


def recovery_status(*, recovery: FundRecovery, today: dt.date | None = None) -> RecoveryStatus:
    """三(四)1 第一时间返还: late when not fully returned within FUNDS_RETURN_DAYS calendar days of recovery."""
    today = today or today_local()
    limit = conf.get("FUNDS_RETURN_DAYS")
    returns = list(recovery.returns.all())
    returned = sum((r.amount for r in returns), Decimal("0"))
    outstanding = recovery.amount - returned
    if outstanding <= 0:
        last = max(r.returned_on for r in returns)
        days = (last - recovery.recovered_on).days
        return RecoveryStatus(recovery, returned, Decimal("0"), days, days > limit)
    return RecoveryStatus(recovery, returned, outstanding, None, (today - recovery.recovered_on).days > limit)


@transaction.atomic
def recall_record(*, case: Case, actor, position: Position, kind: str, reason: str,
                  recalled_on: dt.date | None = None) -> Recall:
    """召回 a village work-team member or pairing cadre (三(三)2): recorded on the case, their position ended."""
    require_capability(actor, Capability.RECALL)
    case = _lock(case=case, actor=actor)
    _require_concluded(case)
    if kind not in RecallKind.values:
        raise ApplicationError("召回类别无效", code=CasesErrorCode.RECALL_KIND)
    # Only a cadre of the case's own area (selectors.recall_candidates); anyone else is "not found".
    position = _recall_position(case=case, actor=actor, pk=position.pk)
    if position.post not in _RECALL_POSTS[kind]:
        raise ApplicationError("该任职不是驻村工作队员或结对帮扶责任人", code=CasesErrorCode.RECALL_POST)
    if position.end_date is not None:
        raise ApplicationError("该人员已离任", code=CasesErrorCode.POSITION_ENDED)
    reason = clean_text(reason, field="召回原因", max_length=1000)
    recalled_on = recalled_on or today_local()
    org_services.position_end(actor=actor, position=position, end_date=recalled_on)
    try:
        with transaction.atomic():
            recall = Recall.objects.create(case=case, position=position, kind=kind, recalled_on=recalled_on,
                                           reason=reason, actor=actor)
    except IntegrityError:
        raise ApplicationError("该任职已被召回", code=CasesErrorCode.ALREADY_RECALLED) from None
    events.recalled(case=case, actor=actor, person_name=position.person.name, post=position.post, reason=reason)
    return recall


def _recall_position(*, case: Case, actor, pk: int) -> Position:
    from ..selectors import recall_candidates

    position = (recall_candidates(case=case, actor=actor, current_only=False).select_for_update(of=("self",))
                .filter(pk=pk).first())
    if position is None:
        raise NotFound("未找到该任职：只能召回本案所涉乡镇（街道）的驻村工作队员或结对帮扶责任人")
    return position


@transaction.atomic
def dual_case_open(*, case: Case, actor, text: str, about_unit=None, about_person_name: str = "") -> Case:
    """一案双查 (三(三)2): open a case on those who should have supervised `case`, linked to it."""
    require_capability(actor, Capability.RECALL)
    case = _lock(case=case, actor=actor)
    _require_concluded(case)
    if case.finding == Finding.NOT_SUBSTANTIATED:
        raise ApplicationError("核查结论为不属实的案件不启动一案双查", code=CasesErrorCode.NOT_ACCOUNTABLE)
    from .intake import report_submit

    text = clean_text(text, field="双查事项", max_length=conf.get("MAX_TEXT_LENGTH"))
    report, _code = report_submit(
        channel=_dual_channel(case), text=f"一案双查（{case.number}）：{text}",
        region=case.report.region, about_unit=about_unit, about_person_name=about_person_name, actor=actor,
        problem_type_number=case.report.problem_type.number if case.report.problem_type_id else None,
    )
    dual = report.cases.get()
    dual.dual_of = case
    # Responsibility of supervisors is a discipline matter: it stays with the discipline office that opened it.
    if actor.unit_id and actor.unit.kind in routing.DISCIPLINE_KINDS and dual.handling_unit_id != actor.unit_id:
        transfer_record(case=dual, to_unit=actor.unit, kind=TransferKind.DUAL, actor=actor,
                        reason="一案双查，由发起单位办理", rule="dual")
    dual.suspected_violation = True
    dual.save(update_fields=["dual_of", *TRANSFER_FIELDS, "updated_at"])
    events.dual_opened(case=case, actor=actor, dual_case=dual.number)
    events.dual_opened(case=dual, actor=actor, dual_of=case.number)
    return dual


def _dual_channel(case: Case) -> str:
    """The dual case enters through the same door; it was found while handling the original (调研督查)."""
    return Channel.VISIT


__all__ = [
    "RecoveryStatus", "accountability_record", "dual_case_open", "funds_return_record", "recall_record",
    "recovery_record", "recovery_status",
]
