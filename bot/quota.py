"""The monthly push quota, per LINE channel: this month's count, and a warning to staff at 80%.

Each LINE channel has its own plan and quota: the default channel (LINE_CHANNEL_*) has LINE_MONTHLY_QUOTA,
an office's own channel (OFFICES_FILE `line`) has its `line.monthly_quota`, else LINE_MONTHLY_QUOTA too.
LINE is asked for each channel's consumption with that channel's own token.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.offices import DEFAULT_CHANNEL

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
    channel: str = DEFAULT_CHANNEL
    offices: str = ""  # the names of the offices answering on the channel, when there are several channels
    offices_en: str = ""

    @property
    def used(self) -> int:
        return max(self.counted, self.line_reported or 0)

    @property
    def share(self) -> float | None:
        return self.used / self.quota if self.quota else None

    def describe(self) -> str:
        line = "" if self.line_reported is None else f"; LINE reports {self.line_reported}"
        # One channel: the line reads as it did before offices had channels of their own.
        prefix = f"{self.channel} ({self.offices_en or self.offices}) " if self.offices else ""
        if not self.quota:
            unset = "LINE_MONTHLY_QUOTA" if self.channel == DEFAULT_CHANNEL else "line.monthly_quota or LINE_MONTHLY_QUOTA"
            return f"{prefix}{self.month}: {self.counted} pushes counted{line}; no {unset} set"
        return (f"{prefix}{self.month}: {self.counted} pushes counted{line}; "
                f"quota {self.quota} ({self.share:.1%} used)")

    def warning(self) -> str:
        """The note staff get at 80%, naming the channel's offices when there are several channels."""
        figures = f"{self.used}／{self.quota} 則（{self.share:.0%}）"
        figures_en = f"{self.used} of {self.quota} ({self.share:.0%})"
        if not self.offices:
            return (f"本月 LINE 推播已用 {figures}，請留意額度。/ LINE pushes this month: {figures_en}.")
        return (f"{self.offices}的 LINE 官方帳號本月推播已用 {figures}，請留意額度。"
                f"/ LINE pushes this month on the channel of {self.offices_en or self.offices} "
                f"({self.channel}): {figures_en}.")

    @property
    def once_key(self) -> str:
        # The default channel keeps the key it always had, so a warning sent before the upgrade is not repeated.
        suffix = "" if self.channel == DEFAULT_CHANNEL else f"{self.channel}:"
        return f"quota-80:{suffix}{self.month}"


@dataclass(frozen=True)
class _Channel:
    key: str
    token: str
    quota: int
    offices: str = ""
    offices_en: str = ""


def _channels(services: "Services") -> list[_Channel]:
    """Every channel of the deployment with its quota and, with several channels, its offices' names."""
    config = services.config
    offices = services.offices
    if offices is None:
        return [_Channel(DEFAULT_CHANNEL, config.line_channel_access_token, config.line_monthly_quota)]
    found = []
    for channel in offices.channels:
        on = offices.on_channel(channel.key)
        quota = config.line_monthly_quota if channel.monthly_quota is None else channel.monthly_quota
        named = len(offices.channels) > 1  # one channel: the reports and the note read as they always did
        found.append(_Channel(channel.key, channel.access_token, quota,
                              "、".join(services.office_name(o) for o in on) if named else "",
                              ", ".join(services.office_name(o, "en") for o in on) if named else ""))
    return found


def line_usage(services: "Services", channel: str = DEFAULT_CHANNEL) -> int | None:
    """LINE's count of this month's pushes on a channel (asked with its own token), or None when it cannot be asked."""
    try:
        return int(services.line_for(channel).api.get_message_quota_consumption(
            _request_timeout=services.config.line_timeout_seconds).total_usage)
    except Exception as exc:  # noqa: BLE001 - the local count is enough
        log.info("could not ask LINE for %s's quota consumption: %s", channel, type(exc).__name__)
        return None


def _report(services: "Services", channel: _Channel, month: str, counts: dict[str, int],
            ask_line: bool) -> QuotaReport:
    # A channel without a token (a deployment still on the simulator) has nobody to ask.
    asked = line_usage(services, channel.key) if ask_line and channel.token else None
    return QuotaReport(month, counts.get(channel.key, 0), asked, channel.quota, channel.key,
                       channel.offices, channel.offices_en)


def quota_reports(services: "Services", now: datetime, *, ask_line: bool = False) -> list[QuotaReport]:
    """This month's pushes against the quota, one report per channel (in OFFICES_FILE's order, default first)."""
    outbox = services.store.outbox
    month = outbox.month(now)
    counts = outbox.pushes_by_channel(month)
    return [_report(services, channel, month, counts, ask_line) for channel in _channels(services)]


def quota_report(services: "Services", now: datetime, *, ask_line: bool = False,
                 channel: str | None = None) -> QuotaReport:
    """One channel's report ("line": the default channel, "line:<office>": an office's own; None: the first)."""
    outbox = services.store.outbox
    month = outbox.month(now)
    found = next((c for c in _channels(services) if channel is None or c.key == channel), None)
    if found is None:
        raise KeyError(f"no LINE channel {channel!r} in this deployment")
    return _report(services, found, month, outbox.pushes_by_channel(month), ask_line)


def _warn(services: "Services", report: QuotaReport) -> QuotaReport:
    if report.share is not None and report.share >= WARN_AT:
        services.store.outbox.notify_staff(report.warning(), once_key=report.once_key)
    return report


def check_quota(services: "Services", now: datetime, *, ask_line: bool = False,
                channel: str | None = None) -> QuotaReport:
    """Tell staff once a month when 80% of one channel's quota is used."""
    return _warn(services, quota_report(services, now, ask_line=ask_line, channel=channel))


def check_quotas(services: "Services", now: datetime, *, ask_line: bool = False) -> list[QuotaReport]:
    """Every channel's check: each warns staff once a month at 80% of its own quota."""
    return [_warn(services, report) for report in quota_reports(services, now, ask_line=ask_line)]


def check_quotas_with_line(services: "Services", now: datetime) -> list[QuotaReport]:
    """The daily check, which also counts pushes LINE saw but the outbox did not send."""
    return check_quotas(services, now, ask_line=True)
