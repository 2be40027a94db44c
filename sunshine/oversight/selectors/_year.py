"""The year rules every quota shares (i13a): who is held to it, and to what share.

- The year runs 1 January – 31 December; it is judged on `as_of` = today, or 31 December for a past year.
- Held to a quota: whoever holds the post on `as_of` (a predecessor who left is not listed; their visits stay theirs).
- Pro-rating: someone who took the post during the year is held to ceil(quota × months / 12), where `months`
  counts the month they took the post in full (from 1 July: 6 months, so 4 visits become 2; from 15 December:
  1 month, so 4 become 1). A coverage quota ("every poor village") is pro-rated the same way on the number of
  places; the unvisited places are still listed.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from sunshine.core.errors import ApplicationError

from ..errors import OversightErrorCode

MONTHS = 12
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Year:
    year: int
    as_of: dt.date

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def year_of(year: int | None = None, *, today: dt.date | None = None) -> Year:
    today = today or timezone.localdate()
    year = year or today.year
    if not FIRST_YEAR <= year <= today.year + 1:
        raise ApplicationError("年度无效", code=OversightErrorCode.BAD_INPUT)
    as_of = today if year == today.year else dt.date(year, 12, 31)
    return Year(year=year, as_of=min(as_of, dt.date(year, 12, 31)))


def months_in_post(start_date: dt.date, year: Year) -> int:
    if start_date <= year.start:
        return MONTHS
    return MONTHS - start_date.month + 1


def pro_rated(quota: int, months: int) -> int:
    return math.ceil(quota * months / MONTHS)


def held_on(as_of: dt.date) -> Q:
    """Positions held on `as_of`."""
    return Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gte=as_of))
