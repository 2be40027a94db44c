"""What every public read shares: one page of a list, money as the pages print it, names and phones as the
public sees them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sunshine.core.masking import mask_phone, mask_text

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



def yuan(amount: Decimal | None) -> str:
    """¥12,345.00, as the pages print money."""
    return "—" if amount is None else f"¥{Decimal(amount):,.2f}"



def public_phone(value: str | None) -> str:
    """A notice's contact number: an office landline is shown, a personal mobile is masked."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    return mask_phone(digits) if len(digits) == MOBILE_DIGITS and digits.startswith("1") else mask_text(value)


def public_name(value: str | None) -> str:
    """A person's name as every public page shows it: in full, as a 公示 must (三(二)3: the lists name each
    payee). The one rule for the lists, the self-check and the household page; ID numbers and cards are masked."""
    return value or ""

