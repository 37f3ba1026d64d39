"""Typed dates and times: what citizens really type where a button would do."""
from __future__ import annotations

from datetime import date, time

import pytest

from handlers.booking.dates import AFTERNOON, MORNING, When, parse_when

TODAY = date(2026, 12, 1)  # a Tuesday


@pytest.mark.parametrize("typed, expected", [
    ("明天", When(date(2026, 12, 2))),
    ("明天下午", When(date(2026, 12, 2), None, AFTERNOON)),
    ("後天早上", When(date(2026, 12, 3), None, MORNING)),
    ("大後天", When(date(2026, 12, 4))),
    ("12/3 10點", When(date(2026, 12, 3), time(10, 0), MORNING)),
    ("12月3日", When(date(2026, 12, 3))),
    ("12月3號下午3點", When(date(2026, 12, 3), time(15, 0), AFTERNOON)),
    ("十二月三日上午十點半", When(date(2026, 12, 3), time(10, 30), MORNING)),
    ("１２／３　１０：３０", When(date(2026, 12, 3), time(10, 30), MORNING)),
    ("2026-12-04", When(date(2026, 12, 4))),
    ("115/12/4", When(date(2026, 12, 4))),
    ("115年12月4日 9:30", When(date(2026, 12, 4), time(9, 30), MORNING)),
    ("週三", When(date(2026, 12, 2))),
    ("星期五 14:30", When(date(2026, 12, 4), time(14, 30), AFTERNOON)),
    ("下週一", When(date(2026, 12, 7))),
    ("下禮拜二下午兩點", When(date(2026, 12, 8), time(14, 0), AFTERNOON)),
    ("3號", When(date(2026, 12, 3))),
    ("1/5", When(date(2027, 1, 5))),
    ("下午2點", When(None, time(14, 0), AFTERNOON)),
    ("2點半", When(None, time(14, 30), AFTERNOON)),
    ("10點", When(None, time(10, 0), MORNING)),
    ("13:30", When(None, time(13, 30), AFTERNOON)),
    ("上午", When(None, None, MORNING)),
    ("tomorrow 10am", When(date(2026, 12, 2), time(10, 0), MORNING)),
    ("Dec 3 2pm", When(date(2026, 12, 3), time(14, 0), AFTERNOON)),
    ("3 December", When(date(2026, 12, 3))),
    ("next monday afternoon", When(date(2026, 12, 7), None, AFTERNOON)),
])
def test_typed_dates_and_times(typed, expected):
    assert parse_when(typed, TODAY) == expected


@pytest.mark.parametrize("typed", ["你好", "0912345678", "王小明", "好", "", "A123456789"])
def test_words_that_are_no_date_give_nothing(typed):
    assert parse_when(typed, TODAY).empty


def test_a_month_and_day_long_past_means_next_year():
    assert parse_when("1/5", date(2026, 12, 30)).day == date(2027, 1, 5)
    assert parse_when("11/30", TODAY).day == date(2026, 11, 30)  # yesterday stays (and is refused as past)


def test_impossible_dates_give_no_day():
    assert parse_when("2/30", TODAY).day is None
