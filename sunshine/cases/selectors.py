"""Reads of the report desk: every staff list is scoped by the actor; the reporter reads by receipt code."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from sunshine.core.errors import NotFound
from sunshine.core.workdays import working_days_between
from sunshine.org.capabilities import has_capability, require
from sunshine.org.jurisdiction import get_visible, visible

from .capabilities import Capability
from .choices import AlertLevel, CaseStatus, DeadlineKind, Finding, MessageSide
from .events import public_label
from .models import (
    Attachment,
    Case,
    CaseCopy,
    CaseDeadline,
    CaseEvent,
    DeadlineAlert,
    Exposure,
    IdentityAccessLog,
    Message,
    Report,
)

# ---- the reporter's status page -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClockLine:
    kind: str
    label: str
    due_on: dt.date
    working_days_left: int  # negative once overdue
    met: bool
    overdue: bool
    estimated: bool = False  # counted on Monday–Friday: next year's holiday arrangement not yet installed


@dataclass(frozen=True)
class TimelineLine:
    at: dt.datetime
    label: str


@dataclass(frozen=True)
class MessageLine:
    side: str  # "handler" / "reporter"
    kind: str
    text: str
    at: dt.datetime
    unread: bool  # a handler message the reporter has not opened yet


@dataclass(frozen=True)
class ReportStatus:
    """What a reporter sees with their receipt code: no staff names, no units, no identity."""

    case_number: str
    submitted_at: dt.datetime
    status: str
    status_label: str
    is_real_name: bool
    finding: str
    finding_label: str
    result: str  # the reply, once the case is closed
    closed: bool
    clock: list[ClockLine] = field(default_factory=list)
    timeline: list[TimelineLine] = field(default_factory=list)
    messages: list[MessageLine] = field(default_factory=list)
    attachment_count: int = 0

    @property
    def questions_waiting(self) -> int:
        return sum(1 for m in self.messages if m.side == MessageSide.HANDLER and m.unread)


def clock_for(case: Case, *, today: dt.date | None = None) -> list[ClockLine]:
    """The case's deadlines with working days left (the latest of each kind)."""
    today = today or timezone.localdate()
    latest: dict[str, CaseDeadline] = {}
    for d in sorted(case.deadlines.all(), key=lambda d: (d.kind, d.starts_on, d.pk)):
        latest[d.kind] = d
    lines = []
    for d in sorted(latest.values(), key=lambda d: d.due_on):
        met = d.met_at is not None
        left = working_days_between(today, d.due_on, strict=False) if not met else 0
        lines.append(ClockLine(kind=d.kind, label=str(DeadlineKind(d.kind).label), due_on=d.due_on,
                               working_days_left=left, met=met, overdue=(not met and today > d.due_on),
                               estimated=d.estimated))
    return lines


def report_status_for_receipt(*, receipt_code: str, today: dt.date | None = None) -> ReportStatus:
    """The read model behind the public status page; a wrong code raises NotFound."""
    from .services.intake import report_for_receipt

    report = report_for_receipt(receipt_code=receipt_code)
    case = (Case.objects.filter(report=report).order_by(
        # The open case if there is one, else the latest.
        "closed_at", "-pk").prefetch_related("deadlines").first())
    if case is None:  # every report gets a case at intake; a missing one is a data error, not the reporter's
        raise NotFound("未找到该举报的办理记录", code="receipt_unknown")
    events = CaseEvent.objects.filter(case__report=report, public=True).order_by("created_at", "id")
    messages = Message.objects.filter(report=report).order_by("created_at", "id")
    closed = case.status == CaseStatus.CLOSED
    return ReportStatus(
        case_number=case.number or "",
        submitted_at=report.created_at,
        status=case.status,
        status_label=str(CaseStatus(case.status).label),
        is_real_name=report.is_real_name,
        finding=case.finding if closed else "",
        finding_label=str(Finding(case.finding).label) if (closed and case.finding) else "",
        result=case.result_for_reporter if closed else "",
        closed=closed,
        clock=clock_for(case, today=today),
        timeline=[TimelineLine(at=e.created_at, label=str(public_label(e))) for e in events],
        messages=[MessageLine(side=m.side, kind=m.kind, text=m.text, at=m.created_at,
                              unread=(m.side == MessageSide.HANDLER and m.read_by_reporter_at is None))
                  for m in messages],
        attachment_count=report.attachments.count(),
    )


# ---- staff ------------------------------------------------------------------------------------------------------

def _case_qs() -> QuerySet[Case]:
    return Case.objects.select_related(
        "report", "report__region", "report__region__parent", "report__region__parent__parent", "report__problem_type",
        "report__about_unit",
        "report__suggested_problem_type", "handling_unit",
    )


def _overdue_q(today: dt.date) -> Exists:
    return Exists(CaseDeadline.objects.filter(case=OuterRef("pk"), met_at__isnull=True, due_on__lt=today))


def case_list_visible_to(*, actor, status: str | None = None, overdue_only: bool = False, q: str = "",
                         unit_id: int | None = None, include_closed: bool = True,
                         today: dt.date | None = None) -> QuerySet[Case]:
    """The desk queue: the actor's cases, poverty clues first, then overdue, then oldest."""
    require(actor, Capability.VIEW)
    today = today or timezone.localdate()
    qs = visible(_case_qs(), actor=actor).annotate(is_overdue=_overdue_q(today))
    if status:
        qs = qs.filter(status=status)
    elif not include_closed:
        qs = qs.exclude(status=CaseStatus.CLOSED)
    if overdue_only:
        qs = qs.filter(is_overdue=True)
    if unit_id:
        qs = qs.filter(handling_unit_id=unit_id)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(report__text__icontains=q) | Q(report__about_person_name=q))
    return qs.order_by("priority", "-is_overdue", "received_on", "pk")


def case_get_for(*, actor, pk: int) -> Case:
    """One case the actor may see (404 otherwise), with its timeline, deadlines and outcomes loaded."""
    require(actor, Capability.VIEW)
    qs = _case_qs().select_related("dual_of").prefetch_related(
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        "deadlines", "transfers__from_unit", "transfers__to_unit", "copies__to_unit",
        "accountabilities__unit", "recoveries__returns__household", "recalls__position__person", "dual_cases",
        Prefetch("messages", queryset=Message.objects.order_by("created_at", "id")),
        "report__attachments", "report__similar_links__similar_to",
    )
    return get_visible(qs, actor=actor, pk=pk)


def attachment_get_for(*, actor, pk: int) -> Attachment:
    """An attachment of a report whose case the actor may see; otherwise 404, whether the id exists elsewhere, does
    not exist at all, or the actor reads no cases (an id must not tell a stranger that a file is there)."""
    if not has_capability(actor, Capability.VIEW):
        raise NotFound()
    cases = visible(Case.objects.all(), actor=actor).values("report_id")
    attachment = Attachment.objects.filter(pk=pk, report_id__in=cases).first()
    if attachment is None:
        raise NotFound()
    return attachment


def case_messages(*, case: Case) -> QuerySet[Message]:
    return Message.objects.filter(report_id=case.report_id).select_related("author").prefetch_related("attachments")


def copies_for_office(*, actor) -> QuerySet[CaseCopy]:
    """三(三)2: every clue copied to the special governance office, newest first."""
    require(actor, Capability.GOVERNANCE)
    return visible(CaseCopy.objects.select_related("case", "case__handling_unit", "case__report",
                                                   "case__report__region"), actor=actor).order_by(
        "case__priority", "-created_at")


def identity_access_log(*, actor) -> QuerySet[IdentityAccessLog]:
    """Every read of a reporter's identity (who, when, why, which case): for the special governance office."""
    require(actor, Capability.GOVERNANCE)
    return IdentityAccessLog.objects.select_related("actor", "actor__person", "actor_unit", "case")


def overdue_deadlines(*, actor, today: dt.date | None = None) -> QuerySet[CaseDeadline]:
    require(actor, Capability.VIEW)
    today = today or timezone.localdate()
    return visible(CaseDeadline.objects.filter(met_at__isnull=True, due_on__lt=today)
                   .select_related("case", "case__handling_unit"), actor=actor).order_by("due_on")


def alerts_for(*, actor, open_only: bool = True) -> QuerySet[DeadlineAlert]:
    """Deadline alerts addressed to the actor's unit (the office and whole-city roles see all)."""
    require(actor, Capability.VIEW)
    qs = DeadlineAlert.objects.select_related("case", "deadline")
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return visible(qs, actor=actor).distinct().order_by("-level", "-created_at")


def report_similar(*, report: Report) -> QuerySet[Report]:
    return Report.objects.filter(pk__in=report.similar_links.values("similar_to_id"))


# ---- public exposures (通报曝光) --------------------------------------------------------------------------------

def exposure_list_public() -> QuerySet[Exposure]:
    """Published exposure notices, newest first: already minimised text, safe for the public portal."""
    return Exposure.objects.filter(published_at__isnull=False).prefetch_related("people").order_by(
        "-published_at", "-pk")


def exposure_get_public(pk: int) -> Exposure:
    try:
        return exposure_list_public().get(pk=pk)
    except (Exposure.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


__all__ = [
    "AlertLevel", "ReportStatus", "alerts_for", "case_get_for", "case_list_visible_to", "case_messages",
    "clock_for", "copies_for_office", "exposure_get_public", "exposure_list_public", "identity_access_log",
    "overdue_deadlines", "report_similar", "report_status_for_receipt",
]
