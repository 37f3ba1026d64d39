"""Time, injected: the system clock in production, a settable clock in tests."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def iso(dt: datetime) -> str:
    """The one timestamp format stored in SQLite: UTC, seconds, sortable as text."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


class Clock:
    """The real time, with the office's time zone at hand."""

    def __init__(self, tz: str = "Asia/Taipei") -> None:
        self.tz = ZoneInfo(tz)

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def local(self) -> datetime:
        return self.now().astimezone(self.tz)

    def stamp(self) -> str:
        return iso(self.now())


class FakeClock(Clock):
    """A clock that only moves when a test moves it."""

    def __init__(self, start: datetime, tz: str = "Asia/Taipei") -> None:
        super().__init__(tz)
        if start.tzinfo is None:
            start = start.replace(tzinfo=self.tz)
        self._now = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.tz)
        self._now = when.astimezone(timezone.utc)

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)
