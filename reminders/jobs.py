"""The clock process's table of jobs: the kernel's housekeeping, every feature's jobs, the dispatch last.

The table is assembled by bot/registry.py from the features' declarations (bot/feature.py); this
module keeps the names the clock and the tests use. See bot/jobs.py for how jobs are written.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable

from bot import jobs as kernel_jobs
from bot.jobs import (DISPATCH_ID, TICK, Job, JobFunction, apply_retention, daily, forget_processed_events,
                      purge_message_log, purge_outbox, run_job, take_over_accepted_events)
from bot.registry import all_jobs
from reminders.dispatcher import dispatch_due

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["DISPATCH_ID", "JOBS", "TICK", "Job", "JobFunction", "apply_retention", "daily", "daily_jobs",
           "dispatch_due", "forget_processed_events", "purge_message_log", "purge_outbox", "run_job", "run_tick",
           "take_over_accepted_events", "tick_jobs"]

JOBS: tuple[Job, ...] = all_jobs()


def tick_jobs(jobs: Iterable[Job] = JOBS) -> list[Job]:
    """The tick jobs in order, the dispatcher last."""
    return kernel_jobs.tick_jobs(jobs)


def daily_jobs(jobs: Iterable[Job] = JOBS) -> list[Job]:
    return kernel_jobs.daily_jobs(jobs)


def run_tick(services: "Services", now: datetime, jobs: Iterable[Job] = JOBS) -> dict[str, Any]:
    """One tick: every tick job in order, then the dispatch; returns each job's result by id."""
    return kernel_jobs.run_tick(services, now, jobs)
