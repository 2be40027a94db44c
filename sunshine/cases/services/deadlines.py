"""Deadlines in working days: opened and met by the case workflow, reminded before and escalated after."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from sunshine.core.workdays import add_working_days, is_known, working_days_between
from sunshine.org.choices import Role

from .. import conf, events, routing
from ..choices import AlertLevel, DeadlineKind
from ..models import Case, CaseDeadline, DeadlineAlert
from ._common import sms

_WORKING_DAYS_SETTING = {
    DeadlineKind.TRANSFER: "TRANSFER_WORKING_DAYS",
    DeadlineKind.ACCEPT_NOTICE: "ACCEPT_NOTICE_WORKING_DAYS",
    DeadlineKind.REPLY: "REPLY_WORKING_DAYS",
}
# Roles whose staff get a deadline SMS (the people who can act on the case, and the office that follows it).
_ALERTED_ROLES = {Role.DISCIPLINE, Role.GOVERNANCE_OFFICE, Role.TOWNSHIP, Role.DEPARTMENT}


def today_local() -> dt.date:
    return timezone.localdate()


def deadline_open(*, case: Case, kind: str, starts_on: dt.date) -> CaseDeadline:
    """Open the `kind` deadline of `case`, due the configured number of working days after `starts_on`."""
    n = conf.get(_WORKING_DAYS_SETTING[kind])
    # A report is never refused for want of next year's holiday calendar: the due date is then estimated.
    due_on = add_working_days(starts_on, n, strict=False)
    return CaseDeadline.objects.create(case=case, kind=kind, starts_on=starts_on, due_on=due_on, working_days=n,
                                       estimated=not (is_known(starts_on) and is_known(due_on)))


def deadline_meet(*, case: Case, kinds: list[str]) -> int:
    """Mark the open deadlines of these kinds met now and resolve their alerts."""
    now = timezone.now()
    open_ids = list(CaseDeadline.objects.filter(case=case, kind__in=kinds, met_at__isnull=True)
                    .values_list("pk", flat=True))
    if open_ids:
        CaseDeadline.objects.filter(pk__in=open_ids).update(met_at=now)
        DeadlineAlert.objects.filter(deadline_id__in=open_ids, resolved_at__isnull=True).update(resolved_at=now)
    return len(open_ids)


def superior_units(unit) -> list:
    """Who is told when `unit` lets a deadline pass: its parent unit, else the discipline unit supervising it."""
    if unit.parent_id:
        return [unit.parent]
    supervisor = routing.supervising_discipline_unit(unit)
    if supervisor is not None:
        return [supervisor]
    commission = routing.discipline_commission()
    return [commission] if commission is not None and commission.pk != unit.pk else []


@dataclass
class DeadlineRun:
    reminders: int = 0
    escalations: int = 0


def deadlines_check(*, today: dt.date | None = None) -> DeadlineRun:
    """Write the reminders and escalations due on `today`; running it twice writes nothing new."""
    today = today or today_local()
    remind_before = conf.get("REMIND_BEFORE_WORKING_DAYS")
    run = DeadlineRun()
    open_deadlines = (CaseDeadline.objects.filter(met_at__isnull=True)
                      .select_related("case", "case__handling_unit", "case__handling_unit__parent"))
    for deadline in open_deadlines.iterator(chunk_size=500):
        if today > deadline.due_on:
            level = AlertLevel.ESCALATION
        elif working_days_between(today, deadline.due_on, strict=False) <= remind_before:
            level = AlertLevel.REMINDER
        else:
            continue
        if DeadlineAlert.objects.filter(deadline=deadline, level=level).exists():
            continue
        if _alert_create(deadline=deadline, level=level, today=today):
            if level == AlertLevel.ESCALATION:
                run.escalations += 1
            else:
                run.reminders += 1
    return run


def _alert_create(*, deadline: CaseDeadline, level: str, today: dt.date) -> bool:
    case = deadline.case
    units = [case.handling_unit]
    if level == AlertLevel.ESCALATION:
        office = routing.governance_office()
        units += superior_units(case.handling_unit) + ([office] if office is not None else [])
    units = list({u.pk: u for u in units}.values())
    what = f"{DeadlineKind(deadline.kind).label}({AlertLevel(level).label})"
    if level == AlertLevel.ESCALATION:
        message = f"{case.number}「{DeadlineKind(deadline.kind).label}」已于{deadline.due_on:%Y-%m-%d}到期，请督办"
    else:
        left = working_days_between(today, deadline.due_on, strict=False)
        message = f"{case.number}「{DeadlineKind(deadline.kind).label}」将于{deadline.due_on:%Y-%m-%d}到期（剩{left}个工作日）"
    try:
        with transaction.atomic():
            alert = DeadlineAlert.objects.create(deadline=deadline, case=case, level=level, message=message)
            alert.units.set(units)
            events.deadline_alerted(case=case, message=message, deadline_kind=deadline.kind, level=level,
                                    due_on=deadline.due_on)
            _alert_sms(alert=alert, units=units, what=what)
    except IntegrityError:  # another run wrote the same alert first: one alert per deadline per level
        return False
    return True


def _alert_sms(*, alert: DeadlineAlert, units: list, what: str) -> None:
    from sunshine.org.models import Account

    staff = (Account.objects.filter(unit__in=units, is_active=True, role__in=_ALERTED_ROLES)
             .exclude(person__isnull=True).exclude(person__phone="").select_related("person"))
    for account in staff:
        sms(phone=account.person.phone, template="deadline_reminder",
            params={"case_no": alert.case.number, "deadline": f"{alert.deadline.due_on:%Y-%m-%d}", "what": what},
            idempotency_key=f"cases:deadline:{alert.deadline_id}:{alert.level}:{account.pk}",
            purpose="案件时限提醒", related=("cases.case", alert.case_id))

