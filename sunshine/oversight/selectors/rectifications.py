"""Rectification items (整改) the actor may see: by status, overdue, by source."""
from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from sunshine.org.capabilities import require
from sunshine.org.jurisdiction import get_visible, visible

from ..capabilities import FieldCapability
from ..choices import RectificationStatus
from ..models import RectificationAlert, RectificationItem


def rectification_list(*, actor, status: str = "", overdue: bool = False, source_kind: str = "",
                       today: dt.date | None = None) -> QuerySet[RectificationItem]:
    require(actor, FieldCapability.VIEW)
    qs = RectificationItem.objects.select_related("owner_unit", "owner_person", "region", "region__parent", "created_by")
    if status:
        qs = qs.filter(status=status)
    if source_kind:
        qs = qs.filter(source_kind=source_kind)
    if overdue:
        qs = qs.filter(status=RectificationStatus.OPEN, deadline__lt=today or timezone.localdate())
    return visible(qs, actor=actor).order_by("deadline", "pk")


def rectification_get_for(*, actor, pk: int) -> RectificationItem:
    require(actor, FieldCapability.VIEW)
    return get_visible(RectificationItem.objects.select_related("owner_unit", "region", "region__parent", "owner_person"),
                       actor=actor, pk=pk)


def is_overdue(item: RectificationItem, *, today: dt.date | None = None) -> bool:
    return item.status == RectificationStatus.OPEN and item.deadline < (today or timezone.localdate())


def rectification_alerts(*, actor) -> QuerySet[RectificationAlert]:
    require(actor, FieldCapability.VIEW)
    return visible(RectificationAlert.objects.select_related("item", "item__owner_unit"), actor=actor)


def items_for_source(*, actor, source_kind: str, source_id: int) -> QuerySet[RectificationItem]:
    return rectification_list(actor=actor, source_kind=source_kind).filter(source_id=source_id)
