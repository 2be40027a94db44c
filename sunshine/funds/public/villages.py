"""A township's and a village's disclosure pages."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from ..choices import ProjectStatus
from ..models import (
    AccountTransaction,
    FundAllocation,
    HouseholdPayment,
    Project,
)
from .common import ZERO, Page, _paginate, page_bounds
from .notices import _ITEM_COUNT, _notice, _published_notices
from .records import (
    PUBLISHED_SQL,
    _allocated_to_projects,
    _allocation,
    _notice_codes,
    _payment,
    _project,
    _published,
    _spent_on_projects,
    _transaction,
    record_related,
)
from .regions import PublicRegion

VILLAGE_SECTIONS = ("allocations", "projects", "transactions", "payments", "notices")
SECTION_PAGE_SIZE = 10


def allocation_page(*, region_id: int, page: int | None = None, offset: int | None = None,
                    limit: int | None = None) -> Page:
    """Published allocations to one township or village, newest first."""
    offset, limit = page_bounds(page=page, offset=offset, limit=limit)
    qs = (_published(FundAllocation.objects).filter(region_id=region_id)
          .select_related(*record_related("allocation")).order_by("-allocated_on", "-id"))
    return _paginate(qs, _allocation, offset=offset, limit=limit)


def project_page(*, village_id: int, page: int | None = None, offset: int | None = None,
                 limit: int | None = None) -> Page:
    offset, limit = page_bounds(page=page, offset=offset, limit=limit)
    qs = (_published(Project.objects).filter(village_id=village_id)
          .select_related(*record_related("project")).order_by("-published_at", "-id"))
    rows = list(qs[offset:offset + limit + 1])
    allocated = _allocated_to_projects([p.lineage for p in rows[:limit]])
    spent = _spent_on_projects([p.lineage for p in rows[:limit]])
    return Page(items=[_project(p, allocated=allocated.get(p.lineage, ZERO), paid=spent.get(p.lineage, (ZERO, None)))
                       for p in rows[:limit]],
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

