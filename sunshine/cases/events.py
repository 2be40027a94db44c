"""Case timeline rows: one typed constructor per event kind, so a reader knows what each event carries.

Every change to a case leaves one CaseEvent, written here and nowhere else. `data` holds only what the
constructor names; the desk's timeline and the reporter's status page (`public_label`) read it back.
"""
from __future__ import annotations

import datetime as dt

from .choices import CaseStatus, EventKind
from .models import Case, CaseEvent

# Timeline lines a reporter may see on the status page (no names, no units beyond "已转办").
PUBLIC_KINDS = frozenset({EventKind.SUBMITTED, EventKind.TRANSITION, EventKind.QUESTION, EventKind.ANSWER})


def _write(*, case: Case, kind: str, actor=None, reason: str = "", from_status: str = "", to_status: str = "",
           data: dict | None = None) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, reason=reason, from_status=from_status,
                                    to_status=to_status, data=data or {}, public=kind in PUBLIC_KINDS)


def submitted(*, case: Case, actor, channel: str, real_name: bool) -> CaseEvent:
    return _write(case=case, kind=EventKind.SUBMITTED, actor=actor, data={"channel": channel, "real_name": real_name})


def transitioned(*, case: Case, actor, from_status: str, to_status: str, reason: str,
                 finding: str = "") -> CaseEvent:
    return _write(case=case, kind=EventKind.TRANSITION, actor=actor, reason=reason, from_status=from_status,
                  to_status=to_status, data={"finding": finding} if finding else {})


def transferred(*, case: Case, actor, kind: str, from_unit, to_unit, rule: str, reason: str) -> CaseEvent:
    """A change of handling unit (TransferKind); intake routing is shown as 分办, the others as 移送."""
    from .choices import TransferKind

    event_kind = EventKind.ROUTED if kind == TransferKind.ROUTED else EventKind.TRANSFER
    return _write(case=case, kind=event_kind, actor=actor, reason=reason,
                  data={"transfer_kind": kind, "from_unit": from_unit.name if from_unit else "",
                        "to_unit": to_unit.name, "rule": rule})


def escalated(*, case: Case, actor, from_unit, to_unit, reason: str) -> CaseEvent:
    return _write(case=case, kind=EventKind.ESCALATE, actor=actor, reason=reason,
                  data={"from_unit": from_unit.name, "to_unit": to_unit.name})


def priority_changed(*, case: Case, actor, priority: int, reason: str) -> CaseEvent:
    return _write(case=case, kind=EventKind.PRIORITY, actor=actor, reason=reason, data={"priority": priority})


def copied(*, case: Case, to_unit, reason: str) -> CaseEvent:
    return _write(case=case, kind=EventKind.COPY, reason=reason, data={"to_unit": to_unit.name})


def type_confirmed(*, case: Case, actor, number: int, previous: int | None, suggested: int | None) -> CaseEvent:
    return _write(case=case, kind=EventKind.TYPE_CONFIRMED, actor=actor,
                  data={"number": number, "previous": previous, "suggested": suggested})


def suspected(*, case: Case, actor, reason: str) -> CaseEvent:
    return _write(case=case, kind=EventKind.SUSPECTED, actor=actor, reason=reason)


def question_asked(*, case: Case, actor) -> CaseEvent:
    return _write(case=case, kind=EventKind.QUESTION, actor=actor)


def reporter_answered(*, case: Case) -> CaseEvent:
    return _write(case=case, kind=EventKind.ANSWER)


def duplicate_marked(*, case: Case, actor, duplicate_of_report_id: int, reason: str) -> CaseEvent:
    return _write(case=case, kind=EventKind.DUPLICATE, actor=actor, reason=reason,
                  data={"duplicate_of": duplicate_of_report_id})


def accountability_recorded(*, case: Case, actor, measure: str, sanction: str, person: str, unit) -> CaseEvent:
    return _write(case=case, kind=EventKind.ACCOUNTABILITY, actor=actor,
                  data={"measure": measure, "sanction": sanction, "person": person,
                        "unit": unit.name if unit else ""})


def recovery_recorded(*, case: Case, actor, amount, recovered_on: dt.date) -> CaseEvent:
    return _write(case=case, kind=EventKind.RECOVERY, actor=actor,
                  data={"amount": str(amount), "recovered_on": recovered_on.isoformat()})


def funds_returned(*, case: Case, actor, household_code: str, amount, returned_on: dt.date) -> CaseEvent:
    return _write(case=case, kind=EventKind.FUNDS_RETURNED, actor=actor,
                  data={"household": household_code, "amount": str(amount), "returned_on": returned_on.isoformat()})


def recalled(*, case: Case, actor, person_name: str, post: str, reason: str) -> CaseEvent:
    return _write(case=case, kind=EventKind.RECALL, actor=actor, reason=reason,
                  data={"person": person_name, "post": post})


def dual_opened(*, case: Case, actor, dual_case: str = "", dual_of: str = "") -> CaseEvent:
    data = {"dual_case": dual_case} if dual_case else {"dual_of": dual_of}
    return _write(case=case, kind=EventKind.DUAL, actor=actor, data=data)


def exposure_proposed(*, case: Case, actor, exposure_id: int) -> CaseEvent:
    return _write(case=case, kind=EventKind.EXPOSURE, actor=actor, data={"exposure": exposure_id, "step": "proposed"})


def exposure_reviewed(*, case: Case, actor, exposure_id: int, approved: bool, comment: str) -> CaseEvent:
    return _write(case=case, kind=EventKind.EXPOSURE_REVIEW, actor=actor, reason=comment,
                  data={"exposure": exposure_id, "approved": approved})


def deadline_alerted(*, case: Case, message: str, deadline_kind: str, level: str, due_on: dt.date) -> CaseEvent:
    return _write(case=case, kind=EventKind.DEADLINE, reason=message,
                  data={"deadline": deadline_kind, "level": level, "due_on": due_on.isoformat()})


def handler_assigned(*, case: Case, actor, handler, previous) -> CaseEvent:
    """A 承办人 named, or replaced (the previous one is kept: reassignment is on the record)."""
    return _write(case=case, kind=EventKind.HANDLER, actor=actor,
                  data={"handler": handler.display_name if handler else "",
                        "previous": previous.display_name if previous else ""})


def urged(*, case: Case, actor, note: str, due_on: dt.date) -> CaseEvent:
    return _write(case=case, kind=EventKind.URGE, actor=actor, reason=note, data={"due_on": due_on.isoformat()})


def public_label(event: CaseEvent) -> str:
    """What the reporter reads for a public event."""
    if event.kind == EventKind.SUBMITTED:
        return "收到您的举报"
    if event.kind == EventKind.TRANSITION:
        return f"案件进入“{CaseStatus(event.to_status).label}”阶段"
    if event.kind == EventKind.QUESTION:
        return "承办人向您询问"
    if event.kind == EventKind.ANSWER:
        return "您补充了情况"
    return EventKind(event.kind).label
