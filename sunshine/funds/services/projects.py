"""The one writer of a project's status (STYLE habit 3): lock, check the edge, record the facts, write an event.

三(二)4 asks for a registration-and-filing system for poverty project approvals (扶贫项目审批登记备案制): an
approved project is filed here and gets a filing number before it can be tendered or started.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from sunshine.core.errors import ApplicationError, CoreErrorCode
from sunshine.funds.errors import FundsErrorCode
from sunshine.org.capabilities import require
from sunshine.org.jurisdiction import get_visible

from ..capabilities import Capability
from ..choices import PROJECT_TRANSITIONS, STAGE_DATE, STAGE_FACTS, ProjectStatus
from ..models import Project, ProjectEvent
from ..pageversions import public_content_changed

FILING_ATTEMPTS = 5

def project_event_write(*, project: Project, from_status: str, to_status: str, on_date: dt.date, note: str,
                        facts: dict, actor) -> ProjectEvent:
    """One row of the project's history (events.py habit: one small factory per event)."""
    return ProjectEvent.objects.create(
        project=project, lineage=project.lineage, from_status=from_status, to_status=to_status, on_date=on_date,
        note=note[:300], facts=facts, actor=actor if getattr(actor, "pk", None) else None)


def _clean_facts(to_status: str, facts: dict, note: str) -> dict:
    wanted = STAGE_FACTS.get(to_status, {})
    clean: dict[str, str] = {}
    for key, (label, required) in wanted.items():
        value = str(facts.get(key) or "").strip()
        if required and not value:
            raise ApplicationError(f"请填写{label}", code=FundsErrorCode.FACT_MISSING)
        if len(value) > 200:
            raise ApplicationError(f"{label}超过200个字", code=CoreErrorCode.INVALID)
        if value:
            clean[key] = value
    if "contract_amount" in clean:
        try:
            amount = Decimal(clean["contract_amount"].replace(",", ""))
        except InvalidOperation:
            raise ApplicationError("合同金额不是数字", code=CoreErrorCode.INVALID) from None
        if amount <= 0:
            raise ApplicationError("合同金额必须大于0", code=CoreErrorCode.INVALID)
        clean["contract_amount"] = f"{amount:.2f}"
    if to_status == ProjectStatus.CANCELLED and not note.strip():
        raise ApplicationError("请填写撤销原因", code=FundsErrorCode.FACT_MISSING)
    return clean


def _filing_number(year: int, seq: int) -> str:
    """三(二)4 registration filing number: 扶项备〔2026〕00012号."""
    return f"扶项备〔{year}〕{seq:05d}号"


def _filing_seq(number: str) -> int:
    return int(number.split("〕", 1)[1][:5])


def _next_filing_number(year: int) -> str:
    prefix = f"扶项备〔{year}〕"
    last = (Project.objects.filter(filing_number__startswith=prefix).order_by("-filing_number")
            .values_list("filing_number", flat=True).first())
    return _filing_number(year, _filing_seq(last) + 1 if last else 1)


def _apply_facts(project: Project, to_status: str, on_date: dt.date, facts: dict) -> list[str]:
    """Copy the event's facts onto the row (for lists and filters); returns the fields changed."""
    changed = ["status"]
    if to_status in STAGE_DATE:
        setattr(project, STAGE_DATE[to_status], on_date)
        changed.append(STAGE_DATE[to_status])
    if to_status == ProjectStatus.APPROVED:
        project.approval_document = facts["approval_document"]
        changed.append("approval_document")
    elif to_status == ProjectStatus.FILED:
        changed.append("filing_number")
    elif to_status == ProjectStatus.TENDERED:
        project.tender_method, project.contractor = facts["tender_method"], facts["contractor"]
        project.contract_amount = Decimal(facts["contract_amount"]) if "contract_amount" in facts else None
        changed += ["tender_method", "contractor", "contract_amount"]
    elif to_status == ProjectStatus.IN_PROGRESS:
        if facts.get("contractor"):
            project.contractor = facts["contractor"]
            changed.append("contractor")
    elif to_status == ProjectStatus.ACCEPTED:
        project.acceptance_note = facts["acceptance_note"]
        changed.append("acceptance_note")
    elif to_status == ProjectStatus.MAINTAINED:
        project.maintainer = facts["maintainer"]
        project.maintenance_note = facts.get("maintenance_note", "")
        changed += ["maintainer", "maintenance_note"]
    return changed


@transaction.atomic
def project_transition(*, actor, project: Project, to_status: str, on_date: dt.date | None = None, note: str = "",
                       facts: dict | None = None) -> Project:
    """Move a project to `to_status` along PROJECT_TRANSITIONS, recording the stage's facts as an event."""
    require(actor, Capability.EDIT)
    locked = get_visible(Project.objects.select_for_update(of=("self",)), actor=actor, pk=project.pk)
    if not locked.is_current:
        raise ApplicationError("该项目已被更正,请在现行版本上操作", code=FundsErrorCode.NOT_CURRENT)
    if to_status not in PROJECT_TRANSITIONS.get(locked.status, set()):
        raise ApplicationError(
            f"项目当前为“{locked.get_status_display()}”,不能变为“{ProjectStatus(to_status).label}”",
            code=FundsErrorCode.BAD_TRANSITION)
    on_date = on_date or timezone.localdate()
    if on_date > timezone.localdate() + dt.timedelta(days=1):
        raise ApplicationError("日期不能晚于今天", code=CoreErrorCode.INVALID)
    if to_status == ProjectStatus.ACCEPTED and locked.started_on and on_date < locked.started_on:
        raise ApplicationError("验收日期不能早于开工日期", code=CoreErrorCode.INVALID)
    clean = _clean_facts(to_status, facts or {}, note)
    from_status = locked.status
    locked.status = to_status
    changed = _apply_facts(locked, to_status, on_date, clean)
    for _attempt in range(FILING_ATTEMPTS):
        if to_status == ProjectStatus.FILED:
            locked.filing_number = _next_filing_number(on_date.year)
            clean = {**clean, "filing_number": locked.filing_number}
        try:
            with transaction.atomic():
                locked.save(update_fields=changed)
            break
        except IntegrityError:
            if to_status != ProjectStatus.FILED:
                raise
    else:
        raise ApplicationError("备案号生成冲突,请重试", code=FundsErrorCode.CODE_CONFLICT)
    project_event_write(project=locked, from_status=from_status, to_status=to_status, on_date=on_date, note=note,
                        facts=clean, actor=actor)
    if to_status == ProjectStatus.ACCEPTED:
        from .spending import spending_reflag

        spending_reflag(project=locked)
    if locked.published_at:  # a published project's stage shows on its village page
        public_content_changed(region_ids=[locked.village_id])
    return locked
