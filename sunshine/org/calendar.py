"""The special governance office completes the working-day calendar for a year the chinesecalendar package does not
know yet, from the State Council's arrangement: the holidays and the weekend days made working days (调休上班).
The table and the reading side are sunshine.core.workdays; this is the one writer of an office-entered year."""
from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from sunshine.core.errors import ApplicationError
from sunshine.core.models import CalendarDay, CalendarYear
from sunshine.core.workdays import forget_cached_calendar, is_known

from .capabilities import Capability, require
from .errors import OrgErrorCode

_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:~|～|至|-{{1,2}}|—)\s*{_DATE})?\s*(.*)$")
WARN_FROM = (12, 1)  # from 1 December the desk warns when next year's calendar is missing


def _parse_lines(text: str, *, year: int, what: str) -> list[tuple[dt.date, str]]:
    days: list[tuple[dt.date, str]] = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = _LINE.match(line)
        if not m:
            raise ApplicationError(f"{what}第 {n} 行“{line}”无法识别，请写成 2027-02-10~2027-02-16 春节",
                                   code=OrgErrorCode.CALENDAR_DAY)
        try:
            start = dt.date(int(m[1]), int(m[2]), int(m[3]))
            end = dt.date(int(m[4]), int(m[5]), int(m[6])) if m[4] else start
        except ValueError:
            raise ApplicationError(f"{what}第 {n} 行的日期不存在", code=OrgErrorCode.CALENDAR_DAY) from None
        if start.year != year or end.year != year or end < start:
            raise ApplicationError(f"{what}第 {n} 行的日期须在 {year} 年内且起止有序", code=OrgErrorCode.CALENDAR_DAY)
        day = start
        while day <= end:
            days.append((day, m[7].strip()[:20]))
            day += dt.timedelta(days=1)
    return days


def calendar_year_enter(*, actor, year: int, holidays: str, workdays: str, document: str = "") -> CalendarYear:
    """Record `year`'s arrangement (replacing an earlier office entry of the same year). Holidays: lines of a day
    or a range and its name; working days: lines of a weekend day made a working day."""
    require(actor, Capability.MANAGE_CALENDAR)
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None and existing.source == CalendarYear.Source.PACKAGE:
        raise ApplicationError(f"{year} 年的节假日安排已由 chinesecalendar 包提供，无需录入", code=OrgErrorCode.CALENDAR_DAY)
    off = _parse_lines(holidays, year=year, what="节假日")
    on = _parse_lines(workdays, year=year, what="调休上班日")
    if not off:
        raise ApplicationError("请至少填写一个节假日（元旦、春节、清明、劳动节、端午、中秋、国庆）",
                               code=OrgErrorCode.CALENDAR_DAY)
    clash = {d for d, _ in off} & {d for d, _ in on}
    if clash:
        raise ApplicationError(f"{min(clash)} 既是假日又是调休上班日", code=OrgErrorCode.CALENDAR_DAY)
    weekday_on = [d for d, _ in on if d.weekday() < 5]
    if weekday_on:
        raise ApplicationError(f"{weekday_on[0]} 是工作日，调休上班日应为周六或周日", code=OrgErrorCode.CALENDAR_DAY)
    with transaction.atomic():
        if existing is None:
            existing = CalendarYear.objects.create(year=year, source=CalendarYear.Source.OFFICE, document=document[:80],
                                                   entered_by=actor)
        else:
            existing.document, existing.entered_by = document[:80], actor
            existing.save()
            existing.days.all().delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(calendar_year=existing, date=d, is_workday=False, name=name or "节假日")
             for d, name in off if d.weekday() < 5] +
            [CalendarDay(calendar_year=existing, date=d, is_workday=True, name=name or "调休上班") for d, name in on])
    transaction.on_commit(forget_cached_calendar)
    forget_cached_calendar()
    return existing


def next_year_missing(today: dt.date) -> int | None:
    """Next year, when it is December (from WARN_FROM) and next year's calendar is not known; else None."""
    if (today.month, today.day) < WARN_FROM:
        return None
    nxt = today.year + 1
    return None if is_known(dt.date(nxt, 1, 1)) else nxt
