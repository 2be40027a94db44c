"""Public reads for the portal (三(二)3): only published records, every personal field masked.

Nothing here takes an actor: these are the declared public exceptions. Every function returns plain
dataclasses (never model instances with unmasked fields), so a page or an API answer cannot leak a full
ID number, phone or card number by accident.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sunshine.core.errors import ApplicationError, NotFound
from sunshine.core.masking import mask_bank_card, mask_id_number, mask_phone, mask_text
from sunshine.core.money import yuan as money_yuan
from sunshine.core.ratelimit import Limit, check, hit
from sunshine.funds.errors import FundsErrorCode
from sunshine.org.choices import RegionLevel
from sunshine.org.models import Household, HouseholdMember, Region

from . import verification
from .canonical import normalize_code
from .choices import PROJECT_STAGE_ORDER, NoticeKind, NoticeStatus, ProjectStatus
from .models import (
    AccountTransaction,
    FundAllocation,
    HouseholdPayment,
    LedgerEntry,
    Notice,
    NoticeItem,
    Project,
)

# Household self-check limits, per requester (client address): every attempt counts a little, failures count more.
# Never per name: counting by name let anyone lock a villager out of their own check. The check shows only what
# is published anyway (the lists print the same names and digits); anything more needs a code sent to the
# household's phone (funds.household_codes).
LOOKUP_PER_IP = Limit("funds_lookup_ip", count=10, seconds=60)
LOOKUP_FAILURES_PER_REQUESTER = Limit("funds_lookup_fail", count=20, seconds=3600)
MOBILE_DIGITS = 11
ZERO = Decimal("0.00")

PAGE_SIZE = 20
MAX_LIMIT = 100
# Deep offsets are refused (clamped): nobody reads page 5,000 on a phone, and OFFSET 100000 is a slow scan.
MAX_OFFSET = 20_000


@dataclass(frozen=True)
class Page:
    """One page of a public list: pages use `number`, the API uses `offset`/`limit`; both read `items`.

    Lists are paged by fetching one row more than shown, never by counting: a village's payments run to tens of
    thousands of rows and a COUNT over them would cost more than the page itself. `count` is set only where it is
    known for free (a notice's own record count).
    """

    items: list
    offset: int
    limit: int
    has_next: bool
    count: int | None = None

    @property
    def number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def num_pages(self) -> int | None:
        return None if self.count is None else max(1, -(-self.count // self.limit))

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_bounds(*, page: int | None = None, offset: int | None = None, limit: int | None = None) -> tuple[int, int]:
    """(offset, limit) from a page number (pages) or an offset/limit pair (API), clamped."""
    limit = min(max(limit or PAGE_SIZE, 1), MAX_LIMIT)
    if offset is None:
        offset = (max(page or 1, 1) - 1) * limit
    return min(max(offset, 0), MAX_OFFSET), limit


def _paginate(qs, mapper, *, offset: int, limit: int) -> Page:
    rows = list(qs[offset:offset + limit + 1])
    return Page(items=[mapper(r) for r in rows[:limit]], offset=offset, limit=limit, has_next=len(rows) > limit)


@dataclass(frozen=True)
class PublicRegion:
    id: int
    code: str
    name: str
    level: int
    is_poor_village: bool
    parent_id: int | None = None
    parent_code: str | None = None
    parent_name: str | None = None
    child_count: int = 0


def yuan(amount: Decimal | None) -> str:
    """¥12,345.00, as the pages print money (sunshine.core.money: the one format)."""
    return money_yuan(amount)


def _public_region(region: Region, *, child_count: int = 0) -> PublicRegion:
    parent = region.parent if region.parent_id and region.level > RegionLevel.TOWNSHIP else None
    return PublicRegion(
        id=region.pk, code=region.code, name=region.name, level=region.level,
        is_poor_village=region.is_poor_village, parent_id=parent.pk if parent else None,
        parent_code=parent.code if parent else None,
        parent_name=parent.name if parent else None, child_count=child_count,
    )


def township_list() -> list[PublicRegion]:
    """Every township/street with the number of its villages (one query)."""
    qs = (
        Region.objects.filter(level=RegionLevel.TOWNSHIP)
        .annotate(n=Count("children", filter=Q(children__level=RegionLevel.VILLAGE)))
        .order_by("code")
    )
    return [_public_region(r, child_count=r.n) for r in qs]


def township_get(*, code: str) -> PublicRegion:
    region = Region.objects.filter(level=RegionLevel.TOWNSHIP, code=code).first()
    if region is None:
        raise NotFound(gettext("未找到该乡镇（街道）"))
    return _public_region(region)


def village_list(*, township_code: str) -> list[PublicRegion]:
    qs = Region.objects.filter(level=RegionLevel.VILLAGE, parent__code=township_code).order_by("code")
    return [_public_region(r) for r in qs.select_related("parent")]


@dataclass(frozen=True)
class TownshipVillages:
    code: str
    name: str
    villages: list[PublicRegion]


def village_choices() -> list[TownshipVillages]:
    """Every village grouped by township, for the self-check form's picker (two queries)."""
    townships = {r.pk: TownshipVillages(r.code, r.name, []) for r in
                 Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code").only("code", "name")}
    for v in Region.objects.filter(level=RegionLevel.VILLAGE).order_by("code").only(
            "code", "name", "level", "parent_id", "is_poor_village"):
        if v.parent_id in townships:
            townships[v.parent_id].villages.append(
                PublicRegion(id=v.pk, code=v.code, name=v.name, level=v.level, is_poor_village=v.is_poor_village))
    return list(townships.values())


def village_get(*, code: str) -> PublicRegion:
    region = Region.objects.select_related("parent").filter(level=RegionLevel.VILLAGE, code=code).first()
    if region is None:
        raise NotFound(gettext("未找到该村（社区）"))
    return _public_region(region)


def public_phone(value: str | None) -> str:
    """A notice's contact number: an office landline is shown, a personal mobile is masked."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    return mask_phone(digits) if len(digits) == MOBILE_DIGITS and digits.startswith("1") else mask_text(value)


# ---------------------------------------------------------------------------------------------------------------
# Published records. A record is public once its notice is published (`published_at` set); drafts never are.
# Lists show the current version; a corrected record carries the version it replaced and the reason, so both
# versions are visible (三(二)3: a published disclosure is never changed silently).


def _published(qs):
    return qs.filter(published_at__isnull=False, is_current=True)


# The same rule in SQL, for the one hot query written by hand (village_summary): keep the two together.
PUBLISHED_SQL = "is_current AND published_at IS NOT NULL"


@dataclass(frozen=True)
class PublicAllocation:
    id: int
    version: int
    level: str
    level_name: str
    document_number: str
    fund_type: str
    amount: Decimal
    recipient_kind_name: str
    recipient_name: str
    region_name: str
    allocated_on: dt.date
    purpose: str
    correction_reason: str = ""
    previous: PublicAllocation | None = None

    @property
    def summary(self) -> str:
        return f"{self.document_number} {self.fund_type} {self.recipient_name} {yuan(self.amount)}"


def _allocation(a: FundAllocation, *, with_previous: bool = True) -> PublicAllocation:
    previous = a.supersedes if with_previous and a.supersedes_id else None
    return PublicAllocation(
        id=a.pk, version=a.version, level=a.level, level_name=a.get_level_display(),
        document_number=a.document_number, fund_type=a.fund_type, amount=a.amount,
        recipient_kind_name=a.get_recipient_kind_display(), recipient_name=mask_text(a.recipient_name),
        region_name=a.region.name, allocated_on=a.allocated_on, purpose=mask_text(a.purpose),
        correction_reason=mask_text(a.correction_reason),
        previous=_allocation(previous, with_previous=False) if previous is not None else None,
    )


@dataclass(frozen=True)
class PublicProject:
    id: int
    version: int
    code: str
    name: str
    project_type: str
    village_name: str
    status: str
    status_name: str
    stage_number: int  # 1-based position in PROJECT_STAGE_ORDER, 0 when cancelled
    stage_total: int
    budget: Decimal
    contract_amount: Decimal | None
    allocated_amount: Decimal | None  # set in village lists, where the allocations are summed
    contractor: str
    content: str
    approval_document: str
    filing_number: str
    approved_on: dt.date | None
    started_on: dt.date | None
    accepted_on: dt.date | None
    correction_reason: str = ""
    previous: PublicProject | None = None

    @property
    def summary(self) -> str:
        return f"{self.name} {self.status_name} {yuan(self.budget)}"


def _project(p: Project, *, allocated: Decimal | None = None, with_previous: bool = True) -> PublicProject:
    previous = p.supersedes if with_previous and p.supersedes_id else None
    stage = PROJECT_STAGE_ORDER.index(p.status) + 1 if p.status in PROJECT_STAGE_ORDER else 0
    return PublicProject(
        id=p.pk, version=p.version, code=p.code, name=mask_text(p.name), project_type=p.project_type,
        village_name=p.village.name, status=p.status, status_name=p.get_status_display(), stage_number=stage,
        stage_total=len(PROJECT_STAGE_ORDER), budget=p.budget, contract_amount=p.contract_amount,
        allocated_amount=allocated, contractor=mask_text(p.contractor), content=mask_text(p.content),
        approval_document=p.approval_document, filing_number=p.filing_number, approved_on=p.approved_on,
        started_on=p.started_on, accepted_on=p.accepted_on, correction_reason=mask_text(p.correction_reason),
        previous=_project(previous, with_previous=False) if previous is not None else None,
    )


def _allocated_to_projects(lineages: list) -> dict:
    """Published allocations to each project (by lineage, so a corrected project keeps its money)."""
    if not lineages:
        return {}
    rows = (_published(FundAllocation.objects).filter(project__lineage__in=lineages)
            .values("project__lineage").annotate(total=Sum("amount")))
    return {r["project__lineage"]: r["total"] for r in rows}


@dataclass(frozen=True)
class PublicTransaction:
    id: int
    version: int
    occurred_on: dt.date
    direction: str
    direction_name: str
    amount: Decimal
    balance: Decimal | None
    counterparty: str
    purpose: str
    voucher_number: str
    correction_reason: str = ""
    previous: PublicTransaction | None = None

    @property
    def summary(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.direction_name} {yuan(self.amount)} {self.purpose}"


def _transaction(t: AccountTransaction, *, with_previous: bool = True) -> PublicTransaction:
    previous = t.supersedes if with_previous and t.supersedes_id else None
    return PublicTransaction(
        id=t.pk, version=t.version, occurred_on=t.occurred_on, direction=t.direction,
        direction_name=t.get_direction_display(), amount=t.amount, balance=t.balance,
        counterparty=mask_text(t.counterparty), purpose=mask_text(t.purpose), voucher_number=mask_text(t.voucher_number),
        correction_reason=mask_text(t.correction_reason),
        previous=_transaction(previous, with_previous=False) if previous is not None else None,
    )


@dataclass(frozen=True)
class PublicPayment:
    id: int
    version: int
    payee_name: str
    payee_id_masked: str
    fund_item: str
    amount: Decimal
    period: str
    paid_on: dt.date
    card_masked: str
    notice_code: str = ""
    correction_reason: str = ""
    previous: PublicPayment | None = None

    @property
    def summary(self) -> str:
        return f"{self.payee_name} {self.fund_item} {yuan(self.amount)} {self.paid_on:%Y-%m-%d}"


def public_name(value: str | None) -> str:
    """A person's name as every public page shows it: in full, as a 公示 must (三(二)3: the lists name each
    payee). The one rule for the lists, the self-check and the household page; ID numbers and cards are masked."""
    return value or ""


def _payment(p: HouseholdPayment, *, notice_code: str = "", with_previous: bool = True) -> PublicPayment:
    previous = p.supersedes if with_previous and p.supersedes_id else None
    return PublicPayment(
        id=p.pk, version=p.version, payee_name=public_name(p.payee_name),
        payee_id_masked=mask_id_number(p.payee_id_number),
        fund_item=p.fund_item, amount=p.amount, period=p.period, paid_on=p.paid_on,
        card_masked=mask_bank_card(p.bank_card), notice_code=notice_code,
        correction_reason=mask_text(p.correction_reason),
        previous=_payment(previous, with_previous=False) if previous is not None else None,
    )


def _notice_codes_of_payments(payment_ids: list[int]) -> dict[int, str]:
    """The published notice each payment row appeared in (its latest one), by payment id."""
    if not payment_ids:
        return {}
    rows = (NoticeItem.objects.filter(payment_id__in=payment_ids, notice__status=NoticeStatus.PUBLISHED)
            .order_by("notice__published_at").values_list("payment_id", "notice__code"))
    return dict(rows)


# Corrections are chained one version at a time; a record corrected more often than this is shown without a code.
MAX_VERSION_WALK = 10


def _notice_codes(payments: list[HouseholdPayment]) -> dict[int, str]:
    """Notice codes by payment id. A correction version sits in no notice of its own (the ledger records it against
    the original notice), so its code is found by walking back to the version a notice listed."""
    codes = _notice_codes_of_payments([p.pk for p in payments])
    pending = {p.pk: p.supersedes_id for p in payments if p.pk not in codes and p.supersedes_id}
    for _step in range(MAX_VERSION_WALK):
        if not pending:
            break
        found = _notice_codes_of_payments(list(set(pending.values())))
        for pid, older in list(pending.items()):
            if older in found:
                codes[pid] = found[older]
                del pending[pid]
        if pending:
            parents = dict(HouseholdPayment.objects.filter(pk__in=set(pending.values()))
                           .values_list("pk", "supersedes_id"))
            pending = {pid: parents[older] for pid, older in pending.items() if parents.get(older)}
    return codes


# ---------------------------------------------------------------------------------------------------------------
# Notices (公示) and their ledger entries


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
        raise NotFound(gettext("未找到该公示，请核对核验码"))
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
    field = NOTICE_RECORD_FIELD[notice.kind]
    related = [field, *_record_related(field, prefix=f"{field}__")]
    qs = NoticeItem.objects.filter(notice_id=notice.id).select_related(*related).order_by("position")
    rows = list(qs[offset:offset + limit + 1])
    has_next = len(rows) > limit
    rows = rows[:limit]
    records = [getattr(item, field) for item in rows]
    newer = _current_versions(field, records)
    items = []
    for item, rec in zip(rows, records, strict=True):
        public = _public_record(field, rec, notice_code=notice.code)
        current = newer.get(rec.lineage)
        corrected = _public_record(field, current, notice_code="") if current is not None and current.pk != rec.pk \
            else None
        items.append(PublicNoticeRecord(position=item.position, record_type=f"funds.{field}", record=public,
                                        corrected_by=corrected))
    return Page(items=items, offset=offset, limit=limit, has_next=has_next, count=notice.item_count)


NOTICE_PAGE_SIZE = 50
NOTICE_RECORD_FIELD = {
    NoticeKind.ALLOCATION: "allocation", NoticeKind.PROJECT: "project",
    NoticeKind.PAYMENT: "payment", NoticeKind.TRANSACTION: "transaction",
}
RECORD_MODELS = {"allocation": FundAllocation, "project": Project, "payment": HouseholdPayment,
                 "transaction": AccountTransaction}
RECORD_RELATED = {"allocation": ["region"], "project": ["village"], "payment": [], "transaction": []}


def _record_related(field: str, prefix: str = "") -> list[str]:
    """select_related paths for a record and the version it corrected (both are rendered)."""
    own = RECORD_RELATED[field]
    return [f"{prefix}{p}" for p in [*own, "supersedes", *(f"supersedes__{r}" for r in own)]]


def _current_versions(field: str, records: list) -> dict:
    """The published current version of each record's lineage (uses the one-current-version unique index)."""
    lineages = [r.lineage for r in records if r is not None]
    if not lineages:
        return {}
    model = RECORD_MODELS[field]
    qs = _published(model.objects).filter(lineage__in=lineages).select_related(*_record_related(field))
    return {r.lineage: r for r in qs}


def _public_record(field: str, rec, *, notice_code: str):
    if field == "allocation":
        return _allocation(rec)
    if field == "project":
        return _project(rec)
    if field == "payment":
        return _payment(rec, notice_code=notice_code)
    return _transaction(rec)


# ---------------------------------------------------------------------------------------------------------------
# A township's and a village's disclosure pages

VILLAGE_SECTIONS = ("allocations", "projects", "transactions", "payments", "notices")
SECTION_PAGE_SIZE = 10


def allocation_page(*, region_id: int, page: int | None = None, offset: int | None = None,
                    limit: int | None = None) -> Page:
    """Published allocations to one township or village, newest first."""
    offset, limit = page_bounds(page=page, offset=offset, limit=limit)
    qs = (_published(FundAllocation.objects).filter(region_id=region_id)
          .select_related(*_record_related("allocation")).order_by("-allocated_on", "-id"))
    return _paginate(qs, _allocation, offset=offset, limit=limit)


def project_page(*, village_id: int, page: int | None = None, offset: int | None = None,
                 limit: int | None = None) -> Page:
    offset, limit = page_bounds(page=page, offset=offset, limit=limit)
    qs = (_published(Project.objects).filter(village_id=village_id)
          .select_related(*_record_related("project")).order_by("-published_at", "-id"))
    rows = list(qs[offset:offset + limit + 1])
    allocated = _allocated_to_projects([p.lineage for p in rows[:limit]])
    return Page(items=[_project(p, allocated=allocated.get(p.lineage, ZERO)) for p in rows[:limit]],
                offset=offset, limit=limit, has_next=len(rows) > limit)


def transaction_page(*, village_id: int, page: int | None = None, offset: int | None = None,
                     limit: int | None = None) -> Page:
    offset, limit = page_bounds(page=page, offset=offset, limit=limit)
    qs = (_published(AccountTransaction.objects).filter(village_id=village_id)
          .select_related("supersedes").order_by("-occurred_on", "-id"))
    return _paginate(qs, _transaction, offset=offset, limit=limit)


def payment_page(*, village_id: int, page: int | None = None, offset: int | None = None,
                 limit: int | None = None) -> Page:
    """Published household payments in one village, newest first (index funds_payment_village_date_id)."""
    offset, limit = page_bounds(page=page, offset=offset, limit=limit)
    qs = (_published(HouseholdPayment.objects).filter(village_id=village_id)
          .select_related("supersedes").order_by("-paid_on", "-id"))
    rows = list(qs[offset:offset + limit + 1])
    codes = _notice_codes(rows[:limit])
    return Page(items=[_payment(p, notice_code=codes.get(p.pk, "")) for p in rows[:limit]],
                offset=offset, limit=limit, has_next=len(rows) > limit)


def notice_page(*, region_ids: list[int], page: int | None = None, offset: int | None = None,
                limit: int | None = None) -> Page:
    """Published notices of some regions (a village and its township), newest first, with their record counts."""
    offset, limit = page_bounds(page=page, offset=offset, limit=limit)
    qs = (_published_notices().filter(scope_region_id__in=region_ids)
          .annotate(n_items=_ITEM_COUNT).order_by("-published_at", "-id"))
    return _paginate(qs, lambda n: _notice(n, item_count=n.n_items), offset=offset, limit=limit)


@dataclass(frozen=True)
class VillageSummary:
    allocated_total: Decimal
    allocation_count: int
    project_count: int
    project_budget: Decimal
    balance: Decimal | None
    balance_on: dt.date | None


def _cents(total) -> Decimal:
    # SQLite's SUM drops the decimals PostgreSQL keeps; answers are the same on both.
    return (total or ZERO).quantize(ZERO)


# The village page's figures in one round trip: three ORM aggregates cost 1.8 ms of query building for 0.1 ms of
# database work (every village page starts with them; one ORM query of six subqueries costs 2.9 ms).
_ALLOC, _PROJECT, _TXN = (m._meta.db_table for m in (FundAllocation, Project, AccountTransaction))
_LAST_BALANCE = (f"FROM {_TXN} WHERE village_id = %(v)s AND {PUBLISHED_SQL} AND balance IS NOT NULL "
                 f"ORDER BY occurred_on DESC, id DESC LIMIT 1")
_VILLAGE_SUMMARY_SQL = f"""
SELECT
  (SELECT SUM(amount) FROM {_ALLOC} WHERE region_id = %(v)s AND {PUBLISHED_SQL}),
  (SELECT COUNT(*) FROM {_ALLOC} WHERE region_id = %(v)s AND {PUBLISHED_SQL}),
  (SELECT SUM(budget) FROM {_PROJECT} WHERE village_id = %(v)s AND {PUBLISHED_SQL} AND status <> %(cancelled)s),
  (SELECT COUNT(*) FROM {_PROJECT} WHERE village_id = %(v)s AND {PUBLISHED_SQL} AND status <> %(cancelled)s),
  (SELECT balance {_LAST_BALANCE}),
  (SELECT occurred_on {_LAST_BALANCE})
"""


def _decimal_or_none(value) -> Decimal | None:
    # PostgreSQL answers Decimal; SQLite int or float (its SUM has no decimals), rounded to cents by the caller.
    return None if value is None else value if isinstance(value, Decimal) else Decimal(str(value))


def village_summary(*, village_id: int) -> VillageSummary:
    """The figures at the top of a village page: small aggregates over indexed rows, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_VILLAGE_SUMMARY_SQL, {"v": village_id, "cancelled": ProjectStatus.CANCELLED.value})
        alloc_total, alloc_n, proj_total, proj_n, balance, balance_on = cursor.fetchone()
    if isinstance(balance_on, str):  # SQLite keeps dates as text
        balance_on = dt.date.fromisoformat(balance_on)
    balance = _decimal_or_none(balance)
    return VillageSummary(
        allocated_total=_cents(_decimal_or_none(alloc_total)), allocation_count=alloc_n, project_count=proj_n,
        project_budget=_cents(_decimal_or_none(proj_total)),
        balance=balance.quantize(ZERO) if balance is not None else None, balance_on=balance_on,
    )


def village_disclosure(*, village: PublicRegion, pages: dict[str, int]) -> dict:
    """Everything a village page shows: the summary and one page of each section (a bounded number of queries)."""
    vid = village.id
    return {
        "summary": village_summary(village_id=vid),
        "allocations": allocation_page(region_id=vid, page=pages.get("allocations"), limit=SECTION_PAGE_SIZE),
        "projects": project_page(village_id=vid, page=pages.get("projects"), limit=SECTION_PAGE_SIZE),
        "transactions": transaction_page(village_id=vid, page=pages.get("transactions"), limit=SECTION_PAGE_SIZE),
        "payments": payment_page(village_id=vid, page=pages.get("payments"), limit=SECTION_PAGE_SIZE),
        # A township-wide notice (e.g. all its villages' payments of a season) concerns the village too.
        "notices": notice_page(region_ids=[vid, village.parent_id], page=pages.get("notices"),
                               limit=SECTION_PAGE_SIZE),
    }


# ---------------------------------------------------------------------------------------------------------------
# What an objection is about (for the fallback page that gives the hotline)

ABOUT_TYPES = {
    "funds.allocation": (FundAllocation, _("资金分配")),
    "funds.project": (Project, _("扶贫项目")),
    "funds.payment": (HouseholdPayment, _("到户资金发放")),
    "funds.transaction": (AccountTransaction, _("村级账户收支")),
}


def describe_record(*, about_type: str, about_id: str) -> str:
    """A one-line masked description of a published record, or '' when it is unknown or unpublished."""
    entry = ABOUT_TYPES.get(about_type)
    if entry is None or not str(about_id).isdigit():
        return ""
    model, label = entry
    field = about_type.split(".", 1)[1]
    rec = (model.objects.filter(pk=int(about_id), published_at__isnull=False)
           .select_related(*_record_related(field)).first())
    if rec is None:
        return ""
    return f"{label}:{_public_record(field, rec, notice_code='').summary}"


# ---------------------------------------------------------------------------------------------------------------
# Household self-check (三(二)3: each beneficiary can see what was paid to the household)


@dataclass(frozen=True)
class HouseholdCheck:
    """What a household sees about itself: masked identity and its published payments."""

    village: PublicRegion
    head_name_masked: str
    id_number_masked: str
    payments: list[PublicPayment]
    total_amount: Decimal


NOT_FOUND_MESSAGE = _("未查到相符的记录。请核对所在村、姓名和身份证号后4位；确有发放却查不到，请拨打监督电话或提出异议。")
INVALID_MESSAGE = _("请选择所在村，填写姓名和身份证号码后4位（末位可以是X）")
_LAST4 = re.compile(r"^\d{3}[\dX]$")
MAX_NAME_LEN = 40
# A household's payment list in the self-check: years of monthly subsidies fit; more is a data problem.
MAX_HOUSEHOLD_PAYMENTS = 500


def normalize_name(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def household_check(*, client_ip: str, village_code: str, name: str, id_last4: str) -> HouseholdCheck:
    """A household's published payments, found by village, a member's name and the last 4 of that member's ID.

    Rate limited per requester (every attempt, and failures apart), never per name. A wrong name, wrong digits
    and an unknown village all give the same NotFound.
    """
    hit(LOOKUP_PER_IP, client_ip)
    check(LOOKUP_FAILURES_PER_REQUESTER, client_ip)
    household = household_find(village_code=village_code, name=name, id_last4=id_last4)
    if household is None:
        hit(LOOKUP_FAILURES_PER_REQUESTER, client_ip)
        raise NotFound(str(NOT_FOUND_MESSAGE), code=FundsErrorCode.LOOKUP_NOT_FOUND)
    payments = household_payments(household_id=household.pk)
    return HouseholdCheck(
        village=_public_region(household.village),
        head_name_masked=public_name(household.head_name),
        id_number_masked=mask_id_number(household.head_id_number),
        payments=payments,
        total_amount=sum((p.amount for p in payments), start=ZERO),
    )


def household_find(*, village_code: str, name: str, id_last4: str) -> Household | None:
    """The household of the self-check form's answers (normalized as typed on a phone), or None; malformed
    answers are a 400 with the form's message."""
    name = normalize_name(name)
    last4 = normalize_name(id_last4).upper()
    village_code = normalize_name(village_code)
    if not name or len(name) > MAX_NAME_LEN or not _LAST4.match(last4) or not village_code.isdigit():
        raise ApplicationError(str(INVALID_MESSAGE), code=FundsErrorCode.INVALID_LOOKUP)
    return _household_matching(village_code=village_code, name=name, last4=last4)


_HOUSEHOLD_FIELDS = ("id", "head_name", "head_id_number", "phone", "village__id", "village__code", "village__name",
                     "village__path", "village__level", "village__is_poor_village", "village__parent_id", "village__parent__code",
                     "village__parent__name")


def _household_matching(*, village_code: str, name: str, last4: str) -> Household | None:
    """The household whose head, or failing that one of whose members, has this name and ID ending.

    The village is joined by its unique code; the head is found through org_household_village_head (village,
    head_name) or org_household_head_name, a member through org_member_name. The last four characters are compared
    in Python on the handful of same-name rows, so no index on a suffix is needed.
    """
    in_village = {"village__code": village_code, "village__level": RegionLevel.VILLAGE}
    heads = (Household.objects.filter(head_name=name, **in_village)
             .select_related("village", "village__parent").only(*_HOUSEHOLD_FIELDS))
    for household in heads[:MATCH_CANDIDATES]:
        if household.head_id_number.upper().endswith(last4):
            return household
    members = (HouseholdMember.objects.filter(name=name, **{f"household__{k}": v for k, v in in_village.items()})
               .values_list("household_id", "id_number")[:MATCH_CANDIDATES])
    for household_id, id_number in members:
        if id_number.upper().endswith(last4):
            return (Household.objects.select_related("village", "village__parent").only(*_HOUSEHOLD_FIELDS)
                    .get(pk=household_id))
    return None


# Same-name rows compared per lookup; a village has at most a few people of one name.
MATCH_CANDIDATES = 50


def household_payments(*, household_id: int) -> list[PublicPayment]:
    """A household's published payments, newest first, each with the notice that published it."""
    rows = list(
        _published(HouseholdPayment.objects).filter(household_id=household_id)
        .select_related("supersedes").order_by("-paid_on", "-id")[:MAX_HOUSEHOLD_PAYMENTS]
    )
    codes = _notice_codes(rows)
    return [_payment(p, notice_code=codes.get(p.pk, "")) for p in rows]


# ---------------------------------------------------------------------------------------------------------------
# Live verification of a notice against the ledger (sunshine.funds.verification does the work)


@dataclass(frozen=True)
class PublicVerification:
    code: str
    found: bool
    ok: bool
    chain_ok: bool
    records_checked: int
    corrections: int
    problems: list[str]
    checked_at: dt.datetime
    notice_code: str = ""  # the notice's own (publication) code, to link its page

    @property
    def message(self) -> str:
        if not self.found:
            return gettext("没有这个核验码的公示。请核对纸质公告上的核验码。")
        if self.ok:
            return gettext("核验通过：公示内容与账本一致，公示后没有被改动。")
        return gettext("核验未通过：公示内容与账本记录不一致，请向监督电话反映。")


MAX_PROBLEMS_SHOWN = 20


def _verification(code: str) -> PublicVerification:
    result = verification.notice_verify(code)
    published = result.notice is not None and result.notice.status == NoticeStatus.PUBLISHED
    return PublicVerification(
        code=result.code, found=result.entry is not None and published, ok=result.ok and published,
        chain_ok=result.chain_ok, records_checked=result.records_checked, corrections=len(result.corrections),
        problems=[mask_text(str(m)) for m in result.mismatches[:MAX_PROBLEMS_SHOWN]] if result.entry else [],
        checked_at=timezone.now(), notice_code=result.notice.code if published else "",
    )


def notice_verify(*, notice: PublicNotice) -> PublicVerification:
    """Re-check a published notice now: the chain up to its entry, its records and its corrections."""
    return _verification(notice.code)


def notice_check_code(*, code: str) -> PublicVerification:
    """The check behind the "type the code from the bulletin board" page (a publication or a correction code)."""
    return _verification(normalize_notice_code(code))


def objection_hint() -> str:
    hotline = settings.SUNSHINE["HOTLINE"]
    return gettext("对结果有异议，请拨打监督电话 %(hotline)s，或向所在乡镇（街道）纪（工）委反映，可以匿名。") % {
        "hotline": hotline}
