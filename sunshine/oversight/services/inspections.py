"""Inspections and audits (三(三)2): their targets, and findings sent on as rectification items."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from sunshine.core.errors import ApplicationError
from sunshine.org.capabilities import require
from sunshine.org.models import Region, Unit

from ..capabilities import Capability
from ..choices_i13b import FindingStatus, InspectionKind
from ..errors import OversightErrorCode
from ..models import Inspection, InspectionFinding, InspectionTarget
from ._i13b_common import actor_unit, audited, clean_text


def inspection_create(*, actor, kind: str, title: str, region: Region, started_on: dt.date,
                      ended_on: dt.date | None = None, is_special: bool = False, reason: str = "",
                      units=(), projects=(), allocations=()) -> Inspection:
    """Register an inspection or audit with its targets (units, projects, fund allocations)."""
    require(actor, Capability.INSPECT)
    if kind not in InspectionKind.values:
        raise ApplicationError("类别无效", code=OversightErrorCode.BAD_INPUT)
    title = clean_text(title, label="名称", max_length=160)
    reason = clean_text(reason, label="立项理由", max_length=300, required=is_special)
    if ended_on and ended_on < started_on:
        raise ApplicationError("结束日期不能早于开始日期", code=OversightErrorCode.BAD_INPUT)
    if not (units or projects or allocations):
        raise ApplicationError("请至少选择一个巡察或审计对象(单位、项目或资金)", code=OversightErrorCode.BAD_INPUT)
    with audited(actor):
        inspection = Inspection.objects.create(
            kind=kind, title=title, conducted_by=actor_unit(actor), region=region, started_on=started_on,
            ended_on=ended_on, is_special=is_special, reason=reason, created_by=actor)
        InspectionTarget.objects.bulk_create(
            [InspectionTarget(inspection=inspection, unit=u) for u in units]
            + [InspectionTarget(inspection=inspection, project=p) for p in projects]
            + [InspectionTarget(inspection=inspection, allocation=a) for a in allocations])
    return inspection


def inspection_finding_add(*, actor, inspection: Inspection, unit: Unit, text: str, deadline: dt.date,
                           amount: Decimal | None = None) -> InspectionFinding:
    """Record a problem found and send it on at once as a rectification item (整改) of the responsible unit."""
    from .rectifications import rectification_create

    require(actor, Capability.INSPECT)
    text = clean_text(text, label="发现的问题", max_length=2000)
    if deadline < timezone.localdate():
        raise ApplicationError("整改期限不能早于今天", code=OversightErrorCode.BAD_INPUT)
    with audited(actor):
        finding = InspectionFinding.objects.create(inspection=inspection, unit=unit, text=text, amount=amount,
                                                   created_by=actor)
        item = rectification_create(actor=actor, source_kind=inspection.kind, source_id=finding.pk,
                                    owner_unit=unit, title=text[:100], description=text, deadline=deadline,
                                    region=inspection.region if inspection.region.level > 1 else None)
        finding.rectification_id = item.pk
        finding.status = FindingStatus.SENT
        finding.save(update_fields=["rectification_id", "status", "updated_at"])
    return finding
