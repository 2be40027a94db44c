"""The case state machine and the moves around it: transfer by procedure, copy to the office, 提级办理."""
from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError, CoreErrorCode, Forbidden
from sunshine.org.capabilities import has_capability
from sunshine.org.choices import UnitKind
from sunshine.org.jurisdiction import get_visible

from .. import conf, routing
from ..capabilities import Capability
from ..choices import (
    ACCEPTED_STATUSES,
    CaseStatus,
    DeadlineKind,
    EventKind,
    Finding,
    MessageKind,
    MessageSide,
    Priority,
)
from ..events import event_record
from ..models import TRANSITIONS, Case, CaseCopy, CaseTransfer, Message
from ._common import clean_text, require_capability, sms, status_url
from .deadlines import deadline_meet, deadline_open, today_local
from .protection import identity_phone_for_notice

logger = logging.getLogger(__name__)

# Findings after which people are held accountable (问责整改); a not-substantiated case goes straight to the reply.
_ACCOUNTABLE_FINDINGS = {Finding.SUBSTANTIATED, Finding.PARTLY}


def _lock(*, case: Case, actor) -> Case:
    """Re-read the case under a row lock, within the actor's jurisdiction (404 otherwise)."""
    qs = Case.objects.select_for_update(of=("self",)).select_related("report", "handling_unit")
    return get_visible(qs, actor=actor, pk=case.pk)


def _require_handler(*, case: Case, actor) -> None:
    """Only the handling unit moves its case; the special governance office may act on any case."""
    if actor.is_superuser or has_capability(actor, Capability.GOVERNANCE):
        return
    if actor.unit_id != case.handling_unit_id:
        raise Forbidden("本案由其他单位承办,您不能办理")


def allowed_transitions(*, case: Case, actor) -> list[str]:
    """The edges out of the case's status this actor may take (for the desk's buttons)."""
    edges = TRANSITIONS.get(case.status, {})
    allowed = []
    for to, capability in edges.items():
        if not has_capability(actor, capability):
            continue
        if capability == Capability.HANDLE and not (
            actor.is_superuser or has_capability(actor, Capability.GOVERNANCE) or actor.unit_id == case.handling_unit_id
        ):
            continue
        allowed.append(to)
    return allowed


@transaction.atomic
def case_transition(*, case: Case, to: str, actor, reason: str = "", **data) -> Case:
    """Move `case` along one edge of TRANSITIONS: lock, check the edge and capability, save, record an event.

    data by target: TRANSFERRED needs to_unit (a Unit); CONCLUDED needs finding (Finding) and conclusion (text);
    CLOSED needs result (the reply the reporter reads). Reopening (CLOSED -> SCREENING) needs a reason.
    """
    case = _lock(case=case, actor=actor)
    from_status = case.status
    capability = TRANSITIONS.get(from_status, {}).get(to)
    if capability is None:
        raise ApplicationError(
            f"案件不能从“{CaseStatus(from_status).label}”转为“{CaseStatus(to).label if to in CaseStatus.values else to}”",
            code=CasesErrorCode.BAD_TRANSITION,
        )
    require_capability(actor, capability)
    if capability == Capability.HANDLE:
        _require_handler(case=case, actor=actor)
    reason = (reason or "").strip()
    fields = ["status", "updated_at"]
    effects: list = []

    if to == CaseStatus.TRANSFERRED:
        to_unit = data.get("to_unit")
        if to_unit is None:
            raise ApplicationError("请选择转办单位", code=CasesErrorCode.TO_UNIT_REQUIRED)
        if to_unit.pk == case.handling_unit_id:
            raise ApplicationError("转办单位不能是本单位", code=CasesErrorCode.SAME_UNIT)
        _transfer(case=case, to_unit=to_unit, actor=actor, reason=reason or "转交主管单位办理", rule="manual")
        fields.append("handling_unit")
        fields.append("suspected_violation")
    if to == CaseStatus.CONCLUDED:
        finding = data.get("finding")
        if finding not in Finding.values:
            raise ApplicationError("请选择核查结论(属实、部分属实、不属实)", code=CasesErrorCode.FINDING_REQUIRED)
        case.finding = finding
        case.conclusion = clean_text(data.get("conclusion", ""), field="办理情况", max_length=5000)
        case.concluded_at = timezone.now()
        fields += ["finding", "conclusion", "concluded_at"]
        deadline_open(case=case, kind=DeadlineKind.REPLY, starts_on=today_local())
    if to == CaseStatus.ACCOUNTABILITY and case.finding not in _ACCOUNTABLE_FINDINGS:
        raise ApplicationError("核查结论为不属实的案件不进入问责整改", code=CasesErrorCode.NOT_ACCOUNTABLE)
    if to == CaseStatus.CLOSED:
        result = clean_text(data.get("result", ""), field="答复举报人内容", max_length=5000)
        case.result_for_reporter = result
        case.closed_at = timezone.now()
        fields += ["result_for_reporter", "closed_at"]
        Message.objects.create(report=case.report, case=case, side=MessageSide.HANDLER, kind=MessageKind.RESULT,
                               text=result, author=actor)
        deadline_meet(case=case, kinds=[DeadlineKind.REPLY])
    if from_status == CaseStatus.CLOSED:  # reopening
        if not reason:
            raise ApplicationError("重新办理须说明理由", code=CasesErrorCode.REASON_REQUIRED)
        case.closed_at = None
        case.concluded_at = None
        case.finding = ""
        fields += ["closed_at", "concluded_at", "finding"]
        deadline_open(case=case, kind=DeadlineKind.TRANSFER, starts_on=today_local())
    if from_status == CaseStatus.SCREENING and to in ACCEPTED_STATUSES:
        # Screening ends in a decision: the clue is accepted (受理), so the 5- and 15-day clocks stop.
        case.accepted_at = timezone.now()
        fields.append("accepted_at")
        deadline_meet(case=case, kinds=[DeadlineKind.TRANSFER, DeadlineKind.ACCEPT_NOTICE])
        effects.append("accepted")
    if to == CaseStatus.CLOSED:
        effects.append("closed")

    case.status = to
    case.save(update_fields=fields)
    event_record(case=case, kind=EventKind.TRANSITION, actor=actor, reason=reason, from_status=from_status,
                 to_status=to, data={k: v for k, v in data.items() if isinstance(v, str | int | float | bool)})
    for effect in effects:
        _notify_reporter(case=case, event=effect)
    transaction.on_commit(functools.partial(_log_transition, case.pk, from_status, to, actor.pk))
    return case


def _log_transition(case_id: int, from_status: str, to: str, actor_id: int) -> None:
    logger.info("case %s: %s -> %s by account %s", case_id, from_status, to, actor_id)


def _notify_reporter(*, case: Case, event: str) -> None:
    """SMS a real-name reporter at acceptance and at closure (notify outbox, written in this transaction)."""
    report = case.report
    if not report.is_real_name:
        return
    phone = identity_phone_for_notice(report=report)
    if not phone:
        return
    occurrence = case.events.filter(kind=EventKind.TRANSITION, to_status=case.status).count()
    template = "report_accepted" if event == "accepted" else "report_closed"
    sms(phone=phone, template=template,
        params={"receipt_hint": report.receipt_hint, "date": f"{timezone.localdate():%Y-%m-%d}", "hotline": settings.SUNSHINE["HOTLINE"],
                "status_url": status_url()},
        idempotency_key=f"cases:case:{case.pk}:{event}:{occurrence}", purpose="举报办理告知",
        related=("cases.case", case.pk), is_reporter=True)


def _transfer(*, case: Case, to_unit, actor, reason: str, rule: str) -> CaseTransfer:
    transfer = CaseTransfer.objects.create(case=case, from_unit=case.handling_unit, to_unit=to_unit, reason=reason,
                                           rule=rule, actor=actor)
    case.handling_unit = to_unit
    if to_unit.kind in routing.DISCIPLINE_KINDS:
        case.suspected_violation = True
    event_record(case=case, kind=EventKind.TRANSFER, actor=actor, reason=reason,
                 data={"from_unit": transfer.from_unit.name if transfer.from_unit else "", "to_unit": to_unit.name,
                       "rule": rule})
    return transfer


@transaction.atomic
def case_transfer(*, case: Case, to_unit, actor, reason: str) -> Case:
    """Transfer an open case to another unit by procedure (三(三)1), keeping its stage; recorded with a reason."""
    require_capability(actor, Capability.TRANSFER)
    case = _lock(case=case, actor=actor)
    _require_handler(case=case, actor=actor)
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError("已结案的案件不能移送", code=CasesErrorCode.CLOSED)
    if to_unit.pk == case.handling_unit_id:
        raise ApplicationError("移送单位不能是本单位", code=CasesErrorCode.SAME_UNIT)
    reason = clean_text(reason, field="移送理由", max_length=1000)
    _transfer(case=case, to_unit=to_unit, actor=actor, reason=reason, rule="manual")
    case.save(update_fields=["handling_unit", "suspected_violation", "updated_at"])
    return case


@transaction.atomic
def case_mark_suspected(*, case: Case, actor, reason: str) -> Case:
    """Mark a clue 涉嫌违纪 and, unless a discipline office already has it, transfer it there by the routing table."""
    require_capability(actor, Capability.TRANSFER)
    case = _lock(case=case, actor=actor)
    _require_handler(case=case, actor=actor)
    reason = clean_text(reason, field="理由", max_length=1000)
    case.suspected_violation = True
    event_record(case=case, kind=EventKind.SUSPECTED, actor=actor, reason=reason)
    if case.handling_unit.kind not in routing.DISCIPLINE_KINDS and case.status != CaseStatus.CLOSED:
        report = case.report
        route = routing.route(routing.Clue(region=report.region, about_unit=report.about_unit,
                                           problem_type_number=_type_number(report), suspected_violation=True))
        if route.unit.pk != case.handling_unit_id:
            _transfer(case=case, to_unit=route.unit, actor=actor, reason=f"{route.reason}:{reason}", rule=route.rule)
    case.save(update_fields=["suspected_violation", "handling_unit", "updated_at"])
    return case


@transaction.atomic
def case_escalate_level(*, case: Case, actor, reason: str) -> Case:
    """三(三)2: a discipline room takes a clue from a unit it supervises up to itself (提级办理)."""
    require_capability(actor, Capability.ESCALATE)
    case = _lock(case=case, actor=actor)
    if actor.unit is None or actor.unit.kind not in (UnitKind.DISCIPLINE_ROOM, UnitKind.DISCIPLINE_GROUP,
                                                     UnitKind.DISCIPLINE_COMMISSION):
        raise Forbidden("只有纪检监察室(派驻纪检组)可以提级办理")
    if case.handling_unit_id == actor.unit_id:
        raise ApplicationError("本案已由本单位办理", code=CasesErrorCode.ALREADY_OURS)
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError("已结案的案件不能提级办理", code=CasesErrorCode.CLOSED)
    reason = clean_text(reason, field="提级理由", max_length=1000)
    from_unit = case.handling_unit
    _transfer(case=case, to_unit=actor.unit, actor=actor, reason=f"提级办理:{reason}", rule="escalate")
    case.escalated = True
    case.save(update_fields=["handling_unit", "suspected_violation", "escalated", "updated_at"])
    event_record(case=case, kind=EventKind.ESCALATE, actor=actor, reason=reason,
                 data={"from_unit": from_unit.name, "to_unit": actor.unit.name})
    return case


def case_copy_to_office(*, case: Case, reason: str = "") -> CaseCopy | None:
    """三(三)2: every clue is copied to the special governance office (once)."""
    office = routing.governance_office()
    if office is None:
        logger.warning("no special governance office unit: case %s not copied", case.pk)
        return None
    copy, created = CaseCopy.objects.get_or_create(case=case, to_unit=office,
                                                   defaults={"reason": reason or "抄送市专项治理办"})
    if created:
        event_record(case=case, kind=EventKind.COPY, reason=copy.reason, data={"to_unit": office.name})
    return copy


@transaction.atomic
def case_set_priority(*, case: Case, actor, priority: int, reason: str = "") -> Case:
    require_capability(actor, Capability.HANDLE)
    case = _lock(case=case, actor=actor)
    _require_handler(case=case, actor=actor)
    if priority not in Priority.values:
        raise ApplicationError("优先级无效", code=CoreErrorCode.INVALID)
    case.priority = priority
    case.save(update_fields=["priority", "updated_at"])
    event_record(case=case, kind=EventKind.PRIORITY, actor=actor, reason=reason,
                 data={"priority": priority})
    return case


def _type_number(report) -> int | None:
    if report.problem_type_id:
        return report.problem_type.number
    if report.suggested_problem_type_id:
        return report.suggested_problem_type.number
    return None


def case_priority_for(report) -> int:
    """三(三)2 poverty clues first: a clue about a poor village, a published fund record, a red flag, or one staff
    (or a confident classifier suggestion) place among the 27 poverty problem types is a poverty clue."""
    confident = (report.suggested_problem_type_id is not None
                 and (report.suggestion_score or 0) >= conf.get("POVERTY_SUGGESTION_SCORE"))
    if report.problem_type_id or confident or report.about_type:
        return Priority.POVERTY
    if report.region_id and report.region.is_poor_village:
        return Priority.POVERTY
    if report.channel == "redflag":
        return Priority.POVERTY
    return Priority.NORMAL


__all__ = [
    "allowed_transitions", "case_transition", "case_transfer", "case_mark_suspected", "case_escalate_level",
    "case_copy_to_office", "case_set_priority", "case_priority_for",
]
