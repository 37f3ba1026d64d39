"""The monthly push quota (LINE_MONTHLY_QUOTA): this month's count, and a warning to staff at 80%."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

WARN_AT = 0.8


@dataclass(frozen=True)
class QuotaReport:
    month: str
    counted: int  # pushes the bot recorded
    line_reported: int | None  # LINE's own figure, when asked and reachable
    quota: int  # 0: no quota set

    @property
    def used(self) -> int:
        return max(self.counted, self.line_reported or 0)

    @property
    def share(self) -> float | None:
        return self.used / self.quota if self.quota else None

    def describe(self) -> str:
        line = "" if self.line_reported is None else f"; LINE reports {self.line_reported}"
        if not self.quota:
            return f"{self.month}: {self.counted} pushes counted{line}; no LINE_MONTHLY_QUOTA set"
        return (f"{self.month}: {self.counted} pushes counted{line}; "
                f"quota {self.quota} ({self.share:.1%} used)")


def line_usage(services: "Services") -> int | None:
    """LINE's count of this month's pushes, or None when it cannot be asked."""
    try:
        return int(services.line.api.get_message_quota_consumption(
            _request_timeout=services.config.line_timeout_seconds).total_usage)
    except Exception as exc:  # noqa: BLE001 - the local count is enough
        log.info("could not ask LINE for quota consumption: %s", type(exc).__name__)
        return None


def quota_report(services: "Services", now: datetime, *, ask_line: bool = False) -> QuotaReport:
    outbox = services.store.outbox
    month = outbox.month(now)
    return QuotaReport(month, outbox.pushes_in_month(month), line_usage(services) if ask_line else None,
                       services.config.line_monthly_quota)


def check_quota(services: "Services", now: datetime, *, ask_line: bool = False) -> QuotaReport:
    """Tell staff once a month when 80% of the quota is used."""
    report = quota_report(services, now, ask_line=ask_line)
    if report.share is not None and report.share >= WARN_AT:
        services.store.outbox.notify_staff(
            f"本月 LINE 推播已用 {report.used}／{report.quota} 則（{report.share:.0%}），"
            f"請留意額度。/ LINE pushes this month: {report.used} of {report.quota} ({report.share:.0%}).",
            once_key=f"quota-80:{report.month}",
        )
    return report


def check_quota_with_line(services: "Services", now: datetime) -> QuotaReport:
    """The daily check, which also counts pushes LINE saw but the outbox did not send."""
    return check_quota(services, now, ask_line=True)
