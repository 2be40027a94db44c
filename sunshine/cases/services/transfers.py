"""One transfer mechanism: every change of a case's handling unit is a CaseTransfer row of one TransferKind.

分办 at intake (routing rule), 转办 at the 转办 step, 移送 by procedure (三(三)1, e.g. 涉嫌违纪), 提级办理 (三(三)2)
and 一案双查 all go through `transfer_record`, the only writer of Case.handling_unit after a case is created.
"""
from __future__ import annotations

from django.db import transaction

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError, Forbidden

from .. import events, routing
from ..capabilities import Capability
from ..choices import CaseStatus, TransferKind
from ..models import Case, CaseTransfer
from ..transitions import can_escalate
from ._access import lock_case, require_handler
from ._common import clean_text, require_capability

# Fields transfer_record changes on the case (the caller saves them with its own).
TRANSFER_FIELDS = ("handling_unit", "suspected_violation", "handler")
_CURRENT = object()  # from_unit default: the case's handling unit before the transfer


def transfer_record(*, case: Case, to_unit, kind: str, actor, reason: str, rule: str = "",
                    from_unit=_CURRENT) -> CaseTransfer:
    """Hand `case` (locked by the caller) to `to_unit`: a transfer row, a timeline line, the handler cleared.

    The caller saves TRANSFER_FIELDS. At intake (分办) `from_unit` is the unit that took the report in, if any.
    A unit of the discipline system marks the clue 涉嫌违纪; the new unit's head
    names a new 承办人.
    """
    if kind not in TransferKind.values:
        raise ApplicationError("移送方式无效", code=CasesErrorCode.TRANSFER_KIND)
    if from_unit is _CURRENT:
        from_unit = case.handling_unit
    transfer = CaseTransfer.objects.create(case=case, kind=kind, from_unit=from_unit, to_unit=to_unit,
                                           reason=reason, rule=rule, actor=actor)
    case.handling_unit = to_unit
    case.handler = None
    if to_unit.kind in routing.DISCIPLINE_KINDS | routing.TOWNSHIP_DISCIPLINE_KINDS:
        case.suspected_violation = True
    events.transferred(case=case, actor=actor, kind=kind, from_unit=from_unit, to_unit=to_unit, rule=rule,
                       reason=reason)
    return transfer


@transaction.atomic
def case_transfer(*, case: Case, to_unit, actor, reason: str) -> Case:
    """移送 an open case to another unit by procedure (三(三)1), keeping its stage; recorded with a reason."""
    require_capability(actor, Capability.TRANSFER)
    case = lock_case(case=case, actor=actor)
    require_handler(case=case, actor=actor)
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError("已办结的案件不能移送", code=CasesErrorCode.CLOSED)
    if to_unit.pk == case.handling_unit_id:
        raise ApplicationError("移送单位不能是本单位", code=CasesErrorCode.SAME_UNIT)
    reason = clean_text(reason, field="移送理由", max_length=1000)
    transfer_record(case=case, to_unit=to_unit, kind=TransferKind.REFERRAL, actor=actor, reason=reason,
                    rule="manual")
    case.save(update_fields=[*TRANSFER_FIELDS, "updated_at"])
    return case


def _type_number(report) -> int | None:
    if report.problem_type_id:
        return report.problem_type.number
    if report.suggested_problem_type_id:
        return report.suggested_problem_type.number
    return None


@transaction.atomic
def case_mark_suspected(*, case: Case, actor, reason: str) -> Case:
    """Mark a clue 涉嫌违纪 and, unless a discipline office already has it, 移送 it there by the routing table."""
    require_capability(actor, Capability.TRANSFER)
    case = lock_case(case=case, actor=actor)
    require_handler(case=case, actor=actor)
    reason = clean_text(reason, field="理由", max_length=1000)
    case.suspected_violation = True
    events.suspected(case=case, actor=actor, reason=reason)
    if (case.handling_unit.kind not in routing.DISCIPLINE_KINDS | routing.TOWNSHIP_DISCIPLINE_KINDS
            and case.status != CaseStatus.CLOSED):
        report = case.report
        route = routing.route(routing.Clue(region=report.region, about_unit=report.about_unit,
                                           problem_type_number=_type_number(report), suspected_violation=True))
        if route.unit.pk != case.handling_unit_id:
            transfer_record(case=case, to_unit=route.unit, kind=TransferKind.REFERRAL, actor=actor,
                            reason=f"{route.reason}:{reason}", rule=route.rule)
    case.save(update_fields=[*TRANSFER_FIELDS, "updated_at"])
    return case


@transaction.atomic
def case_escalate_level(*, case: Case, actor, reason: str) -> Case:
    """三(三)2: a discipline room takes a clue from a unit it supervises up to itself (提级办理)."""
    require_capability(actor, Capability.ESCALATE)
    case = lock_case(case=case, actor=actor)
    if actor.unit is None or actor.unit.kind not in routing.DISCIPLINE_KINDS:
        raise Forbidden("只有纪检监察室(派驻纪检组)可以提级办理")
    if case.handling_unit_id == actor.unit_id:
        raise ApplicationError("本案已由本单位办理", code=CasesErrorCode.ALREADY_OURS)
    if not can_escalate(case=case, actor=actor):
        raise ApplicationError("已办结的案件不能提级办理", code=CasesErrorCode.CLOSED)
    reason = clean_text(reason, field="提级理由", max_length=1000)
    from_unit = case.handling_unit
    transfer_record(case=case, to_unit=actor.unit, kind=TransferKind.ESCALATE, actor=actor,
                    reason=f"提级办理:{reason}", rule="escalate")
    case.escalated = True
    case.save(update_fields=[*TRANSFER_FIELDS, "escalated", "updated_at"])
    events.escalated(case=case, actor=actor, from_unit=from_unit, to_unit=actor.unit, reason=reason)
    return case


__all__ = ["TRANSFER_FIELDS", "case_escalate_level", "case_mark_suspected", "case_transfer", "transfer_record"]
