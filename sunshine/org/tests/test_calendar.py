"""The working-day calendar outlives its package: a table seeded from chinesecalendar, completed by the special
governance office for a year the package does not know (holidays and 调休), a warning from 1 December while next
year is missing, and deadlines counted on the entered year instead of estimated."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from sunshine.core.errors import ApplicationError
from sunshine.core.models import CalendarDay, CalendarYear
from sunshine.core.workdays import (
    CalendarUnknownError,
    add_working_days,
    forget_cached_calendar,
    is_known,
    is_workday,
    package_years,
)
from sunshine.org.calendar import calendar_year_enter, next_year_missing

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = package_years()[1] + 1  # the first year the installed package does not know (2027 with chinesecalendar 1.10)
HOLIDAYS_2027 = f"""{YEAR}-01-01~{YEAR}-01-03 元旦
{YEAR}-02-06~{YEAR}-02-13 春节
{YEAR}年4月5日 清明节
{YEAR}-05-01至{YEAR}-05-05 劳动节
{YEAR}-06-09 端午节
{YEAR}-09-15 中秋节
{YEAR}-10-01~{YEAR}-10-07 国庆节"""
WORKDAYS_2027 = f"{YEAR}-02-14\n{YEAR}-02-20\n{YEAR}-05-08\n{YEAR}-09-26\n{YEAR}-10-09"


@pytest.fixture(autouse=True)
def fresh_calendar():
    forget_cached_calendar()
    yield
    forget_cached_calendar()  # no other test sees this test's (rolled back) year


def test_the_table_is_seeded_from_the_package_with_its_holidays_and_make_up_days():
    first, last = package_years()
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(first, last + 1))
    national = CalendarDay.objects.filter(date__range=(D(2025, 9, 28), D(2025, 10, 11))).order_by("date")
    assert [(d.date.day, d.is_workday) for d in national] == [(28, True), (1, False), (2, False), (3, False),
                                                                (6, False), (7, False), (8, False), (11, True)]
    assert national[1].name == "国庆节" and national[0].name == "调休上班"
    assert not is_workday(D(2025, 10, 1)) and is_workday(D(2025, 9, 28))


def test_the_office_completes_a_year_the_package_does_not_know_and_deadlines_follow_it(city):
    assert not is_known(D(YEAR, 3, 1))
    with pytest.raises(CalendarUnknownError):
        is_workday(D(YEAR, 2, 8))
    assert add_working_days(D(YEAR, 2, 5), 1, strict=False) == D(YEAR, 2, 8)  # estimated: Mon–Fri
    entry = calendar_year_enter(actor=city.accounts["office"], year=YEAR, holidays=HOLIDAYS_2027,
                                workdays=WORKDAYS_2027, document="国办发明电〔2026〕7号")
    assert entry.source == "office" and entry.entered_by == city.accounts["office"]
    assert is_known(D(YEAR, 3, 1))
    assert not is_workday(D(YEAR, 2, 8)) and is_workday(D(YEAR, 2, 14))  # a weekday of 春节; a 调休 Sunday
    # 2-5 (Fri) + 1 working day: 2-6…2-13 are the holiday, 2-14 (Sunday) is worked.
    assert add_working_days(D(YEAR, 2, 5), 1) == D(YEAR, 2, 14)
    # Only the days that break the Monday–Friday rule are stored: weekday holidays and worked weekend days.
    # 1-1 (Fri); 2-8…2-12; 4-5; 5-3…5-5; 6-9; 9-15; 10-1, 10-4…10-7
    assert CalendarDay.objects.filter(calendar_year=entry, is_workday=False).count() == 1 + 5 + 1 + 3 + 1 + 1 + 5
    assert CalendarDay.objects.filter(calendar_year=entry, is_workday=True).count() == 5


def test_a_case_deadline_into_the_entered_year_is_estimated_before_and_exact_after(city):
    from sunshine.cases.choices import DeadlineKind
    from sunshine.cases.services.deadlines import deadline_open
    from sunshine.cases.tests.builders import submit

    _, case, _ = submit(city)
    before = deadline_open(case=case, kind=DeadlineKind.REPLY, starts_on=D(YEAR, 2, 1))
    assert before.estimated
    calendar_year_enter(actor=city.accounts["office"], year=YEAR, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027)
    _, other, _ = submit(city)
    after = deadline_open(case=other, kind=DeadlineKind.REPLY, starts_on=D(YEAR, 2, 1))
    assert not after.estimated
    # 15 working days from 2-1 (Mon): 2-2…2-5 (4), 2-14 (Sun, worked: 5), 2-15…2-19 (10), 2-20 (Sat, worked: 11),
    # 2-22…2-25 (15). Monday–Friday alone gave 2-22.
    assert (before.due_on, after.due_on) == (D(YEAR, 2, 22), D(YEAR, 2, 25))


def test_bad_entries_are_refused_with_the_line(city):
    office = city.accounts["office"]
    with pytest.raises(ApplicationError, match="第 2 行"):
        calendar_year_enter(actor=office, year=YEAR, holidays=f"{YEAR}-01-01 元旦\n春节放七天", workdays="")
    with pytest.raises(ApplicationError, match="周六或周日"):
        calendar_year_enter(actor=office, year=YEAR, holidays=f"{YEAR}-01-01 元旦", workdays=f"{YEAR}-01-04")
    with pytest.raises(ApplicationError, match=f"{YEAR} 年内"):
        calendar_year_enter(actor=office, year=YEAR, holidays=f"{YEAR + 1}-01-01 元旦", workdays="")
    with pytest.raises(ApplicationError, match="chinesecalendar"):
        calendar_year_enter(actor=office, year=2025, holidays="2025-01-01 元旦", workdays="")
    with pytest.raises((ApplicationError, PermissionDenied)):
        calendar_year_enter(actor=city.accounts["township1"], year=YEAR, holidays=f"{YEAR}-01-01", workdays="")
    assert not CalendarYear.objects.filter(year=YEAR).exists()


def test_the_desk_warns_from_the_first_of_december_while_next_year_is_missing(city, login, settings):
    last = package_years()[1]
    assert next_year_missing(D(last, 11, 30)) is None
    assert next_year_missing(D(last, 12, 1)) == YEAR
    import sunshine.org.desk_panels as panels

    original = panels.__dict__.get("timezone")
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=D(last, 12, 1)):
        office_home = login(city.accounts["office"]).get("/desk/").content.decode()
        assert f"{YEAR}年的节假日安排尚未录入" in office_home and f"录入{YEAR}年节假日安排" in office_home
        clerk_home = login(city.accounts["township1"]).get("/desk/").content.decode()
        assert f"{YEAR}年的节假日安排尚未录入" in clerk_home and f"录入{YEAR}年节假日安排" not in clerk_home
        calendar_year_enter(actor=city.accounts["office"], year=YEAR, holidays=HOLIDAYS_2027, workdays="")
        assert "尚未录入" not in login(city.accounts["office"]).get("/desk/").content.decode()
    assert original is None


def test_the_calendar_page_lists_the_year_and_the_office_enters_it(city, login):
    client = login(city.accounts["office"])
    page = client.get(f"/desk/calendar/?year={YEAR}").content.decode()
    assert "按周一至周五估算" in page and f"录入 {YEAR} 年的节假日安排" in page
    response = client.post("/desk/calendar/", {"year": YEAR, "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027,
                                               "document": "国办发明电"})
    assert response.status_code == 302
    page = client.get(f"/desk/calendar/?year={YEAR}").content.decode()
    assert "市专项治理办录入" in page and "春节" in page and "调休上班" in page
    assert login(city.accounts["township1"]).post(
        "/desk/calendar/", {"year": YEAR, "holidays": HOLIDAYS_2027}).status_code == 403
    package_page = client.get("/desk/calendar/?year=2025").content.decode()
    assert "国庆节" in package_page and "chinesecalendar 包" in package_page and "<textarea" not in package_page
