"""Outcomes of a case: accountability, recovered funds and their return, 召回, 一案双查, 通报曝光."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError
from sunshine.core.masking import mask_name, mask_text
from sunshine.org import services as org_services
from sunshine.org.choices import Post
from sunshine.org.models import Household, Position

from .. import conf, routing
from ..capabilities import Capability
from ..choices import CONCLUDED_STATUSES, AccountabilityMeasure, Channel, EventKind, Finding, RecallKind
from ..events import event_record
from ..models import (
    Accountability,
    Case,
    CaseTransfer,
    Exposure,
    ExposurePerson,
    FundRecovery,
    FundReturn,
    Recall,
    ReporterIdentity,
)
from ._common import clean_text, require_capability, sms
from .deadlines import today_local
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
                          person=None, unit=None, note: str = "") -> Accountability:
    """Record one accountability measure against a named person and/or unit."""
    require_capability(actor, Capability.RECORD_OUTCOME)
    case = _lock(case=case, actor=actor)
    _require_handler(case=case, actor=actor)
    _require_concluded(case)
    if case.finding == Finding.NOT_SUBSTANTIATED:
        raise ApplicationError("核查结论为不属实,不能登记问责", code=CasesErrorCode.NOT_ACCOUNTABLE)
    if measure not in AccountabilityMeasure.values:
        raise ApplicationError("请选择问责方式", code=CasesErrorCode.MEASURE)
    person_name = clean_text(person_name or (person.name if person else ""), field="被问责人", max_length=60,
                             required=False)
    if not person_name and unit is None:
        raise ApplicationError("请填写被问责人或被问责单位", code=CasesErrorCode.ACCOUNTABILITY_TARGET)
    item = Accountability.objects.create(case=case, measure=measure, person=person, person_name=person_name,
                                         unit=unit, decided_on=decided_on, note=note.strip(), actor=actor)
    event_record(case=case, kind=EventKind.ACCOUNTABILITY, actor=actor,
                 data={"measure": measure, "person": person_name, "unit": unit.name if unit else ""})
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
    event_record(case=case, kind=EventKind.RECOVERY, actor=actor,
                 data={"amount": str(recovery.amount), "recovered_on": recovered_on.isoformat()})
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
        raise ApplicationError(f"返还总额不能超过追缴金额{recovery.amount}元(已返还{returned}元)", code=CasesErrorCode.OVER_RETURN)
    try:
        with transaction.atomic():
            item = FundReturn.objects.create(recovery=recovery, household=household, amount=amount,
                                             returned_on=returned_on, actor=actor)
    except IntegrityError:
        raise ApplicationError("该户已登记返还", code=CasesErrorCode.ALREADY_RETURNED) from None
    event_record(case=case, kind=EventKind.FUNDS_RETURNED, actor=actor,
                 data={"household": household.code, "amount": str(amount), "returned_on": returned_on.isoformat()})
    if household.phone:
        sms(phone=household.phone, template="funds_returned",
            params={"amount": f"{amount}", "date": f"{returned_on:%Y-%m-%d}", "case_no": case.number,
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
    position = Position.objects.select_for_update().select_related("person").get(pk=position.pk)
    if position.post not in _RECALL_POSTS[kind]:
        raise ApplicationError("该任职不是驻村工作队员或结对帮扶责任人", code=CasesErrorCode.RECALL_POST)
    if position.end_date is not None:
        raise ApplicationError("该人员已离任", code=CasesErrorCode.POSITION_ENDED)
    reason = clean_text(reason, field="召回原因", max_length=1000)
    recalled_on = recalled_on or today_local()
    org_services.position_end(position=position, end_date=recalled_on)
    try:
        with transaction.atomic():
            recall = Recall.objects.create(case=case, position=position, kind=kind, recalled_on=recalled_on,
                                           reason=reason, actor=actor)
    except IntegrityError:
        raise ApplicationError("该任职已被召回", code=CasesErrorCode.ALREADY_RECALLED) from None
    event_record(case=case, kind=EventKind.RECALL, actor=actor, reason=reason,
                 data={"person": position.person.name, "post": position.post})
    return recall


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
        channel=_dual_channel(case), text=f"一案双查({case.number}):{text}",
        region=case.report.region, about_unit=about_unit, about_person_name=about_person_name, actor=actor,
        problem_type_number=case.report.problem_type.number if case.report.problem_type_id else None,
    )
    dual = report.cases.get()
    dual.dual_of = case
    # Responsibility of supervisors is a discipline matter: it stays with the discipline office that opened it.
    if actor.unit_id and actor.unit.kind in routing.DISCIPLINE_KINDS and dual.handling_unit_id != actor.unit_id:
        CaseTransfer.objects.create(case=dual, from_unit=dual.handling_unit, to_unit=actor.unit, actor=actor,
                                    reason="一案双查,由发起单位办理", rule="dual")
        dual.handling_unit = actor.unit
    dual.suspected_violation = True
    dual.save(update_fields=["dual_of", "handling_unit", "suspected_violation", "updated_at"])
    event_record(case=case, kind=EventKind.DUAL, actor=actor, data={"dual_case": dual.number})
    event_record(case=dual, kind=EventKind.DUAL, actor=actor, data={"dual_of": case.number})
    return dual


def _dual_channel(case: Case) -> str:
    """The dual case enters through the same door; it was found while handling the original (调研督查)."""
    return Channel.VISIT


# ---- 通报曝光 ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExposedPerson:
    name: str
    title: str = ""
    is_named_official: bool = False  # an official the exposure names in full; everyone else is masked
    measure: str = ""


def _minimise(body: str, *, people: list[ExposedPerson], reporter_terms: list[str]) -> str:
    for term in sorted((t for t in reporter_terms if t), key=len, reverse=True):
        body = body.replace(term, "***")
    for person in people:
        if not person.is_named_official and person.name:
            body = body.replace(person.name, mask_name(person.name))
    # No ID, mobile or card number in a public notice, whoever it belongs to: the one free-text masking.
    return mask_text(body)


@transaction.atomic
def exposure_publish(*, case: Case, actor, title: str, body: str, people: list[ExposedPerson]) -> Exposure:
    """Publish a concluded, substantiated case as a public notice, names masked unless officials named in it."""
    require_capability(actor, Capability.PUBLISH_EXPOSURE)
    case = _lock(case=case, actor=actor)
    _require_concluded(case)
    if case.finding not in (Finding.SUBSTANTIATED, Finding.PARTLY):
        raise ApplicationError("只有查实的案件可以通报曝光", code=CasesErrorCode.NOT_SUBSTANTIATED)
    if Exposure.objects.filter(case=case).exists():
        raise ApplicationError("该案件已通报曝光", code=CasesErrorCode.ALREADY_EXPOSED)
    title = clean_text(title, field="标题", max_length=120)
    body = clean_text(body, field="通报内容", max_length=10000)
    reporter_terms = _reporter_terms(case)
    exposure = Exposure.objects.create(
        case=case, title=_minimise(title, people=people, reporter_terms=reporter_terms),
        body=_minimise(body, people=people, reporter_terms=reporter_terms),
        published_at=timezone.now(), published_by=actor,
    )
    ExposurePerson.objects.bulk_create([
        ExposurePerson(exposure=exposure, shown_name=p.name if p.is_named_official else mask_name(p.name),
                       title=p.title[:80], is_named_official=p.is_named_official, measure=p.measure)
        for p in people if p.name
    ])
    event_record(case=case, kind=EventKind.EXPOSURE, actor=actor, data={"exposure": exposure.pk})
    return exposure


def _reporter_terms(case: Case) -> list[str]:
    """The reporter's name and phone, decrypted only to scrub them from the public text (never shown or logged)."""
    from sunshine.core import crypto

    identity = ReporterIdentity.objects.filter(report_id=case.report_id).first()
    if identity is None:
        return []
    return [crypto.decrypt(identity.name_encrypted), crypto.decrypt(identity.phone_encrypted),
            crypto.decrypt(identity.id_number_encrypted)]


__all__ = [
    "ExposedPerson", "RecoveryStatus", "accountability_record", "dual_case_open", "exposure_publish",
    "funds_return_record", "recall_record", "recovery_record", "recovery_status",
]
