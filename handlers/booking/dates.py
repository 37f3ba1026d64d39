"""Typed dates and times for bookings: 「明天下午」, 「12/3 10點」, 「12月3日」, 「下週一」, "Dec 3 2pm"."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta

MORNING, AFTERNOON = "am", "pm"

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[〇零一二兩两三四五六七八九十]+(?=[月日號号點点時时分])")
_WEEKDAYS_ZH = "一二三四五六日天"
_MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_RELATIVE = (
    (re.compile(r"大後天|大后天"), 3),
    (re.compile(r"後天|后天|day after tomorrow"), 2),
    (re.compile(r"明天|明日|tomorrow|tmr"), 1),
    (re.compile(r"今天|今日|today"), 0),
)
_WEEKDAY_ZH = re.compile(r"(下+|這|这|本)?(?:個|个)?(?:週|周|星期|禮拜|礼拜)([一二三四五六日天])")
_WEEKDAY_EN = re.compile(r"\b(next\s+|this\s+)?(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b")
_FULL_DATE = re.compile(r"(\d{3,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日號号]?")
_MONTH_DAY = re.compile(r"(?<![\d:])(\d{1,2})\s*(?:/|-|月)\s*(\d{1,2})\s*[日號号]?(?![\d:])")
_EN_MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b")
_EN_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_DAY_ONLY = re.compile(r"(?<![\d:/])(\d{1,2})\s*[日號号](?!\d)")

_CLOCK = re.compile(r"(?<!\d)(\d{1,2})\s*[:：]\s*(\d{2})(?!\d)\s*(am|pm|a\.m\.|p\.m\.)?")
_HOUR_ZH = re.compile(r"(上午|早上|早|中午|下午|午後|晚上)?\s*(\d{1,2})\s*[點点時时]\s*(半|(\d{1,2})\s*分?)?")
_HOUR_EN = re.compile(r"(?<!\d)(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.|o'?clock)")
_PART_AM = re.compile(r"上午|早上|早上|morning|\bam\b")
_PART_PM = re.compile(r"下午|午後|afternoon|\bpm\b")


@dataclass(frozen=True)
class When:
    """What a typed phrase said: a day, a time, a part of the day (any may be missing)."""

    day: date | None = None
    start: time | None = None
    part: str | None = None

    @property
    def empty(self) -> bool:
        return self.day is None and self.start is None and self.part is None


def _cn_to_int(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS.get(ch, 0)
    return value


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, Chinese numerals before 月日點 to digits."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), text)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _near_year(month: int, day: int, today: date) -> date | None:
    """A month and day without a year: this year, or next year when it is long past."""
    found = _safe_date(today.year, month, day)
    if found is not None and (today - found).days > 60:
        found = _safe_date(today.year + 1, month, day)
    return found


def _weekday(today: date, weekday: int, nexts: int) -> date:
    """「週三」 is the coming Wednesday (not today); 「下週三」 the Wednesday of next week."""
    if nexts:
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=nexts)
        return monday + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def parse_day(text: str, today: date) -> tuple[date | None, str]:
    """The day a phrase names, and the phrase with that part removed."""
    for pattern, offset in _RELATIVE:
        m = pattern.search(text)
        if m:
            return today + timedelta(days=offset), text[:m.start()] + " " + text[m.end():]
    m = _FULL_DATE.search(text)
    if m:
        year = int(m.group(1))
        year = year + 1911 if year < 1911 else year
        return _safe_date(year, int(m.group(2)), int(m.group(3))), text[:m.start()] + " " + text[m.end():]
    for pattern, month_group in ((_EN_MONTH_DAY, 1), (_EN_DAY_MONTH, 2)):
        m = pattern.search(text)
        if m:
            month = _MONTHS_EN.index(m.group(month_group)[:3]) + 1
            day = int(m.group(3 - month_group))
            return _near_year(month, day, today), text[:m.start()] + " " + text[m.end():]
    m = _MONTH_DAY.search(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return _near_year(int(m.group(1)), int(m.group(2)), today), text[:m.start()] + " " + text[m.end():]
    m = _WEEKDAY_ZH.search(text)
    if m:
        nexts = len(m.group(1)) if m.group(1) and m.group(1).startswith("下") else 0
        weekday = min(_WEEKDAYS_ZH.index(m.group(2)), 6)
        return _weekday(today, weekday, nexts), text[:m.start()] + " " + text[m.end():]
    m = _WEEKDAY_EN.search(text)
    if m:
        nexts = 1 if m.group(1) and m.group(1).startswith("next") else 0
        return _weekday(today, _DAYS_EN.index(m.group(2)), nexts), text[:m.start()] + " " + text[m.end():]
    m = _DAY_ONLY.search(text)
    if m:
        day = int(m.group(1))
        found = _safe_date(today.year, today.month, day)
        if found is None or found < today:
            nxt = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
            found = _safe_date(nxt.year, nxt.month, day)
        return found, text[:m.start()] + " " + text[m.end():]
    return None, text


def _office_hour(hour: int, part: str | None) -> int:
    """Afternoon hours typed as 1–6 mean 13–18 (the office is closed at night)."""
    if part == AFTERNOON and hour < 12:
        return hour + 12
    if part is None and 1 <= hour <= 6:
        return hour + 12
    return hour


def parse_time(text: str) -> tuple[time | None, str | None]:
    """A time and/or a part of the day from a phrase (day already removed)."""
    part = AFTERNOON if _PART_PM.search(text) else MORNING if _PART_AM.search(text) else None
    hour = minute = None
    m = _CLOCK.search(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2))
        if m.group(3):
            part = AFTERNOON if m.group(3).startswith("p") else MORNING
    else:
        m = _HOUR_ZH.search(text)
        if m:
            hour = int(m.group(2))
            minute = 30 if m.group(3) == "半" else int(m.group(4) or 0)
            if m.group(1) in ("下午", "午後", "晚上"):
                part = AFTERNOON
            elif m.group(1) in ("上午", "早上", "早"):
                part = MORNING
        else:
            m = _HOUR_EN.search(text)
            if m:
                hour, minute = int(m.group(1)), 0
                if m.group(2).startswith(("a", "p")):
                    part = AFTERNOON if m.group(2).startswith("p") else MORNING
    if hour is None:
        return None, part
    hour = _office_hour(hour, part if part else (AFTERNOON if hour < 7 else None))
    if not (0 <= hour <= 23 and 0 <= (minute or 0) <= 59):
        return None, part
    start = time(hour, minute or 0)
    return start, AFTERNOON if hour >= 12 else MORNING


def parse_when(text: str, today: date) -> When:
    """Everything a typed phrase says about when: 「明天下午」 -> (tomorrow, None, pm)."""
    text = normalise(text)
    day, rest = parse_day(text, today)
    start, part = parse_time(rest)
    return When(day, start, part)
