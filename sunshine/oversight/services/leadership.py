"""The special-governance leading group (三(一)3): seats taken and left over time."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError

from ..capabilities import FieldCapability
from ..choices import LeadingGroupRole
from ..errors import OversightErrorCode
from ..models import LeadingGroupMember
from ._common import clean_text, require


@transaction.atomic
def leading_group_add(*, actor, role: str, start_date: dt.date, person=None, unit=None,
                      title: str = "") -> LeadingGroupMember:
    require(actor, FieldCapability.LEADING_GROUP)
    if role not in LeadingGroupRole.values:
        raise ApplicationError("职务无效", code=OversightErrorCode.MEMBERSHIP)
    if role == LeadingGroupRole.MEMBER_UNIT and unit is None:
        raise ApplicationError("成员单位须选择单位", code=OversightErrorCode.MEMBERSHIP)
    if role != LeadingGroupRole.MEMBER_UNIT and person is None:
        raise ApplicationError("请选择人员", code=OversightErrorCode.MEMBERSHIP)
    try:
        with transaction.atomic():
            member = LeadingGroupMember.objects.create(
                role=role, person=person if role != LeadingGroupRole.MEMBER_UNIT else None, unit=unit,
                title=clean_text(title, field="职务名称", max_length=120, required=False),
                start_date=start_date, recorded_by=actor)
    except IntegrityError:
        raise ApplicationError("该职务(或成员单位)已有在任记录,请先办理离任", code=OversightErrorCode.MEMBERSHIP) from None
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=member, detail={"leading_group": "add", "role": role})
    return member


@transaction.atomic
def leading_group_end(*, actor, member: LeadingGroupMember, end_date: dt.date) -> LeadingGroupMember:
    require(actor, FieldCapability.LEADING_GROUP)
    member = LeadingGroupMember.objects.select_for_update().get(pk=member.pk)
    if member.end_date is not None:
        raise ApplicationError("该成员已离任", code=OversightErrorCode.MEMBERSHIP)
    if end_date < member.start_date:
        raise ApplicationError("终止日期不能早于起始日期", code=OversightErrorCode.MEMBERSHIP)
    member.end_date = end_date
    member.save(update_fields=["end_date", "updated_at"])
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=member, detail={"leading_group": "end"})
    return member
