"""The case state machine's one writer (`case_transition`) and the moves around it that keep the stage:
priority, the named handler (承办人), 督办, the copy to the office.

The edge table and who may take an edge live in `cases/transitions.py`; what each step does to the case is one
small function per target status below (`_STEP_EFFECTS`); the reporter's SMS are in `notices.py`; changes of
handling unit in `transfers.py`.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError, CoreErrorCode, Forbidden, NotFound
from sunshine.org.jurisdiction import get_visible

from .. import conf, events, routing
from ..capabilities import Capability
from ..choices import (
    ACCEPTED_STATUSES,
    CaseStatus,
    DeadlineKind,
    Finding,
    MessageKind,
    MessageSide,
    Priority,
    TransferKind,
)
from ..models import Case, CaseCopy, CaseUrge, Message
from ..transitions import TO_UNIT, can_assign, can_handle, can_urge, close_refusals, step_for
from . import notices
from ._access import lock_case, require_handler
from ._common import clean_text, require_capability
from .deadlines import deadline_meet, deadline_open, today_local
from .transfers import TRANSFER_FIELDS, transfer_record

logger = logging.getLogger(__name__)

# Findings after which people are held accountable (问责整改); a not-substantiated case goes straight to the reply.
_ACCOUNTABLE_FINDINGS = {Finding.SUBSTANTIATED, Finding.PARTLY}
MAX_TEXT = 5000

# Kept for callers of the old private names (outcomes, intake).
_lock = lock_case
_require_handler = require_handler


# ---- what each step does (target status -> effect); each returns the extra fields it changed ------------------

def _to_transferred(case: Case, actor, reason: str, data: dict) -> list[str]:
    to_unit = data.get(TO_UNIT)
    if to_unit is None:
        raise ApplicationError("请选择转办单位", code=CasesErrorCode.TO_UNIT_REQUIRED)
    if to_unit.pk == case.handling_unit_id:
        raise ApplicationError("转办单位不能是本单位", code=CasesErrorCode.SAME_UNIT)
    transfer_record(case=case, to_unit=to_unit, kind=TransferKind.HANDOVER, actor=actor,
                    reason=reason or "转交主管单位办理", rule="manual")
    return list(TRANSFER_FIELDS)


def _to_concluded(case: Case, actor, reason: str, data: dict) -> list[str]:
    finding = data.get("finding")
    if finding not in Finding.values:
        raise ApplicationError("请选择核查结论(属实、部分属实、不属实)", code=CasesErrorCode.FINDING_REQUIRED)
    case.finding = finding
    case.conclusion = clean_text(data.get("conclusion", ""), field="办理情况", max_length=MAX_TEXT)
    case.concluded_at = timezone.now()
    deadline_open(case=case, kind=DeadlineKind.REPLY, starts_on=today_local())
    return ["finding", "conclusion", "concluded_at"]


def _to_accountability(case: Case, actor, reason: str, data: dict) -> list[str]:
    if case.finding not in _ACCOUNTABLE_FINDINGS:
        raise ApplicationError("核查结论为不属实的案件不进入问责整改", code=CasesErrorCode.NOT_ACCOUNTABLE)
    return []


def _to_reply(case: Case, actor, reason: str, data: dict) -> list[str]:
    """答复举报人: the reply is written at its own step; the reporter reads it with the receipt code."""
    result = clean_text(data.get("result", ""), field="答复举报人内容", max_length=MAX_TEXT)
    case.result_for_reporter = result
    Message.objects.create(report=case.report, case=case, side=MessageSide.HANDLER, kind=MessageKind.RESULT,
                           text=result, author=actor)
    deadline_meet(case=case, kinds=[DeadlineKind.REPLY])
    return ["result_for_reporter"]


def _to_closed(case: Case, actor, reason: str, data: dict) -> list[str]:
    """办结: the reply was given at the previous step; open 督办 end with the case."""
    if not case.result_for_reporter:
        raise ApplicationError("请先答复举报人", code=CasesErrorCode.REPLY_REQUIRED)
    refusals = close_refusals(case)
    if refusals:
        raise ApplicationError("不能办结:" + ";".join(refusals), code=CasesErrorCode.CLOSE_REFUSED)
    case.closed_at = timezone.now()
    CaseUrge.objects.filter(case=case, resolved_at__isnull=True).update(resolved_at=case.closed_at)
    return ["closed_at"]


def _reopened(case: Case, actor, reason: str, data: dict) -> list[str]:
    if not reason:
        raise ApplicationError("重新办理须说明理由", code=CasesErrorCode.REASON_REQUIRED)
    case.closed_at = None
    case.concluded_at = None
    case.finding = ""
    case.result_for_reporter = ""
    deadline_open(case=case, kind=DeadlineKind.TRANSFER, starts_on=today_local())
    return ["closed_at", "concluded_at", "finding", "result_for_reporter"]


def _accepted(case: Case) -> list[str]:
    """Screening ends in a decision (转办 or 初核): the clue is accepted, so the 5- and 15-day clocks stop."""
    case.accepted_at = timezone.now()
    deadline_meet(case=case, kinds=[DeadlineKind.TRANSFER, DeadlineKind.ACCEPT_NOTICE])
    return ["accepted_at"]


_STEP_EFFECTS: dict[str, Callable[[Case, object, str, dict], list[str]]] = {
    CaseStatus.TRANSFERRED: _to_transferred,
    CaseStatus.CONCLUDED: _to_concluded,
    CaseStatus.ACCOUNTABILITY: _to_accountability,
    CaseStatus.REPLY: _to_reply,
    CaseStatus.CLOSED: _to_closed,
}


@transaction.atomic
def case_transition(*, case: Case, to: str, actor, reason: str = "", **data) -> Case:
    """Take one step of transitions.STEPS: lock, check the edge and who may take it, apply the step, save, record.

    data by target: TRANSFERRED needs to_unit (a Unit the caller fetched through a selector); CONCLUDED needs
    finding (Finding) and conclusion; REPLY needs result (the reply the reporter reads). Reopening needs a reason.
    """
    case = lock_case(case=case, actor=actor)
    from_status = case.status
    step = step_for(source=from_status, target=to)
    if step is None:
        target = CaseStatus(to).label if to in CaseStatus.values else to
        raise ApplicationError(f"案件不能从“{CaseStatus(from_status).label}”转为“{target}”", code=CasesErrorCode.BAD_TRANSITION)
    require_capability(actor, step.capability)
    if step.capability == Capability.HANDLE:
        require_handler(case=case, actor=actor)
    reason = (reason or "").strip()
    fields = ["status", "updated_at"]
    if from_status == CaseStatus.CLOSED:
        fields += _reopened(case, actor, reason, data)
    effect = _STEP_EFFECTS.get(to)
    if effect is not None:
        fields += effect(case, actor, reason, data)
    accepted = from_status == CaseStatus.SCREENING and to in ACCEPTED_STATUSES
    if accepted:
        fields += _accepted(case)

    case.status = to
    case.save(update_fields=fields)
    events.transitioned(case=case, actor=actor, from_status=from_status, to_status=to, reason=reason,
                        finding=case.finding if to == CaseStatus.CONCLUDED else "")
    audit_record(event=AuditEvent.CASE_TRANSITION, actor=actor, obj=case, detail={"from": from_status, "to": to})
    if accepted:
        notices.reporter_notify(case=case, notice=notices.ACCEPTED)
    if to == CaseStatus.CLOSED:
        notices.reporter_notify(case=case, notice=notices.CLOSED)
    transaction.on_commit(functools.partial(_log_transition, case.pk, from_status, to, actor.pk))
    return case


def _log_transition(case_id: int, from_status: str, to: str, actor_id: int) -> None:
    logger.info("case %s: %s -> %s by account %s", case_id, from_status, to, actor_id)


# ---- moves that keep the stage ---------------------------------------------------------------------------------

def case_copy_to_office(*, case: Case, reason: str = "") -> CaseCopy | None:
    """三(三)2: every clue is copied to the special governance office (once)."""
    office = routing.governance_office()
    if office is None:
        logger.warning("no special governance office unit: case %s not copied", case.pk)
        return None
    copy, created = CaseCopy.objects.get_or_create(case=case, to_unit=office,
                                                   defaults={"reason": reason or "抄送市专项治理办"})
    if created:
        events.copied(case=case, to_unit=office, reason=copy.reason)
    return copy


@transaction.atomic
def case_set_priority(*, case: Case, actor, priority: int, reason: str = "") -> Case:
    """Change the order a case is handled in (三(三)2 poverty clues first), with a line on the timeline."""
    require_capability(actor, Capability.HANDLE)
    case = lock_case(case=case, actor=actor)
    require_handler(case=case, actor=actor)
    if priority not in Priority.values:
        raise ApplicationError("优先级无效", code=CoreErrorCode.INVALID)
    if priority == case.priority:
        return case
    case.priority = priority
    case.save(update_fields=["priority", "updated_at"])
    events.priority_changed(case=case, actor=actor, priority=priority, reason=(reason or "").strip())
    return case


def handler_candidates(*, case: Case):
    """Accounts of the handling unit that may handle cases: who can be named 承办人."""
    from sunshine.org.capabilities import role_capabilities
    from sunshine.org.choices import Role
    from sunshine.org.models import Account

    roles = [r for r in Role.values if str(Capability.HANDLE) in role_capabilities(r)]
    return (Account.objects.filter(unit_id=case.handling_unit_id, is_active=True, role__in=roles)
            .select_related("person").order_by("person__name", "username"))


@transaction.atomic
def case_assign_handler(*, case: Case, actor, handler_id: int) -> Case:
    """The handling unit's head names the 承办人 (or names another: the previous one stays on the record)."""
    require_capability(actor, Capability.HANDLE)
    case = lock_case(case=case, actor=actor)
    if not can_assign(case=case, actor=actor):
        raise Forbidden("只有承办单位负责人可以指定承办人")
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError("已办结的案件不能再指定承办人", code=CasesErrorCode.CLOSED)
    try:
        handler = get_visible(handler_candidates(case=case), actor=actor, pk=handler_id)
    except NotFound:
        raise ApplicationError("承办人须是承办单位的办案人员", code=CasesErrorCode.HANDLER_NOT_IN_UNIT) from None
    if handler.pk == case.handler_id:
        return case
    previous = case.handler
    case.handler = handler
    case.save(update_fields=["handler", "updated_at"])
    events.handler_assigned(case=case, actor=actor, handler=handler, previous=previous)
    return case


@transaction.atomic
def case_urge(*, case: Case, actor, note: str, due_on: dt.date, today: dt.date | None = None) -> CaseUrge:
    """督办: the special governance office or a city leader urges an open case, with a note and a date to act by.

    `today` is the local date the date is checked against (the demo seeds with its own date).
    """
    require_capability(actor, Capability.URGE)
    case = lock_case(case=case, actor=actor)
    if not can_urge(case=case, actor=actor):
        raise ApplicationError("已办结的案件不能督办", code=CasesErrorCode.CLOSED)
    note = clean_text(note, field="督办意见", max_length=1000)
    if due_on < (today or today_local()):
        raise ApplicationError("办理期限不能早于今天", code=CasesErrorCode.PAST_DATE)
    urge = CaseUrge.objects.create(case=case, note=note, due_on=due_on, actor=actor)
    events.urged(case=case, actor=actor, note=note, due_on=due_on)
    return urge


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
    "can_handle", "case_assign_handler", "case_copy_to_office", "case_priority_for", "case_set_priority",
    "case_transition", "case_urge", "handler_candidates",
]
