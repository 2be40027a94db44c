"""Rectification items (整改, 三(三)2) from any source: open, report done, 回头看, overdue escalation.

`rectification_create` is the one door for every source (a case, a visit, an inspection, an audit, a presence
check); the status has one writer per edge below: open → done (the owner reports it with evidence) → confirmed
(a 回头看 confirms) or back to open (a 回头看 reopens it with a new deadline).
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import has_capability
from sunshine.org.choices import UnitKind

from ..capabilities import FieldCapability
from ..choices import FollowUpOutcome, RectificationStatus, SourceKind
from ..errors import OversightErrorCode
from ..models import RectificationAlert, RectificationFollowUp, RectificationItem
from ._common import clean_text, not_future, require, today_local

logger = logging.getLogger(__name__)


def _audit(actor, item: RectificationItem, what: str, **detail) -> None:
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=item, detail={"rectification": what, **detail})


@transaction.atomic
def rectification_create(*, actor, source_kind: str, source_id: int | None = None, title: str, owner_unit,
                         deadline: dt.date, description: str = "", region=None, owner_person=None,
                         today: dt.date | None = None) -> RectificationItem:
    """Open one rectification item; the caller fetched `owner_unit` (any unit of the city) and `region`."""
    require(actor, FieldCapability.RECTIFY)
    if source_kind not in SourceKind.values:
        raise ApplicationError("整改来源无效", code=OversightErrorCode.SOURCE_KIND)
    if owner_unit is None:
        raise ApplicationError("请选择责任单位", code=OversightErrorCode.OWNER)
    if deadline is None or deadline < (today or today_local()):
        raise ApplicationError("整改期限不能早于今天", code=OversightErrorCode.DEADLINE)
    item = RectificationItem.objects.create(
        source_kind=source_kind, source_id=source_id, title=clean_text(title, field="整改事项", max_length=120),
        description=clean_text(description, field="问题描述", max_length=5000, required=False), region=region,
        owner_unit=owner_unit, owner_person=owner_person, deadline=deadline, created_by=actor)
    _audit(actor, item, "create", source=source_kind, source_id=source_id, owner=owner_unit.pk)
    return item


def _lock(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update().get(pk=item.pk)


def can_report_done(*, actor, item: RectificationItem) -> bool:
    """The owner unit reports its own item; the office may record it on the owner's behalf."""
    return has_capability(actor, FieldCapability.RECTIFY) and (
        actor.unit_id == item.owner_unit_id or has_capability(actor, FieldCapability.FOLLOW_UP))


@transaction.atomic
def rectification_report_done(*, actor, item: RectificationItem, evidence: str,
                               done_on: dt.date | None = None) -> RectificationItem:
    require(actor, FieldCapability.RECTIFY)
    item = _lock(item)
    if not can_report_done(actor=actor, item=item):
        raise ApplicationError("只有责任单位可以报告整改完成", code=OversightErrorCode.OWNER)
    if item.status != RectificationStatus.OPEN:
        raise ApplicationError(f"该事项“{item.get_status_display()}”，不能再报告整改完成",
                               code=OversightErrorCode.RECTIFICATION_STATE)
    item.evidence = clean_text(evidence, field="整改情况及佐证", max_length=5000)
    item.done_on = not_future(done_on or today_local(), field="整改完成日期")
    item.status = RectificationStatus.DONE
    item.save(update_fields=["evidence", "done_on", "status", "updated_at"])
    _audit(actor, item, "done")
    return item


@transaction.atomic
def rectification_follow_up(*, actor, item: RectificationItem, outcome: str, note: str,
                            new_deadline: dt.date | None = None, checked_on: dt.date | None = None,
                            today: dt.date | None = None) -> RectificationFollowUp:
    """回头看: confirm a reported item (销号) or reopen it with a new deadline."""
    require(actor, FieldCapability.FOLLOW_UP)
    today = today or today_local()
    item = _lock(item)
    if item.status != RectificationStatus.DONE:
        raise ApplicationError("只有已报告整改完成的事项可以回头看", code=OversightErrorCode.RECTIFICATION_STATE)
    if outcome not in FollowUpOutcome.values:
        raise ApplicationError("请选择回头看结论", code=OversightErrorCode.BAD_INPUT)
    checked_on = not_future(checked_on or today, field="回头看日期", today=today)
    note = clean_text(note, field="回头看情况", max_length=5000)
    fields = ["status", "updated_at"]
    if outcome == FollowUpOutcome.CONFIRM:
        item.status = RectificationStatus.CONFIRMED
        item.confirmed_on = checked_on
        fields.append("confirmed_on")
        new_deadline = None
    else:
        if new_deadline is None or new_deadline <= today:
            raise ApplicationError("重新整改须给出今天以后的新期限", code=OversightErrorCode.DEADLINE)
        item.status = RectificationStatus.OPEN
        item.deadline = new_deadline
        item.done_on = None
        item.reopened_count += 1
        fields += ["deadline", "done_on", "reopened_count"]
    item.save(update_fields=fields)
    follow = RectificationFollowUp.objects.create(item=item, checked_on=checked_on, outcome=outcome, note=note,
                                                  new_deadline=new_deadline, actor=actor)
    _audit(actor, item, "follow_up", outcome=outcome)
    return follow


@dataclass
class RectificationRun:
    escalations: int = 0


def _superiors(unit) -> list:
    """Who hears of an overdue item besides the owner: its parent unit and the special governance office."""
    from sunshine.org.models import Unit

    units = [unit]
    if unit.parent_id:
        units.append(unit.parent)
    office = Unit.objects.filter(kind=UnitKind.GOVERNANCE_OFFICE).order_by("pk").first()
    if office is not None:
        units.append(office)
    return list({u.pk: u for u in units}.values())


# The one in charge of a unit: its principal, the township's party secretary, the village's party secretary.
_RESPONSIBLE_POSTS = ("principal", "township_secretary", "village_secretary")


def _overdue_sms(*, item: RectificationItem) -> None:
    """SMS the owner unit's responsible people once per item and deadline, like a case's deadline escalation; the
    outbox row is written in this transaction and delivered after commit."""
    from sunshine.notify.services import sms_queue
    from sunshine.org.models import Position

    holders = (Position.objects.filter(unit=item.owner_unit, post__in=_RESPONSIBLE_POSTS, end_date__isnull=True)
               .exclude(person__phone="").select_related("person").order_by("person_id"))
    title = item.title if len(item.title) <= 30 else item.title[:29] + "…"
    for person in {p.person_id: p.person for p in holders}.values():
        sms_queue(phone=person.phone, template="rectification_overdue",
                  params={"unit": item.owner_unit.name, "title": title, "deadline": f"{item.deadline:%Y-%m-%d}"},
                  idempotency_key=f"oversight:rectification:{item.pk}:{item.deadline:%Y%m%d}:{person.pk}",
                  purpose="整改事项逾期督办", related=("oversight.rectificationitem", item.pk))


def rectifications_check(*, today: dt.date | None = None) -> RectificationRun:
    """Escalate every open item past its deadline, once per item and deadline (running twice adds nothing)."""
    today = today or today_local()
    run = RectificationRun()
    overdue = (RectificationItem.objects.filter(status=RectificationStatus.OPEN, deadline__lt=today)
               .exclude(alerts__due_on=F("deadline")).select_related("owner_unit", "owner_unit__parent"))
    for item in overdue.iterator(chunk_size=500):
        message = f"整改事项「{item.title}」已于{item.deadline:%Y-%m-%d}到期仍未整改完成，请督办"
        try:
            with transaction.atomic():
                alert = RectificationAlert.objects.create(item=item, due_on=item.deadline, message=message[:300])
                alert.units.set(_superiors(item.owner_unit))
                _overdue_sms(item=item)
        except IntegrityError:  # another run wrote it first
            continue
        run.escalations += 1
    return run

