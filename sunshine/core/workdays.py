"""Working days on the Chinese public-holiday calendar (chinesecalendar: holidays and 调休 make-up working days).

Every "within N working days" deadline in the platform goes through these two functions.
"""
from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar

from sunshine.core.errors import ApplicationError, CoreErrorCode


class CalendarUnknownError(ApplicationError):
    """The holiday calendar has no data for the year asked about (the package must be upgraded each year)."""

    def __init__(self, day: dt.date):
        first, last = known_years()
        super().__init__(
            f"节假日日历没有{day.year}年的数据（仅支持{first}–{last}年），请升级 chinesecalendar 包",
            code=CoreErrorCode.CALENDAR_UNKNOWN_YEAR,
        )
        self.day = day


@functools.cache
def known_years() -> tuple[int, int]:
    """First and last year the installed calendar knows."""
    years = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return min(years), max(years)


def is_known(day: dt.date) -> bool:
    """True when the installed calendar has the official holiday arrangement for `day`'s year."""
    first, last = known_years()
    return first <= day.year <= last


def is_workday(day: dt.date, *, strict: bool = True) -> bool:
    """True on a working day: weekdays that are not public holidays, plus weekend make-up days (调休).

    Outside the calendar's years: strict raises CalendarUnknownError; otherwise Monday–Friday count (an estimate,
    for deadlines that must still be set when next year's arrangement is not yet published or installed).
    """
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if strict:
            raise CalendarUnknownError(day) from None
        return day.weekday() < 5


def add_working_days(start: dt.date, n: int, *, strict: bool = True) -> dt.date:
    """The date `n` working days after `start` (start itself not counted); n = 0 gives `start`; n < 0 goes back."""
    if isinstance(start, dt.datetime):
        start = start.date()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if is_workday(day, strict=strict):
            remaining -= 1
    return day


def working_days_between(a: dt.date, b: dt.date, *, strict: bool = True) -> int:
    """Working days in (a, b]: how many working days pass from a to b; negative when b is before a."""
    if isinstance(a, dt.datetime):
        a = a.date()
    if isinstance(b, dt.datetime):
        b = b.date()
    if b < a:
        return -working_days_between(b, a, strict=strict)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_workday(day, strict=strict):
            count += 1
    return count
