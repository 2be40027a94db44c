"""Published notices (公示), their ledger entries and their records in printed order."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from sunshine.core.errors import NotFound
from sunshine.core.masking import mask_text
from sunshine.org.choices import RegionLevel

from ..canonical import normalize_code
from ..choices import NoticeStatus
from ..models import (
    LedgerEntry,
    Notice,
    NoticeItem,
)
from ..registry import record_kind
from .common import Page, page_bounds, public_phone
from .records import current_versions, public_record, record_related


@dataclass(frozen=True)
class PublicLedgerEntry:
    seq: int
    kind: str
    kind_name: str
    code: str
    content_hash: str
    prev_hash: str
    entry_hash: str
    created_at: dt.datetime


@dataclass(frozen=True)
class PublicNotice:
    id: int
    code: str
    kind: str
    kind_name: str
    title: str
    issuer: str
    region_code: str
    region_name: str
    region_level: int
    township_code: str | None
    township_name: str | None
    intro: str
    contact_phone: str
    starts_on: dt.date
    ends_on: dt.date
    period_days: int
    published_at: dt.datetime
    item_count: int = 0
    ledger: tuple[PublicLedgerEntry, ...] = ()

    @property
    def is_open(self) -> bool:
        """Still inside its 公示期 (today in Asia/Shanghai)."""
        return self.starts_on <= timezone.localdate() <= self.ends_on


def _notice(n: Notice, *, item_count: int = 0, ledger=()) -> PublicNotice:
    region = n.scope_region
    township = region.parent if region.level == RegionLevel.VILLAGE else None
    return PublicNotice(
        id=n.pk, code=n.code, kind=n.kind, kind_name=n.get_kind_display(), title=mask_text(n.title),
        issuer=mask_text(n.issuer), region_code=region.code, region_name=region.name, region_level=region.level,
        township_code=township.code if township else None, township_name=township.name if township else None,
        intro=mask_text(n.intro), contact_phone=public_phone(n.contact_phone), starts_on=n.starts_on,
        ends_on=n.ends_on, period_days=n.period_days, published_at=n.published_at, item_count=item_count,
        ledger=tuple(ledger),
    )


def _ledger_entry(e: LedgerEntry) -> PublicLedgerEntry:
    return PublicLedgerEntry(seq=e.seq, kind=e.kind, kind_name=e.get_kind_display(), code=e.code,
                             content_hash=e.content_hash, prev_hash=e.prev_hash, entry_hash=e.entry_hash,
                             created_at=e.created_at)


# A notice's items are numbered 1..n when it is created (notice_create), so its last position is its record count:
# one backward step on the (notice, position) unique index instead of counting thousands of rows.
_ITEM_COUNT = Coalesce(Subquery(NoticeItem.objects.filter(notice_id=OuterRef("pk")).order_by("-position")
                                .values("position")[:1]), 0)


def _published_notices():
    return Notice.objects.filter(status=NoticeStatus.PUBLISHED).select_related("scope_region",
                                                                                "scope_region__parent")


def normalize_notice_code(value: str) -> str:
    """A code typed from paper: full-width characters, spaces, dashes, case and O/0, I/L/1 are forgiven."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[^0-9A-Z]", "", normalize_code(text))[:MAX_CODE_LENGTH]


MAX_CODE_LENGTH = 16


def notice_get(*, code: str) -> PublicNotice:
    """A published notice by its short code (the code of any of its ledger entries), with its ledger entries."""
    code = normalize_notice_code(code)
    notice = _published_notices().filter(code=code).first() if code else None
    if notice is None and code:
        entry = LedgerEntry.objects.filter(code=code).only("notice_id").first()
        if entry is not None:
            notice = _published_notices().filter(pk=entry.notice_id).first()
    if notice is None:
        raise NotFound(gettext("未找到该公示,请核对核验码"))
    ledger = [_ledger_entry(e) for e in notice.ledger_entries.order_by("seq")]
    count = notice.items.order_by("-position").values_list("position", flat=True).first() or 0
    return _notice(notice, item_count=count, ledger=ledger)


@dataclass(frozen=True)
class PublicNoticeRecord:
    position: int
    record_type: str  # "funds.allocation" / "funds.project" / "funds.payment" / "funds.transaction"
    record: object  # PublicAllocation | PublicProject | PublicPayment | PublicTransaction
    corrected_by: object = None  # the current version when this published version was later corrected


def notice_records(*, notice: PublicNotice, page: int | None = None, offset: int | None = None,
                   limit: int | None = None) -> Page:
    """The records of a published notice in their printed order, each with its later correction if any."""
    offset, limit = page_bounds(page=page, offset=offset, limit=limit or NOTICE_PAGE_SIZE)
    field = record_kind(notice.kind).item_field
    related = [field, *record_related(field, prefix=f"{field}__")]
    qs = NoticeItem.objects.filter(notice_id=notice.id).select_related(*related).order_by("position")
    rows = list(qs[offset:offset + limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    records = [getattr(item, field) for item in rows]
    newer = current_versions(field, records)
    items = []
    for item, rec in zip(rows, records, strict=True):
        public = public_record(field, rec, notice_code=notice.code)
        current = newer.get(rec.lineage)
        corrected = public_record(field, current, notice_code="") if current is not None and current.pk != rec.pk \
            else None
        items.append(PublicNoticeRecord(position=item.position, record_type=f"funds.{field}", record=public,
                                        corrected_by=corrected))
    return Page(items=items, offset=offset, limit=limit, has_next=has_next, count=notice.item_count)



NOTICE_PAGE_SIZE = 50
