"""Working-day arithmetic: weekends, Taiwan public holidays, make-up workdays (補班), deadlines."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config
from bot.workdays import WorkCalendar, calendar_from_config, format_day, parse_dates
from handlers.inbox.kinds import due_days

TPE = ZoneInfo("Asia/Taipei")
cal = WorkCalendar()


@pytest.mark.parametrize(
    "day, workday",
    [
        (date(2026, 12, 1), True),     # an ordinary Tuesday
        (date(2026, 12, 5), False),    # Saturday
        (date(2026, 12, 25), False),   # 行憲紀念日 (a holiday again from 2025)
        (date(2026, 2, 17), False),    # 春節
        (date(2026, 2, 20), False),    # 春節 observed (a Friday)
        (date(2026, 10, 9), False),    # 國慶日 observed
        (date(2025, 2, 8), True),      # Saturday make-up workday (補班) known to the holidays package
        (date(2024, 2, 17), True),     # Saturday make-up workday
        (date(2025, 1, 27), False),    # the day off that 2025-02-08 made up for
    ],
)
def test_which_days_the_office_works(day, workday):
    assert cal.is_workday(day) is workday


@pytest.mark.parametrize(
    "start, count, expected",
    [
        (date(2026, 12, 1), 1, date(2026, 12, 2)),     # Tue -> Wed
        (date(2026, 12, 4), 1, date(2026, 12, 7)),     # Fri -> Mon
        (date(2026, 12, 1), 6, date(2026, 12, 9)),     # complaint deadline
        (date(2026, 12, 24), 1, date(2026, 12, 28)),   # over Christmas Day (holiday) and the weekend
        (date(2026, 2, 12), 2, date(2026, 2, 23)),     # over the Lunar New Year break
        (date(2025, 2, 7), 1, date(2025, 2, 8)),       # Friday -> the make-up Saturday
        (date(2026, 12, 5), 0, date(2026, 12, 7)),     # zero days on a Saturday: the next working day
    ],
)
def test_adding_working_days(start, count, expected):
    assert cal.add_workdays(start, count) == expected


def test_a_deadline_is_the_nth_working_day_at_closing_time_in_taipei():
    received = datetime(2026, 12, 4, 18, 30, tzinfo=TPE)  # Friday evening
    due = cal.due(received, 1)
    assert due == datetime(2026, 12, 7, 17, 0, tzinfo=TPE)
    assert due.astimezone(timezone.utc).hour == 9


def test_extra_makeup_workdays_and_closures_from_the_settings():
    config = Config(makeup_workdays="2026-12-05", extra_holidays="2026-12-02, not-a-date")
    office = calendar_from_config(config)
    assert office.is_workday(date(2026, 12, 5)) and not office.is_workday(date(2026, 12, 2))
    assert office.add_workdays(date(2026, 12, 1), 1) == date(2026, 12, 3)
    assert parse_dates("2026-01-02;bad") == (date(2026, 1, 2),)


def test_working_days_between_dates():
    assert cal.workdays_between(date(2026, 12, 1), date(2026, 12, 9)) == 6
    assert cal.workdays_between(date(2026, 12, 9), date(2026, 12, 1)) == -6


def test_due_days_per_type_are_configurable():
    assert due_days(Config().inbox_due_days) == {"question": 1, "complaint": 6, "home_visit": 3}
    assert due_days(Config(inbox_due_days="complaint=10,bogus=2,question=x").inbox_due_days) == {
        "question": 1, "complaint": 10, "home_visit": 3}


def test_dates_are_written_as_citizens_read_them():
    assert format_day(date(2026, 12, 9)) == "12/09（三）"
    assert format_day(date(2026, 12, 9), "en") == "Wed 12/09"


def test_closing_time_is_a_setting(tmp_path):
    from bot.registry import open_store
    from bot.clock import FakeClock

    store = open_store(str(tmp_path / "x.sqlite3"), FakeClock(datetime(2026, 12, 1, 10, 0)),
                  Config(inbox_due_time="12:00", database_path=str(tmp_path / "x.sqlite3")))
    store.migrate()
    assert store.inbox.due_for("question").astimezone(TPE) == datetime(2026, 12, 2, 12, 0, tzinfo=TPE)
    assert time(12, 0) == store.inbox.due_for("complaint").astimezone(TPE).time()
