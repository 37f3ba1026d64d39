"""The clock process: its job table, the scheduler it builds, its daily jobs, and `python -m reminders`."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Config
from bot.registry import open_store
from reminders import jobs
from reminders.clock import TICK_JOB_ID, build_scheduler
from reminders.jobs import DISPATCH_ID, JOBS, TICK, Job, daily, run_tick, tick_jobs
from tests.helpers import SECRET, TOKEN

ROOT = Path(__file__).resolve().parent.parent
USER = "U" + "c0" * 16


def test_job_ids_are_unique_and_the_dispatch_runs_last_in_a_tick():
    ids = [job.id for job in JOBS]
    assert len(ids) == len(set(ids))
    extended = (*JOBS, Job("bookings.reminders", lambda services, now: None, TICK))
    assert tick_jobs(extended)[-1].id == DISPATCH_ID


def test_the_scheduler_has_a_tick_and_each_daily_job_under_explicit_ids(services):
    scheduler = BackgroundScheduler(timezone="Asia/Taipei")
    build_scheduler(services, scheduler=scheduler)
    build_scheduler(services, scheduler=scheduler)  # replace_existing: building twice adds nothing
    registered = {job.id: job for job in scheduler.get_jobs()}
    assert set(registered) == {TICK_JOB_ID, *(job.id for job in jobs.daily_jobs())}
    tick = registered[TICK_JOB_ID].trigger
    assert isinstance(tick, IntervalTrigger) and tick.interval.total_seconds() == 30
    purge = registered["maintenance.purge_message_log"].trigger
    assert isinstance(purge, CronTrigger) and str(purge.timezone) == "Asia/Taipei"
    assert "hour='3'" in str(purge) and "minute='0'" in str(purge)


def test_the_tick_follows_reminder_tick_seconds(config, clock, fake_line):
    from bot.app import build_services

    services = build_services(config.with_(reminder_tick_seconds=5), clock=clock, knowledge=object(),
                              matcher=object())
    scheduler = BackgroundScheduler(timezone="Asia/Taipei")
    build_scheduler(services, scheduler=scheduler)
    assert scheduler.get_job(TICK_JOB_ID).trigger.interval.total_seconds() == 5


def test_a_failing_tick_job_is_logged_and_the_dispatch_still_runs(services, store, clock, fake_line, caplog):
    def broken(services, now):
        raise RuntimeError("appointment reminders broke")

    store.outbox.enqueue(USER, [{"type": "text", "text": "still sent"}])
    results = run_tick(services, clock.now(), (Job("broken", broken, TICK), *JOBS))
    assert results["broken"] is None and results[DISPATCH_ID].sent == 1
    assert "clock job broken failed" in caplog.text
    assert fake_line.texts(USER) == ["still sent"]


def test_daily_times_are_validated():
    assert daily("8:05") == "daily 08:05"
    for bad in ("24:00", "12:60"):
        try:
            daily(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} accepted")


def test_the_daily_jobs_purge_old_logs_and_events(services, store, clock):
    store.messages.add(USER, "in", "text", "old")
    store.events.first_time("old-event")
    clock.advance(days=181)
    store.messages.add(USER, "in", "text", "new")
    store.events.first_time("new-event")
    assert jobs.purge_message_log(services, clock.now()) == 1
    assert jobs.forget_processed_events(services, clock.now()) == 1
    assert [entry["text"] for entry in store.messages.recent(USER)] == ["new"]
    assert store.events.first_time("old-event") and not store.events.first_time("new-event")


def test_old_settled_outbox_rows_are_purged_but_dead_ones_stay(services, store, clock, fake_line):
    store.outbox.enqueue(USER, [{"type": "text", "text": "sent"}])
    jobs.dispatch_due(services, clock.now())
    fake_line.set_faults(queue=[400])
    store.outbox.enqueue(USER, [{"type": "text", "text": "dead"}])
    jobs.dispatch_due(services, clock.now())
    clock.advance(days=91)
    assert jobs.purge_outbox(services, clock.now()) == 1
    assert store.outbox.stats() == {"dead": 1}


def test_the_web_process_never_starts_a_scheduler(app, client):
    client.get("/healthz")
    assert not [t for t in threading.enumerate() if "APScheduler" in t.name]


def test_python_m_reminders_sends_due_rows_every_tick_and_stops_on_sigterm(tmp_path, fake_line):
    database = str(tmp_path / "clock.sqlite3")
    store = open_store(database, config=Config(database_path=database, quiet_hours=""))
    store.migrate()
    store.outbox.enqueue(USER, [{"type": "text", "text": "from the clock"}])
    env = {**os.environ, "DATABASE_PATH": database, "LINE_API_BASE_URL": fake_line.url,
           "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_CHANNEL_SECRET": SECRET,
           "REMINDER_TICK_SECONDS": "1", "QUIET_HOURS": "", "PYTHONPATH": str(ROOT)}
    clock = subprocess.Popen([sys.executable, "-m", "reminders"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: fake_line.texts(USER) == ["from the clock"], clock), clock_output(clock)
        store.outbox.enqueue(USER, [{"type": "text", "text": "next tick"}])
        assert wait_for(lambda: fake_line.texts(USER)[-1:] == ["next tick"], clock), clock_output(clock)
        clock.send_signal(signal.SIGTERM)
        assert clock.wait(timeout=30) == 0, clock_output(clock)
    finally:
        if clock.poll() is None:
            clock.kill()
            clock.wait()
    assert store.outbox.stats() == {"sent": 2}
    assert len(fake_line.calls("/push")) == 2
    store.close()


def wait_for(condition, process, timeout=30.0) -> bool:
    """Poll until the condition holds, the process dies, or the time-out passes (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def clock_output(process) -> str:
    if process.poll() is None:
        return "(still running)"
    out, err = process.communicate(timeout=5)
    return f"exit {process.returncode}\n{out}\n{err}"
