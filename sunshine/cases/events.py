"""Factories for case timeline rows: every change to a case leaves one typed CaseEvent."""
from __future__ import annotations

from .choices import CaseStatus, EventKind
from .models import Case, CaseEvent

# Timeline lines a reporter may see on the status page (no names, no units beyond "已转办").
PUBLIC_KINDS = {EventKind.SUBMITTED, EventKind.TRANSITION, EventKind.QUESTION, EventKind.ANSWER}


def event_record(*, case: Case, kind: str, actor=None, reason: str = "", from_status: str = "", to_status: str = "",
                 data: dict | None = None, public: bool | None = None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, reason=reason, from_status=from_status, to_status=to_status,
        data=data or {}, public=(kind in PUBLIC_KINDS) if public is None else public,
    )


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
