"""约谈 (三(三)2): record a talk held with a member unit on the zero-problem list, and its outcome."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError

from ..capabilities import FieldCapability
from ..errors import OversightErrorCode
from ..models import Interview
from ._common import clean_text, not_future, require, today_local


@transaction.atomic
def interview_record(*, actor, unit, year: int, interviewer: str, attendees: str, outcome: str,
                     held_on: dt.date | None = None) -> Interview:
    require(actor, FieldCapability.INTERVIEW)
    if unit is None or unit.member_order is None:
        raise ApplicationError("约谈对象须是扶贫开发领导小组成员单位", code=OversightErrorCode.BAD_INPUT)
    held_on = not_future(held_on or today_local(), field="约谈日期")
    if not (2000 <= int(year) <= held_on.year):
        raise ApplicationError("所涉年度无效", code=OversightErrorCode.BAD_INPUT)
    interview = Interview.objects.create(
        unit=unit, year=year, held_on=held_on, recorded_by=actor,
        interviewer=clean_text(interviewer, field="约谈人", max_length=120),
        attendees=clean_text(attendees, field="被约谈人", max_length=200),
        outcome=clean_text(outcome, field="约谈情况", max_length=5000))
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=interview, detail={"interview": unit.pk})
    return interview
