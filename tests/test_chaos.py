"""Faults mid-load: a web worker and the clock process are killed (SIGKILL) while citizens write in.

Real processes on loopback: the fake LINE API (`python -m bot fake-line`), the Procfile `web:` command
(gunicorn, 2 workers) and the Procfile `clock:` command (`python -m reminders`). Nothing lost: every
event answered 200 got its reply, or (when LINE failed the reply) a push; every outbox row was sent.
Nothing sent twice: no reply token used twice, no retry key accepted twice.
"""
from __future__ import annotations

import os
import signal
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks.loadkit import FakeLine, Generator, Procfile, Web, wait_until
from bot.clock import iso
from bot.config import Config
from bot.registry import open_store
from tests.helpers import SECRET, TOKEN

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

ROWS = 3000  # outbox rows the clock is sending when it is killed
RATE, SECONDS = 60, 12  # webhook events per second, for how long
FAILED_REPLIES = 20  # replies LINE answers with 500 mid-load: they become outbox rows (pushes)


@pytest.fixture
def fake(tmp_path: Path):
    with FakeLine(tmp_path / "fake.log") as fake:
        yield fake
        # This fake runs in its own process, out of conftest's reach: check its spec log here.
        assert fake.spec()["violations"] == []


@pytest.fixture
def env(tmp_path: Path, fake: FakeLine) -> dict[str, str]:
    return {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": fake.url,
            "DATABASE_PATH": str(tmp_path / "chaos.sqlite3"), "SECRET_KEY": "chaos", "WEB_CONCURRENCY": "2",
            "REMINDER_TICK_SECONDS": "1", "QUIET_HOURS": ""}


class Load(threading.Thread):
    """The open-loop load generator, in a thread of the test process."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        # No resend on a broken connection: an event a dying worker took is simply not acknowledged.
        self.generator = Generator(url, SECRET, RATE, SECONDS, users=120, prefix="c", retry_stale=False)

    def run(self) -> None:
        import asyncio

        asyncio.run(self.generator.run())

    @property
    def acked(self) -> int:
        return sum(1 for r in self.generator.records if r.status == 200)


def calls(fake: FakeLine, kind: str, status: int | None = 200) -> list[list]:
    return [r for r in fake.log_rows() if r[1].endswith(kind) and (status is None or r[2] == status)]


def test_killing_a_web_worker_and_the_clock_mid_load_loses_nothing_and_sends_nothing_twice(tmp_path, fake, env):
    with Web(env, tmp_path / "web.log") as web:
        wait_until(lambda: len(web.worker_pids()) == 2, 60, "two gunicorn workers", web.process)
        database = env["DATABASE_PATH"]
        store = open_store(database, config=Config(database_path=database, quiet_hours=""))
        with store.transaction():
            for n in range(ROWS):
                store.outbox.enqueue(f"Uoutbox{n % 300:026d}", [{"type": "text", "text": f"chaos row {n}"}])
        fake.faults(latency=0.004)  # LINE answers in 4 ms, so the dispatch is still running when it dies

        load = Load(web.url)
        load.start()
        clock = Procfile("clock", env, tmp_path / "clock.log").start()

        # A web worker dies with requests in flight; gunicorn starts another one.
        wait_until(lambda: load.acked >= 100, 60, "first answers")
        victim = web.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        acked_at_kill = load.acked
        # LINE fails some replies: the web process must turn each into an outbox row for the clock.
        fake.faults(latency=0.004, reply_queue=[500] * FAILED_REPLIES)

        # The clock dies in the middle of sending the outbox.
        wait_until(lambda: len(calls(fake, "/push")) >= ROWS // 5, 90, "dispatch under way", clock.process)
        clock.process.send_signal(signal.SIGKILL)
        clock.process.wait(timeout=10)
        pending_at_kill = store.outbox.stats().get("pending", 0)

        load.join(timeout=SECONDS + 60)
        assert not load.is_alive()
        # Rows the dead clock had claimed come back when their lease runs out (minutes, by design):
        # move the lease instead of waiting for it. Their retry keys stay the same.
        # The same for the events the killed worker had claimed: their lease is moved, not waited for.
        lapsed = iso(store.clock.now() - timedelta(seconds=1))
        store.db.execute(
            "UPDATE outbox SET lease_until = ? WHERE status = 'pending' AND claim_token IS NOT NULL", [lapsed])
        store.db.execute("UPDATE inbound_events SET lease_until = ? WHERE lease_until IS NOT NULL", [lapsed])
        with Procfile("clock", env, tmp_path / "clock-2.log") as restarted:
            wait_until(lambda: store.inbound.backlog() == 0 and set(store.outbox.stats()) == {"sent"}, 120,
                       "every accepted event handled and every outbox row sent", restarted.process)
        workers_after = web.worker_pids()
        failed_replies = calls(fake, "/reply", status=500)
        outbox_keys = [row[0] for row in store.db.execute("SELECT retry_key FROM outbox").fetchall()]
        store.close()

    records = load.generator.records
    log = fake.log_rows()
    replies = [r for r in log if r[1].endswith("/reply")]
    pushes = [r for r in log if r[1].endswith("/push") and r[2] == 200]

    # The faults really happened mid-load.
    assert victim not in workers_after and len(workers_after) == 2
    assert load.acked > acked_at_kill, "the load went on after the worker died"
    assert pending_at_kill > 0
    assert len(failed_replies) == FAILED_REPLIES
    assert len({r[3] for r in failed_replies} & {r.token for r in records if r.status == 200}) > 0

    # Nothing sent twice.
    tokens = Counter(r[3] for r in replies if r[2] == 200)
    assert [t for t, n in tokens.items() if n > 1] == []
    # A worker killed between LINE's 200 and writing that down leaves its event to be taken over; the second
    # reply is refused (LINE accepts a token once, and reply has no retry key) and nothing is pushed for it.
    # So a refused reply is allowed only for a token that did get its one reply.
    refused = [r[3] for r in replies if r[2] == 400]
    assert [t for t in refused if tokens[t] != 1] == [], "a reply token refused without its one reply"
    assert len(refused) <= 16, "more refused replies than one killed worker's threads had in flight"
    keys = Counter(r[4] for r in pushes)
    assert [k for k, n in keys.items() if n > 1] == []

    # Nothing lost: every outbox row (the ones queued here and the failed replies) went out once.
    # A failed reply becomes a row when a live worker saw it fail; the killed worker's in-flight replies
    # can meet the injected 500s too, and those events are taken over and answered by reply instead.
    # An event the dying worker had already written down is answered even when its 200 never reached the
    # sender (LINE would resend it and find it handled), so a failed reply need not belong to an acked one.
    acked = [r for r in records if r.status == 200]
    failed_tokens = {r[3] for r in failed_replies}
    assert ROWS < len(outbox_keys) <= ROWS + len(failed_tokens)
    assert set(outbox_keys) <= set(keys)
    # ... and every acknowledged event got its reply, or a push when LINE failed the reply.
    unanswered = [r for r in acked if r.token not in tokens]
    assert [r.token for r in unanswered if r.token not in failed_tokens] == []
    pushed_to = Counter(r[5] for r in pushes)
    assert {u: n for u, n in Counter(r.user for r in unanswered).items() if pushed_to[u] < n} == {}
    assert len(acked) >= 0.8 * RATE * SECONDS
