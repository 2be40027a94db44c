"""Working days on the Chinese public-holiday calendar (holidays and 调休 make-up working days).

Every "within N working days" deadline in the platform goes through these two functions. The calendar is kept in
a table (core.CalendarYear / CalendarDay): seeded from the chinesecalendar package for the years it knows, and
completed by the special governance office for a year the package does not know yet (the State Council publishes
each year's arrangement in late autumn). A year in neither is unknown: deadlines are then counted Monday–Friday and
marked estimated. Where the table cannot be read (no database yet), the package answers alone.
"""
from __future__ import annotations

import datetime as dt
import functools
import time

import chinese_calendar

from sunshine.core.errors import ApplicationError, CoreErrorCode


class CalendarUnknownError(ApplicationError):
    """The holiday calendar has no data for the year asked about (the package must be upgraded each year)."""

    def __init__(self, day: dt.date):
        first, last = known_years()
        super().__init__(
            f"节假日日历没有{day.year}年的数据（仅有{first}–{last}年），请由市专项治理办在“工作日历”中录入该年的节假日安排（或升级 chinesecalendar 包）",
            code=CoreErrorCode.CALENDAR_UNKNOWN_YEAR,
        )
        self.day = day


CACHE_SECONDS = 300  # another process's edit of the calendar is seen within this time; this process's at once
_table: tuple[float, dict[int, dict[dt.date, bool]]] | None = None


def _from_table() -> dict[int, dict[dt.date, bool]] | None:
    """{year: {day that breaks the Monday–Friday rule: is it a working day}} of the known years, or None when the
    table cannot be read."""
    global _table
    now = time.monotonic()
    if _table is not None and now - _table[0] < CACHE_SECONDS:
        return _table[1]
    try:
        from .models import CalendarDay, CalendarYear

        years: dict[int, dict[dt.date, bool]] = {y: {} for y in CalendarYear.objects.values_list("year", flat=True)}
        for day, workday in CalendarDay.objects.values_list("date", "is_workday"):
            years.setdefault(day.year, {})[day] = workday
    except Exception:  # no database (yet): tables not migrated, or a test without database access
        return None
    if not years:
        return None  # an empty table (never seeded) knows less than the package
    _table = (now, years)
    return years


def forget_cached_calendar() -> None:
    """After the calendar table changes (this process sees it at once)."""
    global _table
    _table = None


@functools.cache
def package_years() -> tuple[int, int]:
    """First and last year the installed chinesecalendar package knows."""
    years = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return min(years), max(years)


def known_years() -> tuple[int, int]:
    """First and last year the calendar knows."""
    table = _from_table()
    if table:
        return min(table), max(table)
    return package_years()


def is_known(day: dt.date) -> bool:
    """True when the calendar has the official holiday arrangement for `day`'s year."""
    table = _from_table()
    if table is not None:
        return day.year in table
    first, last = package_years()
    return first <= day.year <= last


def is_workday(day: dt.date, *, strict: bool = True) -> bool:
    """True on a working day: weekdays that are not public holidays, plus weekend make-up days (调休).

    Outside the calendar's years: strict raises CalendarUnknownError; otherwise Monday–Friday count (an estimate,
    for deadlines that must still be set when next year's arrangement is not yet published or entered).
    """
    table = _from_table()
    if table is not None:
        exceptions = table.get(day.year)
        if exceptions is not None:
            return exceptions.get(day, day.weekday() < 5)
        if strict:
            raise CalendarUnknownError(day)
        return day.weekday() < 5
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if strict:
            raise CalendarUnknownError(day) from None
        return day.weekday() < 5


def package_exceptions(year: int) -> list[tuple[dt.date, bool, str]]:
    """(day, is it a working day, name) of each day of `year` that breaks the Monday–Friday rule, from the package."""
    days = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        workday, name = chinese_calendar.get_holiday_detail(day)
        workday = not workday  # get_holiday_detail answers "is it a holiday"
        if workday != (day.weekday() < 5):
            days.append((day, workday, _holiday_name(name) if not workday else "调休上班"))
        day += dt.timedelta(days=1)
    return days


_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
          "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
          "Anti-Fascist 70th Day": "抗战胜利纪念日"}


def _holiday_name(name) -> str:
    return _NAMES.get(str(name or ""), str(name or "")[:20])


def calendar_seed_from_package(calendar_year_model=None, calendar_day_model=None) -> int:
    """Add to the table every year the package knows and the table lacks (a migration and `sunshine migrate` run it;
    a newer package adds its new year). Returns the number of years added."""
    if calendar_year_model is None:
        from .models import CalendarDay as calendar_day_model
        from .models import CalendarYear as calendar_year_model
    first, last = package_years()
    have = set(calendar_year_model.objects.values_list("year", flat=True))
    added = 0
    for year in range(first, last + 1):
        if year in have:
            continue
        row = calendar_year_model.objects.create(year=year, source="package")
        calendar_day_model.objects.bulk_create([calendar_day_model(calendar_year=row, date=d, is_workday=w, name=n)
                                                for d, w, n in package_exceptions(year)])
        added += 1
    forget_cached_calendar()
    return added


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
