"""The appointment calendar: services, opening hours, slots and the national online-booking rules.

Everything here is a pure function of the rules data file (knowledge/booking_rules.yaml), the Taiwan
working-day calendar (bot/workdays.py), the office's closures and the current local time.

    rules = load_rules(path, days_ahead=7)
    cal = BookingCalendar(rules, WorkCalendar())
    cal.refusal(service, day, now_local, closures)  -> Refusal | None   (why a day cannot be booked)
    cal.slot_starts(service, day)                   -> [SlotTimes]      (when the service can start)
    cal.candidate_days(service, now_local, closures) -> [date]           (days open to booking now)
"""
from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import holidays
import yaml

from bot.workdays import WorkCalendar

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Why a day or time cannot be booked; handlers turn each into a sentence and a next-best choice.
PAST, TODAY, TOO_SOON, TOO_FAR, HOLIDAY, NOT_OPEN, CLOSED, WORKING_DAY = (
    "past", "today", "too_soon", "too_far", "holiday", "not_open", "closed", "working_day")


def _time(text: str) -> time:
    return time.fromisoformat(str(text).strip())


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _at(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@dataclass(frozen=True)
class Service:
    """Something a citizen can book: a name, how long it takes, and what to bring."""

    code: str
    name_zh: str
    name_en: str
    minutes: int
    documents_zh: tuple[str, ...] = ()
    documents_en: tuple[str, ...] = ()
    holiday: bool = False
    button_zh: str = ""
    button_en: str = ""

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh

    def button(self, lang: str) -> str:
        """The short name for a button (LINE cuts labels at 20 characters)."""
        return (self.button_en if lang == "en" else self.button_zh) or self.name(lang)

    def documents(self, lang: str) -> tuple[str, ...]:
        return self.documents_en if lang == "en" and self.documents_en else self.documents_zh


@dataclass(frozen=True)
class Hours:
    """One day's appointment hours: opening, closing, lunch break, slot length and seats per slot."""

    open: time
    close: time
    slot_minutes: int = 30
    seats: int = 1
    lunch: tuple[time, time] | None = None

    def slots(self) -> list[time]:
        """The start of every slot, lunch break left out."""
        out = []
        start, end = _minutes(self.open), _minutes(self.close)
        lunch = (_minutes(self.lunch[0]), _minutes(self.lunch[1])) if self.lunch else None
        while start + self.slot_minutes <= end:
            if not (lunch and start < lunch[1] and start + self.slot_minutes > lunch[0]):
                out.append(_at(start))
            start += self.slot_minutes
        return out


@dataclass(frozen=True)
class SlotTimes:
    """Where a service can start on a day: the start and every slot it occupies ("HH:MM" in keys)."""

    start: time
    covers: tuple[time, ...]
    seats: int
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    """Why a day cannot be booked: a reason code and what the citizen should hear about it."""

    reason: str
    day: date
    detail: str = ""
    earliest: date | None = None
    latest: date | None = None


@dataclass(frozen=True)
class Rules:
    """The booking rules as loaded from the data file."""

    services: tuple[Service, ...]
    weekdays: Mapping[int, Hours]
    make_up: Hours | None
    holiday_hours: Hours
    holiday_weekdays: frozenset[int] = frozenset({5, 6})
    holiday_on_public_holidays: bool = True
    holiday_min_working_days: int = 3
    holiday_max_days: int = 30
    cutoff: time = time(15, 0)
    days_ahead: int = 7
    late_minutes: int = 15
    no_show_limit: int = 3
    suspension_months: int = 6
    reminder_time: time = time(9, 0)
    checked: str = ""
    _by_code: Mapping[str, Service] = field(default_factory=dict, compare=False, repr=False)

    def service(self, code: str) -> Service | None:
        return self._by_code.get(code)


def _hours(raw: Mapping[str, Any]) -> Hours:
    lunch = None
    if raw.get("lunch"):
        start, _, end = str(raw["lunch"]).partition("-")
        lunch = (_time(start), _time(end))
    return Hours(_time(raw["open"]), _time(raw["close"]), int(raw.get("slot_minutes", 30)),
                 int(raw.get("seats", 1)), lunch)


def _service(raw: Mapping[str, Any]) -> Service:
    return Service(
        code=str(raw["code"]), name_zh=str(raw["zh"]), name_en=str(raw.get("en") or raw["zh"]),
        minutes=int(raw.get("minutes", 30)),
        documents_zh=tuple(str(d) for d in raw.get("documents_zh") or ()),
        documents_en=tuple(str(d) for d in raw.get("documents_en") or ()),
        holiday=bool(raw.get("holiday", False)),
        button_zh=str(raw.get("button_zh") or ""), button_en=str(raw.get("button_en") or ""),
    )


def rules_from_data(data: Mapping[str, Any], days_ahead: int | None = None) -> Rules:
    """Rules from the parsed data file; days_ahead (BOOKING_DAYS_AHEAD) overrides the default 7."""
    weekdays = {WEEKDAY_KEYS.index(k): _hours(v) for k, v in (data.get("weekdays") or {}).items()
                if k in WEEKDAY_KEYS and v}
    make_up = data.get("weekdays", {}).get("make_up")
    rules = data.get("rules") or {}
    marriage = data.get("holiday_marriage") or {}
    days = [str(d) for d in marriage.get("days") or ("sat", "sun", "holidays")]
    services = tuple(_service(s) for s in data.get("services") or ())
    return Rules(
        services=services,
        weekdays=weekdays,
        make_up=_hours(make_up) if make_up else None,
        holiday_hours=_hours({"open": "09:00", "close": "12:00", "seats": 1, **marriage}),
        holiday_weekdays=frozenset(WEEKDAY_KEYS.index(d) for d in days if d in WEEKDAY_KEYS),
        holiday_on_public_holidays="holidays" in days,
        holiday_min_working_days=int(marriage.get("min_working_days", 3)),
        holiday_max_days=int(marriage.get("max_days", 30)),
        cutoff=_time(rules.get("cutoff", "15:00")),
        days_ahead=int(days_ahead if days_ahead is not None else rules.get("days_ahead", 7)),
        late_minutes=int(rules.get("late_minutes", 15)),
        no_show_limit=int(rules.get("no_show_limit", 3)),
        suspension_months=int(rules.get("suspension_months", 6)),
        reminder_time=_time(rules.get("reminder_time", "09:00")),
        checked=str(data.get("checked", "")),
        _by_code={s.code: s for s in services},
    )


@lru_cache(maxsize=8)
def _load(path: str, mtime: float, days_ahead: int | None) -> Rules:
    with open(path, encoding="utf-8") as f:
        return rules_from_data(yaml.safe_load(f) or {}, days_ahead)


@lru_cache(maxsize=1)
def default_rules_path() -> Path:
    """knowledge/booking_rules.yaml, found without importing the knowledge package."""
    spec = importlib.util.find_spec("knowledge")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "booking_rules.yaml"


def load_rules(path: str | Path | None = None, days_ahead: int | None = None) -> Rules:
    """The rules from the data file (knowledge/booking_rules.yaml by default), re-read when it changes."""
    path = Path(path or default_rules_path())
    return _load(str(path), path.stat().st_mtime, days_ahead)


@lru_cache(maxsize=16)
def _holiday_names(year: int, lang: str) -> Mapping[date, str]:
    return dict(holidays.country_holidays("TW", years=year, language="en_US" if lang == "en" else "zh_TW"))


def add_months(day: date, months: int) -> date:
    """The same day some months later (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


class BookingCalendar:
    """Which days and times a service can be booked, given the rules, holidays and closures."""

    def __init__(self, rules: Rules, workdays: WorkCalendar | None = None) -> None:
        self.rules = rules
        self.workdays = workdays or WorkCalendar()
        self._starts: dict[tuple[str, Hours], list[SlotTimes]] = {}

    def holiday_name(self, day: date, lang: str = "zh") -> str | None:
        """The public holiday's name, or None on an ordinary day."""
        name = _holiday_names(day.year, lang).get(day)
        if name is None and self.workdays.is_holiday(day) and not self.workdays.is_workday(day):
            return "休假日" if lang != "en" else "Holiday"
        return name

    def is_holiday_day(self, day: date) -> bool:
        """A day the office is normally closed on which holiday marriage registration is offered."""
        if self.workdays.is_workday(day):
            return False
        if day.weekday() in self.rules.holiday_weekdays:
            return True
        return self.rules.holiday_on_public_holidays and self.workdays.is_holiday(day)

    def hours(self, service: Service, day: date) -> Hours | None:
        """The appointment hours for this service on this day, or None when it is not offered."""
        if service.holiday:
            return self.rules.holiday_hours if self.is_holiday_day(day) else None
        if not self.workdays.is_workday(day):
            return None
        hours = self.rules.weekdays.get(day.weekday())
        return hours if hours is not None else self.rules.make_up

    def slot_starts(self, service: Service, day: date) -> list[SlotTimes]:
        """Each time the service can start: it needs enough consecutive slots before lunch or closing."""
        hours = self.hours(service, day)
        if hours is None:
            return []
        key = (service.code, hours)
        if key not in self._starts:
            self._starts[key] = self._fit(service, hours)
        return self._starts[key]

    @staticmethod
    def _fit(service: Service, hours: Hours) -> list[SlotTimes]:
        slots = hours.slots()
        need = max(1, math.ceil(service.minutes / hours.slot_minutes))
        out = []
        for i, start in enumerate(slots):
            covers = slots[i:i + need]
            if len(covers) < need:
                break
            span = _minutes(covers[-1]) - _minutes(start)
            if span == (need - 1) * hours.slot_minutes:  # no lunch break in between
                keys = tuple(f"{t.hour:02d}:{t.minute:02d}" for t in covers)
                out.append(SlotTimes(start, tuple(covers), hours.seats, keys))
        return out

    def cutoff(self, day: date) -> datetime:
        """Booking for a day closes at the cut-off time on the day before (local, naive)."""
        return datetime.combine(day - timedelta(days=1), self.rules.cutoff)

    def window(self, service: Service, today: date) -> tuple[date, date]:
        """The first and last day this service may be booked for, seen from today."""
        if service.holiday:
            first = self.workdays.add_workdays(today, self.rules.holiday_min_working_days) + timedelta(days=1)
            return first, today + timedelta(days=self.rules.holiday_max_days)
        return today + timedelta(days=1), today + timedelta(days=self.rules.days_ahead)

    def refusal(self, service: Service, day: date, now: datetime, closures: Mapping[date, str] | None = None,
                lang: str = "zh") -> Refusal | None:
        """Why this day cannot be booked for this service now (local time), or None when it can."""
        closures = closures or {}
        today = now.date()
        first, last = self.window(service, today)
        common = {"earliest": first, "latest": last}
        if day < today:
            return Refusal(PAST, day, **common)
        if day == today:
            return Refusal(TODAY, day, **common)
        if day < first:
            return Refusal(TOO_SOON, day, **common)
        if day > last:
            return Refusal(TOO_FAR, day, **common)
        if day in closures:
            return Refusal(CLOSED, day, closures[day], **common)
        if self.hours(service, day) is None:
            if service.holiday:
                return Refusal(WORKING_DAY, day, **common)
            name = self.holiday_name(day, lang)
            return Refusal(HOLIDAY if name else NOT_OPEN, day, name or "", **common)
        if now.replace(tzinfo=None) >= self.cutoff(day):
            return Refusal(TOO_SOON, day, **common)
        return None

    def candidate_days(self, service: Service, now: datetime,
                       closures: Mapping[date, str] | None = None) -> list[date]:
        """Every day in the booking window this service can be booked for now, earliest first."""
        first, last = self.window(service, now.date())
        days = (first + timedelta(days=i) for i in range((last - first).days + 1))
        return [d for d in days if self.refusal(service, d, now, closures) is None]

    def is_bookable_start(self, service: Service, day: date, start: time) -> SlotTimes | None:
        return next((s for s in self.slot_starts(service, day) if s.start == start), None)
