"""Quiet hours: when non-urgent pushes wait for the morning (QUIET_HOURS, e.g. "21:00-08:00")."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

DEFAULT = "21:00-08:00"
_SPEC = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class QuietHours:
    """A daily window in the office's time zone; start == end or no window means never quiet."""

    start: time | None
    end: time | None
    tz: ZoneInfo

    @classmethod
    def parse(cls, spec: str | None, tz: str = "Asia/Taipei") -> "QuietHours":
        """"21:00-08:00" (may cross midnight); empty disables; a malformed value falls back to the default."""
        zone = ZoneInfo(tz)
        if not (spec or "").strip():
            return cls(None, None, zone)
        match = _SPEC.match(spec or "")
        if not match or int(match[1]) > 23 or int(match[3]) > 23 or int(match[2]) > 59 or int(match[4]) > 59:
            log.warning("QUIET_HOURS %r is not HH:MM-HH:MM; using %s", spec, DEFAULT)
            return cls.parse(DEFAULT, tz)
        start, end = time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4]))
        return cls(None, None, zone) if start == end else cls(start, end, zone)

    @property
    def enabled(self) -> bool:
        return self.start is not None

    def contains(self, when: datetime) -> bool:
        """True when `when` (aware) falls inside the quiet window."""
        if self.start is None or self.end is None:
            return False
        clock = when.astimezone(self.tz).time()
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def next_allowed(self, when: datetime) -> datetime:
        """`when` itself, or the end of the quiet window it falls in (same time zone as given)."""
        if not self.contains(when) or self.end is None:
            return when
        local = when.astimezone(self.tz)
        morning = datetime.combine(local.date(), self.end, tzinfo=self.tz)
        if morning <= local:
            morning = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=self.tz)
        return morning.astimezone(when.tzinfo)
