import datetime as dt

import pytest

from sunshine.core.workdays import CalendarUnknownError, add_working_days, is_workday, working_days_between

D = dt.date


def test_national_day_2025_is_not_a_working_day():
    assert not any(is_workday(D(2025, 10, d)) for d in range(1, 9))


def test_make_up_saturdays_around_national_day_2025_are_working_days():
    assert is_workday(D(2025, 9, 28))  # Sunday, 调休
    assert is_workday(D(2025, 10, 11))  # Saturday, 调休


def test_an_ordinary_weekend_is_not_a_working_day():
    assert not is_workday(D(2025, 11, 22))
    assert not is_workday(D(2025, 11, 23))


def test_five_working_days_from_the_eve_of_national_day_skip_the_whole_holiday():
    # 9-30 + 5: 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14
    assert add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)


def test_adding_working_days_counts_a_make_up_sunday():
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)


def test_zero_working_days_is_the_same_day_and_negative_goes_back():
    assert add_working_days(D(2025, 10, 9), 0) == D(2025, 10, 9)
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)


def test_spring_festival_2026_is_skipped():
    # 2026 春节: 2-15..2-23 off; 2-14 (Sat) and 2-28 (Sat) are make-up working days.
    assert not is_workday(D(2026, 2, 16))
    assert is_workday(D(2026, 2, 14))
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_working_days_between_is_the_inverse_of_adding():
    start = D(2025, 9, 25)
    for n in (0, 1, 5, 15, 30):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(D(2025, 10, 14), D(2025, 9, 30)) == -5


def test_a_year_outside_the_calendar_raises_a_clear_error():
    with pytest.raises(CalendarUnknownError) as exc:
        add_working_days(D(2035, 3, 1), 3)
    assert "2035" in exc.value.message and "chinesecalendar" in exc.value.message


def test_non_strict_counting_falls_back_to_weekdays_outside_the_calendar():
    # 2035-03-02 is a Friday: the next working day estimated is Monday 2035-03-05.
    assert add_working_days(D(2035, 3, 2), 1, strict=False) == D(2035, 3, 5)
