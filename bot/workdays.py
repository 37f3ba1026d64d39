"""Working days in Taiwan: weekends, public holidays and make-up workdays (補班), for staff deadlines.

The `holidays` package knows Taiwan's public holidays and, through `weekend_workdays`, the Saturdays
that are make-up workdays (e.g. 2025-02-08). Days it does not know yet (a make-up workday announced
late, a typhoon closure) can be added with the MAKEUP_WORKDAYS / EXTRA_HOLIDAYS settings or below.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Iterable
from zoneinfo import ZoneInfo

import holidays

# Make-up workdays announced by the Directorate-General of Personnel Administration that the
# installed `holidays` release may not list yet. The package lists 2024-02-17 and 2025-02-08.
KNOWN_MAKEUP_WORKDAYS: tuple[date, ...] = (
    date(2024, 2, 17),
    date(2025, 2, 8),
)

WEEKDAY_NAMES_ZH = "一二三四五六日"


def parse_dates(text: str) -> tuple[date, ...]:
    """Dates from a setting such as "2026-02-07,2026-09-26"; bad items are ignored."""
    out = []
    for item in (text or "").replace(";", ",").split(","):
        try:
            out.append(date.fromisoformat(item.strip()))
        except ValueError:
            continue
    return tuple(out)


@lru_cache(maxsize=64)
def _taiwan_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("TW", years=year)


class WorkCalendar:
    """Which days the office works, and counting working days forwards."""

    def __init__(self, makeup_workdays: Iterable[date] = (), extra_holidays: Iterable[date] = ()) -> None:
        self.makeup_workdays = frozenset(KNOWN_MAKEUP_WORKDAYS) | frozenset(makeup_workdays)
        self.extra_holidays = frozenset(extra_holidays)

    def is_holiday(self, day: date) -> bool:
        return day in self.extra_holidays or day in _taiwan_holidays(day.year)

    def is_workday(self, day: date) -> bool:
        """Monday to Friday that is no holiday, or a make-up workday."""
        if day in self.extra_holidays:
            return False
        if day in self.makeup_workdays:
            return True
        calendar = _taiwan_holidays(day.year)
        if day in calendar.weekend_workdays:
            return True
        return day.weekday() < 5 and day not in calendar

    def next_workday(self, day: date) -> date:
        """The day itself when it is a working day, else the next one."""
        for _ in range(60):
            if self.is_workday(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within 60 days")

    def add_workdays(self, day: date, count: int) -> date:
        """The count-th working day after day (count 0: day itself, or the next working day)."""
        if count <= 0:
            return self.next_workday(day)
        while count:
            day += timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after start up to and including end (negative when end is earlier)."""
        if end < start:
            return -self.workdays_between(end, start)
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(days=i)))

    def due(self, received: datetime, working_days: int, tz: str = "Asia/Taipei",
            at: time = time(17, 0)) -> datetime:
        """The deadline for something received at `received`: the Nth working day after it, at closing time."""
        local = received.astimezone(ZoneInfo(tz))
        day = self.add_workdays(local.date(), working_days)
        return datetime.combine(day, at, tzinfo=ZoneInfo(tz))


def calendar_from_config(config: object) -> WorkCalendar:
    """The office calendar with the extra days from the settings."""
    return WorkCalendar(
        parse_dates(getattr(config, "makeup_workdays", "")),
        parse_dates(getattr(config, "extra_holidays", "")),
    )


def days_per_name(setting: str, defaults: dict[str, int]) -> dict[str, int]:
    """Days per name from a setting like "complaint=6,question=1", over the defaults; unknown names and
    values that are not whole numbers are ignored."""
    days = dict(defaults)
    for item in (setting or "").split(","):
        name, _, value = item.partition("=")
        if name.strip() in days and value.strip().isdigit():
            days[name.strip()] = int(value.strip())
    return days


def closing_time(config: object) -> time:
    """The time of day deadlines fall at (INBOX_DUE_TIME, default 17:00)."""
    try:
        return time.fromisoformat(getattr(config, "inbox_due_time", "") or "17:00")
    except ValueError:
        return time(17, 0)


def format_day(day: date, lang: str = "zh") -> str:
    """12/09（三） or Wed 12/09, as the citizen reads a date."""
    if lang == "en":
        return day.strftime("%a %m/%d")
    return f"{day.month}/{day.day:02d}（{WEEKDAY_NAMES_ZH[day.weekday()]}）"
