"""`python -m reminders`: the one clock process (APScheduler 3.x BlockingScheduler).

Every REMINDER_TICK_SECONDS it runs the tick jobs (reminders, then the outbox dispatch); the daily
jobs (bot/registry.py: the kernel's and every feature's) run at their office time. All state lives in SQLite, so a restart loses
and repeats nothing. SIGTERM (or Ctrl-C) lets a running job finish, then exits 0.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import REAL_LINE_API, config_from_env
from bot.masking import install_log_masking
from reminders.jobs import JOBS, Job, daily_jobs, run_job, run_tick

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

TICK_JOB_ID = "clock.tick"


def build_scheduler(services: "Services", jobs: tuple[Job, ...] = JOBS,
                    scheduler: BaseScheduler | None = None) -> BaseScheduler:
    """The scheduler with the tick job and one cron job per daily job (explicit ids, replace_existing)."""
    tz = services.config.office_timezone
    scheduler = scheduler or BlockingScheduler(
        timezone=tz, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    )
    seconds = max(1, services.config.reminder_tick_seconds)
    scheduler.add_job(
        _tick, IntervalTrigger(seconds=seconds, timezone=tz), args=[services, jobs], id=TICK_JOB_ID,
        name=f"tick every {seconds}s", replace_existing=True, next_run_time=datetime.now().astimezone(),
    )
    for job in daily_jobs(jobs):
        hour, minute = job.at
        scheduler.add_job(_daily, CronTrigger(hour=hour, minute=minute, timezone=tz), args=[services, job],
                          id=job.id, name=job.schedule, replace_existing=True)
    return scheduler


def _tick(services: "Services", jobs: tuple[Job, ...]) -> None:
    run_tick(services, services.store.clock.now(), jobs)


def _daily(services: "Services", job: Job) -> None:
    run_job(job, services, services.store.clock.now())


def stop_on_signals(scheduler: BaseScheduler) -> None:
    """SIGTERM / SIGINT: shut down from another thread, so a running job finishes and start() returns."""
    def stop(signum: int, frame: Any) -> None:
        log.info("signal %s: stopping the clock", signum)
        threading.Thread(target=_shutdown, args=(scheduler,), name="clock-stop").start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def _shutdown(scheduler: BaseScheduler) -> None:
    try:
        scheduler.shutdown(wait=True)
    except Exception:  # noqa: BLE001 - already stopped
        log.debug("scheduler already stopped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reminders", description="the clock process")
    parser.add_argument("--once", action="store_true", help="run one tick (reminders + dispatch) and exit")
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    install_log_masking()
    config = config_from_env()
    if not config.line_channel_access_token and config.line_api_base_url == REAL_LINE_API:
        print("LINE_CHANNEL_ACCESS_TOKEN is not set: nothing could be pushed; not starting.", file=sys.stderr)
        return 2

    from bot.app import build_services

    services = build_services(config, build_matcher=False)
    if args.once:
        log.info("one tick: %s", run_tick(services, services.store.clock.now()))
        return 0
    scheduler = build_scheduler(services)
    stop_on_signals(scheduler)
    log.info("clock started: tick every %ss, %s daily job(s)", config.reminder_tick_seconds,
             len(daily_jobs()))
    scheduler.start()  # blocks until a signal stops it
    services.store.close()
    log.info("clock stopped")
    return 0
