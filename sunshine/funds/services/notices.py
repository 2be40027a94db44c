"""Notices (公示): a draft names a scope, its records and the dates; publishing appends it to the ledger.

三(二)3: allocation results from every level are all made public, and township and village project arrangements
and fund use are all posted, online and on the village bulletin boards. Project and fund notices stay up at least
MIN_NOTICE_DAYS days.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sunshine.core.errors import ApplicationError, CoreErrorCode
from sunshine.funds.errors import FundsErrorCode
from sunshine.org.capabilities import require
from sunshine.org.choices import RegionLevel
from sunshine.org.jurisdiction import get_visible
from sunshine.org.models import Region

from .. import canonical
from ..capabilities import Capability
from ..choices import MIN_NOTICE_DAYS, LedgerKind, NoticeKind, NoticeStatus
from ..models import (
    Notice,
    NoticeItem,
    ProjectEvent,
)
from ..pageversions import public_content_changed
from ..registry import record_kind
from .ledger import ledger_append

MAX_NOTICE_ITEMS = 20_000  # a township's payments for a season; a bigger notice is unreadable on a board
MAX_PERIOD_DAYS = 366

def _chunks(ids: list[int], size: int = 900):
    """SQLite builds may cap the number of query parameters at 999."""
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def ledger_item(record_type: str, record, events: list[ProjectEvent] | None = None) -> dict:
    """How the ledger lists one record: its type, id and content hash (a project also lists its events)."""
    kind = record_kind(record_type)
    if kind.type == NoticeKind.PROJECT:
        if events is None:
            events = list(ProjectEvent.objects.filter(lineage=record.lineage).order_by("id"))
        return {"type": kind.value, "id": record.pk, "hash": canonical.content_hash(kind.content(record, events)),
                "events": [e.pk for e in events]}
    return {"type": kind.value, "id": record.pk, "hash": canonical.content_hash(kind.content(record))}


def _check_period(period_days: int) -> None:
    if period_days < MIN_NOTICE_DAYS:
        # 三(二)3: project and fund notices are posted for at least 10 days.
        raise ApplicationError(f"公示期不得少于{MIN_NOTICE_DAYS}天（工作方案三（二）3）", code=FundsErrorCode.NOTICE_PERIOD_TOO_SHORT)
    if period_days > MAX_PERIOD_DAYS:
        raise ApplicationError("公示期不能超过一年", code=CoreErrorCode.INVALID)


def default_title(*, kind: str, region: Region, starts_on: dt.date) -> str:
    return f"{region.full_name}{starts_on.year}年{NoticeKind(kind).label}"


@transaction.atomic
def notice_create(*, actor, kind: str, scope_region: Region, record_ids: list[int], starts_on: dt.date,
                  period_days: int = MIN_NOTICE_DAYS, title: str = "", intro: str = "", issuer: str = "",
                  contact_phone: str = "", today: dt.date | None = None) -> Notice:
    """A draft notice of records of one kind inside a township or a village; nothing is public until published."""
    require(actor, Capability.PUBLISH)
    if kind not in NoticeKind.values:
        raise ApplicationError("公示类型不正确", code=CoreErrorCode.INVALID)
    region = get_visible(Region.objects.filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]),
                         actor=actor, pk=scope_region.pk)
    _check_period(period_days)
    today = today or timezone.localdate()
    if starts_on < today:
        raise ApplicationError("公示开始日期不能早于今天（公示期须完整）", code=FundsErrorCode.NOTICE_START_PAST)
    ids = list(dict.fromkeys(int(i) for i in record_ids))
    if not ids:
        raise ApplicationError("请至少选择一条要公示的记录", code=FundsErrorCode.NOTICE_EMPTY)
    if len(ids) > MAX_NOTICE_ITEMS:
        raise ApplicationError(f"一次公示最多{MAX_NOTICE_ITEMS}条记录，请按村或月份拆分", code=FundsErrorCode.NOTICE_TOO_BIG)
    record = record_kind(NoticeKind(kind))
    found: set[int] = set()
    for chunk in _chunks(ids):
        found.update(record.model.objects.filter(pk__in=chunk, is_current=True,
                                                 **{f"{record.region_path}__startswith": region.path})
                     .values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ApplicationError(f"有 {len(missing)} 条记录不在{region.name}范围内、已被更正或不存在", code=FundsErrorCode.NOTICE_RECORDS)
    unit = getattr(actor, "unit", None)
    notice = Notice.objects.create(
        kind=kind, scope_region=region, starts_on=starts_on, period_days=period_days,
        title=(title or default_title(kind=kind, region=region, starts_on=starts_on)).strip()[:200],
        intro=intro.strip(), issuer=(issuer or (unit.name if unit else region.full_name)).strip()[:120],
        contact_phone=contact_phone.strip()[:40], created_by=actor,
    )
    field = f"{record.item_field}_id"
    NoticeItem.objects.bulk_create(
        [NoticeItem(notice=notice, position=n, **{field: pk}) for n, pk in enumerate(ids, start=1)],
        batch_size=1000)
    return notice


@transaction.atomic
def notice_delete_draft(*, actor, notice: Notice) -> None:
    require(actor, Capability.PUBLISH)
    locked = get_visible(Notice.objects.select_for_update(of=("self",)), actor=actor, pk=notice.pk)
    if locked.status != NoticeStatus.DRAFT:
        raise ApplicationError("已发布的公示不能删除", code=FundsErrorCode.PUBLISHED)
    locked.delete()


@transaction.atomic
def notice_publish(*, actor, notice: Notice, now: dt.datetime | None = None) -> Notice:
    """Publish a draft: the records become immutable and the notice is appended to the hash-chained ledger.

    The ledger entry commits to the notice's content and to every record's content hash; its short code is
    printed on the bulletin-board copy so anyone can check it against the platform. `now` is the moment of
    publication (the present by default; the demo city publishes its past as it happened, in time order).
    """
    require(actor, Capability.PUBLISH)
    locked = get_visible(Notice.objects.select_for_update(of=("self",)), actor=actor, pk=notice.pk)
    if locked.status != NoticeStatus.DRAFT:
        raise ApplicationError("该公示已发布", code=FundsErrorCode.ALREADY_PUBLISHED)
    _check_period(locked.period_days)
    kind = NoticeKind(locked.kind)
    model = record_kind(kind).model
    field = f"{record_kind(kind).item_field}_id"
    ids = list(locked.items.order_by("position").values_list(field, flat=True))
    # Lock the records: a concurrent correction must wait, so what is hashed is what is published.
    records = {r.pk: r for chunk in _chunks(ids) for r in model.objects.select_for_update().filter(pk__in=chunk)}
    stale = [pk for pk in ids if pk not in records or not records[pk].is_current]
    if stale:
        raise ApplicationError(f"有 {len(stale)} 条记录在草稿保存后已被更正，请重新生成公示", code=FundsErrorCode.NOTICE_STALE)
    events_by_lineage: dict = {}
    if kind == NoticeKind.PROJECT:
        for event in ProjectEvent.objects.filter(lineage__in=[r.lineage for r in records.values()]).order_by("id"):
            events_by_lineage.setdefault(event.lineage, []).append(event)
    now = now or timezone.now()
    items = [ledger_item(kind.value, records[pk], events_by_lineage.get(records[pk].lineage, [])
                         if kind == NoticeKind.PROJECT else None) for pk in ids]
    content = canonical.notice_content(locked)
    entry = ledger_append(kind=LedgerKind.PUBLISH, notice=locked, payload={
        "v": 1, "kind": LedgerKind.PUBLISH.value, "notice": content, "notice_hash": canonical.content_hash(content),
        "published_at": now.isoformat(), "items": items,
    })
    for chunk in _chunks(ids):
        model.objects.filter(pk__in=chunk, published_at__isnull=True).update(published_at=now)
    locked.status = NoticeStatus.PUBLISHED
    locked.published_at = now
    locked.published_by = actor
    locked.code = entry.code
    locked.save(update_fields=["status", "published_at", "published_by", "code", "updated_at"])
    public_content_changed(region_ids=[locked.scope_region_id])
    return locked


def notice_draft_waiting_payments(*, actor, village: Region, today: dt.date | None = None) -> Notice:
    """One step from "waiting to be published" to a draft: every payment of the village that no notice carries
    (oldest first, up to a notice's size), starting today for the minimum period. Published after review."""
    from ..selectors import payments_waiting_ids

    require(actor, Capability.PUBLISH)
    ids = payments_waiting_ids(actor=actor, village=village, limit=MAX_NOTICE_ITEMS)
    today = today or timezone.localdate()
    return notice_create(actor=actor, kind=NoticeKind.PAYMENT, scope_region=village, record_ids=ids, starts_on=today,
                         period_days=MIN_NOTICE_DAYS, today=today)
