"""Accepted events survive the death of the whole web process.

Real processes on loopback: the fake LINE API made slow (so accepted events wait in the table), the
Procfile `web:` command (gunicorn, 2 workers) and, after the web process and all its workers are
killed with SIGKILL, the Procfile `clock:` command, which takes over what was accepted but not
answered. Every event answered 200 is answered once: by its reply token, or by a push when the token
went stale; no reply token is used twice and no user gets more pushes than events left unanswered.
"""
from __future__ import annotations

import os
import signal
import threading
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.loadkit import FakeLine, Generator, Procfile, Web, wait_until
from bot.config import Config
from bot.registry import open_store
from tests.helpers import SECRET, TOKEN

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

RATE, SECONDS = 40, 6


@pytest.fixture
def fake(tmp_path: Path):
    with FakeLine(tmp_path / "fake.log") as fake:
        yield fake
        assert fake.spec()["violations"] == []


def test_killing_the_whole_web_process_loses_no_accepted_event_and_answers_none_twice(tmp_path, fake):
    database = str(tmp_path / "crash.sqlite3")
    env = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": fake.url,
           "DATABASE_PATH": database, "SECRET_KEY": "crash", "WEB_CONCURRENCY": "2",
           "REMINDER_TICK_SECONDS": "1", "QUIET_HOURS": "", "INBOUND_TAKEOVER_SECONDS": "2"}
    fake.faults(latency=0.6)  # LINE is slow today: handling lags behind the acknowledgements
    with Web(env, tmp_path / "web.log") as web:
        wait_until(lambda: len(web.worker_pids()) == 2, 60, "two gunicorn workers", web.process)
        generator = Generator(web.url, SECRET, RATE, SECONDS, users=30, prefix="k", retry_stale=False)
        load = threading.Thread(target=lambda: __import__("asyncio").run(generator.run()), daemon=True)
        load.start()
        store = open_store(database, config=Config(database_path=database, quiet_hours=""))
        wait_until(lambda: store.inbound.backlog() >= 20, 60, "a backlog of accepted events")
        for pid in [*web.worker_pids(), web.pid]:
            os.kill(pid, signal.SIGKILL)
        load.join(timeout=SECONDS + 30)
        left = store.inbound.backlog()
    assert left > 0, "the kill left accepted events behind"

    fake.faults(latency=0.0)
    with Procfile("clock", env, tmp_path / "clock.log") as clock:
        wait_until(lambda: store.inbound.backlog() == 0, 120, "every accepted event answered", clock.process)
        wait_until(lambda: set(store.outbox.stats()) <= {"sent"}, 60, "queued answers sent", clock.process)
    store.close()

    log = fake.log_rows()
    ok_replies = Counter(r[3] for r in log if r[1].endswith("/reply") and r[2] == 200)
    pushes = Counter(r[5] for r in log if r[1].endswith("/push") and r[2] == 200)
    acked = [r for r in generator.records if r.status == 200]
    assert len(acked) > 0
    assert [t for t, n in ok_replies.items() if n > 1] == [], "a reply token was used twice"
    unanswered = Counter(r.user for r in acked if r.token not in ok_replies)
    assert {u: n for u, n in unanswered.items() if pushes[u] < n} == {}, "an accepted event was lost"
    assert {u: n for u, n in pushes.items() if n > unanswered[u]} == {}, "an event was answered twice"
