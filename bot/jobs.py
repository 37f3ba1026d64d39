"""Jobs: plain functions (services, now) that the clock process runs on a schedule.

Features declare theirs in their `FEATURE` (bot/feature.py); the kernel's housekeeping jobs are
KERNEL_TICK_JOBS / KERNEL_DAILY_JOBS below; bot/registry.py assembles the table the clock runs.

    Job("bookings.reminders", booking_reminders, TICK),          # every REMINDER_TICK_SECONDS
    Job("inbox.chase_overdue", chase_overdue, daily("08:30")),   # once a day, office time

Ids must be unique (they are the scheduler's job ids). Tick jobs run one after another in table
order inside a single scheduler job, and the outbox dispatch always runs last, so rows queued by a
tick job go out in the same tick. A failing job is logged and never stops the others. Jobs must be
safe to run twice (the clock may restart): queue pushes with a dedupe_key.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable

from bot.quota import check_quotas, check_quotas_with_line

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

JobFunction = Callable[["Services", datetime], Any]
TICK = "tick"
DISPATCH_ID = "outbox.dispatch"


def daily(hh_mm: str) -> str:
    """A schedule that runs once a day at this office time ("03:00")."""
    hour, minute = (int(x) for x in hh_mm.split(":"))
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a time of day: {hh_mm!r}")
    return f"daily {hour:02d}:{minute:02d}"


@dataclass(frozen=True)
class Job:
    id: str
    run: JobFunction
    schedule: str  # TICK or daily("HH:MM")

    @property
    def at(self) -> tuple[int, int]:
        """(hour, minute) of a daily job."""
        hour, minute = self.schedule.removeprefix("daily ").split(":")
        return int(hour), int(minute)


# --- the kernel's housekeeping jobs -------------------------------------------------------------
def take_over_accepted_events(services: "Services", now: datetime) -> int:
    """Accepted webhook events no web thread is handling (the whole web process died): answer them."""
    from bot.inbound import takeover

    return takeover(services)


def purge_message_log(services: "Services", now: datetime) -> int:
    """Delete masked message-log entries older than MESSAGE_LOG_RETENTION_DAYS."""
    return services.store.messages.purge()


def forget_processed_events(services: "Services", now: datetime) -> int:
    """Webhook event ids are only needed while LINE may redeliver them."""
    return services.store.events.forget_before(days=7)


def purge_outbox(services: "Services", now: datetime) -> int:
    """Settled outbox rows older than 90 days (dead rows stay for staff)."""
    return services.store.outbox.purge(days=90)


def apply_retention(services: "Services", now: datetime) -> dict[str, int]:
    """Delete personal data past its RETENTION_* window (bot/store/retention.py, README "Privacy")."""
    return services.store.retention.run()


KERNEL_TICK_JOBS: tuple[Job, ...] = (
    Job("webhook.takeover", take_over_accepted_events, TICK),
    Job("quota.check", check_quotas, TICK),
)
KERNEL_DAILY_JOBS: tuple[Job, ...] = (
    Job("maintenance.purge_message_log", purge_message_log, daily("03:00")),
    Job("maintenance.forget_processed_events", forget_processed_events, daily("03:10")),
    Job("maintenance.purge_outbox", purge_outbox, daily("03:20")),
    Job("maintenance.retention", apply_retention, daily("03:40")),
    Job("quota.check_with_line", check_quotas_with_line, daily("09:00")),
)


def unique(jobs: Iterable[Job]) -> tuple[Job, ...]:
    """The jobs as one table; two with one id are a mistake."""
    table = tuple(jobs)
    ids = [job.id for job in table]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"two jobs claim the id(s) {twice}")
    return table


def tick_jobs(jobs: Iterable[Job]) -> list[Job]:
    """The tick jobs in order, the dispatcher last."""
    ticks = [job for job in jobs if job.schedule == TICK]
    return sorted(ticks, key=lambda job: job.id == DISPATCH_ID)


def daily_jobs(jobs: Iterable[Job]) -> list[Job]:
    return [job for job in jobs if job.schedule.startswith("daily ")]


def run_job(job: Job, services: "Services", now: datetime) -> Any:
    """Run one job; a failure is logged (with the job id) and swallowed."""
    try:
        return job.run(services, now)
    except Exception:  # noqa: BLE001 - one broken job must not stop the clock
        log.exception("clock job %s failed", job.id)
        return None


def run_tick(services: "Services", now: datetime, jobs: Iterable[Job]) -> dict[str, Any]:
    """One tick: every tick job in order, then the dispatch; returns each job's result by id."""
    return {job.id: run_job(job, services, now) for job in tick_jobs(jobs)}
