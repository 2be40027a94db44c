"""在岗抽查 (三(三)2) of village work teams and pairing cadres; a 召回 can cite the checks."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError
from sunshine.org.choices import Post, RegionLevel

from ..capabilities import FieldCapability
from ..choices import PresenceResult
from ..errors import OversightErrorCode
from ..models import PresenceCheck
from ._common import clean_text, not_future, require, today_local

CHECKED_POSTS = (Post.WORK_TEAM_LEADER, Post.WORK_TEAM_MEMBER, Post.PAIRING_CADRE)


@transaction.atomic
def presence_check_record(*, actor, position, village, result: str, checked_on: dt.date | None = None,
                          note: str = "") -> PresenceCheck:
    """One check; `position` and `village` were fetched through oversight's selectors with the actor."""
    require(actor, FieldCapability.PRESENCE)
    if position.post not in CHECKED_POSTS:
        raise ApplicationError("只抽查驻村工作队员和结对帮扶责任人", code=OversightErrorCode.PRESENCE_POST)
    checked_on = not_future(checked_on or today_local(), field="抽查日期")
    if position.start_date > checked_on or (position.end_date and position.end_date < checked_on):
        raise ApplicationError("抽查日期不在该人员任职期间", code=OversightErrorCode.PRESENCE_POST)
    if village is None or village.level != RegionLevel.VILLAGE:
        raise ApplicationError("请选择抽查的村", code=OversightErrorCode.VISIT_PLACE)
    if result not in PresenceResult.values:
        raise ApplicationError("请选择抽查结果", code=OversightErrorCode.BAD_INPUT)
    check = PresenceCheck.objects.create(position=position, village=village, checked_on=checked_on, result=result,
                                         note=clean_text(note, field="情况说明", max_length=500, required=False),
                                         checked_by=actor)
    audit_record(event=AuditEvent.CONFIG_CHANGE, actor=actor, obj=check, detail={"presence": result})
    return check


@transaction.atomic
def presence_recall(*, actor, case, position, kind: str, reason: str, checks) -> object:
    """召回 citing presence checks: cases' recall_record with the checks' dates and results in its reason."""
    from sunshine.cases.services import recall_record

    checks = [c for c in checks if c.position_id == position.pk]
    if not checks:
        raise ApplicationError("请选择要引用的在岗抽查记录", code=OversightErrorCode.BAD_INPUT)
    cited = ";".join(f"{c.checked_on:%Y-%m-%d}{c.get_result_display()}" for c in checks)
    reason = clean_text(reason, field="召回原因", max_length=800)
    recall = recall_record(case=case, actor=actor, position=position, kind=kind,
                           reason=f"{reason}(在岗抽查:{cited})")
    PresenceCheck.objects.filter(pk__in=[c.pk for c in checks]).update(recall=recall)
    return recall
