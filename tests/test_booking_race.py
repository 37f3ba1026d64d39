"""Never double-booked: many citizens confirm the last seat at once on a multi-worker gunicorn server.

The server is the real app (`gunicorn -w 4 'bot:create_app()'`) in a subprocess with the real clock,
talking to a fake LINE API in this process. Every citizen is put at the confirmation step for the
same slot, which has one seat left; their 確認預約 postbacks are fired at the same moment.
benchmarks/booking.py reuses these helpers to report the figures.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time as clock_time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.config import Config
from bot.fake_line import FakeLineApi
from bot.simulator import make_event
from bot.registry import open_store
from bot.store.core import Conversation
from bot.webhook import signature_for
from handlers import booking as flow
from tests.helpers import SECRET, TOKEN, all_text, labels
from tests.live import ROOT, free_port, wait_for

pytestmark = pytest.mark.e2e

CITIZENS = 60
WORKERS = 4
SERVICE = "id_card"


class GunicornServer:
    """`gunicorn -w N 'bot:create_app()'` on a free loopback port; the access log records worker pids."""

    def __init__(self, database: Path, line_url: str, workers: int = WORKERS) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = database.with_suffix(".access.log")
        self.output = database.with_suffix(".gunicorn.log")
        self.workers = workers
        self.env = {**os.environ, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                    "LINE_API_BASE_URL": line_url, "DATABASE_PATH": str(database), "SECRET_KEY": "race-secret"}
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "GunicornServer":
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "-w", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                   "--access-logfile", str(self.log), "--access-logformat", "%(p)s %(U)s %(s)s",
                   "--no-control-socket",
                   "bot:create_app()"]
        with open(self.output, "wb") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        wait_for(self.url + "/healthz", timeout=60, process=self.process)
        self._wait_for_workers(self.workers)
        return self

    def _wait_for_workers(self, wanted: int, timeout: float = 60.0) -> None:
        """Until every worker has answered: on a loaded machine the first one up would take the whole race."""
        deadline = clock_time.monotonic() + timeout
        with ThreadPoolExecutor(max_workers=2 * wanted) as pool:
            while len(self.pids_of("/healthz")) < wanted and clock_time.monotonic() < deadline:
                list(pool.map(lambda _: requests.get(self.url + "/healthz", timeout=10), range(2 * wanted)))

    def pids_of(self, path: str) -> set[str]:
        """The worker processes that answered requests for path (from the access log)."""
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        return {line.split()[0] for line in lines if f" {path} " in f" {line} "}

    def callback_pids(self) -> set[str]:
        """The worker processes that answered /callback (proof that the race spanned workers)."""
        return self.pids_of("/callback")

    def __exit__(self, *exc: Any) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class Race:
    """The contested slot and the citizens waiting at the confirmation step."""

    day: date
    start: time
    users: list[str]
    sessions: dict[str, str]
    outcomes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)
    seconds: float = 0.0


def contested_slot(store: Store) -> tuple[date, time]:
    """A bookable day from real today (not tomorrow, so the 15:00 cut-off cannot strike mid-test)."""
    tomorrow = store.clock.local().date() + timedelta(days=1)
    days = [d for d, slots in store.bookings.availability(SERVICE).items()
            if sum(s.seats_left > 0 for s in slots) >= 3]
    later = [d for d in days if d > tomorrow] or days
    assert later, "no bookable day in the window"
    day = later[len(later) // 2]
    return day, store.bookings.free_slots(SERVICE, day)[2].start


def seed_race(database: Path, citizens: int = CITIZENS, prefix: str = "Urace") -> Race:
    """Fill the slot but one seat, and put each citizen at 確認預約 for it (state seeded in the DB)."""
    store = open_store(str(database), config=Config(database_path=str(database)))
    store.migrate()
    day, start = contested_slot(store)
    seats = next(s.seats_left for s in store.bookings.free_slots(SERVICE, day) if s.start == start)
    for i in range(seats - 1):
        store.bookings.book_slot(f"{prefix}seed{i}", SERVICE, day, start, name="先到者", phone="0900000000")
    users, sessions = [], {}
    for i in range(citizens):
        user = f"{prefix}{i:04d}"
        store.users.ensure(user)
        session = f"r{i:07d}"
        data = {"service": SERVICE, "day": day.isoformat(), "start": start.strftime("%H:%M"), "priority": "",
                "name": f"市民{i}", "phone": f"09{i:08d}"}
        store.conversations.save(Conversation(user, flow.CONFIRM, data, session))
        users.append(user)
        sessions[user] = session
    store.close()
    return Race(day, start, users, sessions)


def fire(url: str | list[str], fake: FakeLineApi, race: Race) -> Race:
    """Every citizen taps 確認預約 at the same moment, each through a signed webhook call.

    With several server URLs (web machines sharing one PostgreSQL) the citizens are dealt out in turn."""
    urls = [url] if isinstance(url, str) else url
    server_of = {user: urls[i % len(urls)] for i, user in enumerate(race.users)}
    bodies = {}
    for user in race.users:
        data = f"a=booking.confirm&s={race.sessions[user]}"
        event = make_event("postback", user, fake.issue_reply_token(user), postback={"data": data})
        bodies[user] = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
    barrier = threading.Barrier(len(race.users))

    def tap(user: str) -> int:
        body = bodies[user]
        headers = {"X-Line-Signature": signature_for(SECRET, body), "Content-Type": "application/json"}
        barrier.wait()
        return requests.post(server_of[user] + "/callback", data=body, headers=headers, timeout=60).status_code

    started = clock_time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(race.users)) as pool:
        race.statuses = list(pool.map(tap, race.users))
    # The 200 comes first (acknowledge first); the answers follow within moments.
    deadline = clock_time.monotonic() + 60
    while clock_time.monotonic() < deadline and not all(fake.delivered(user) for user in race.users):
        clock_time.sleep(0.05)
    race.seconds = clock_time.perf_counter() - started
    race.outcomes = {user: [d["message"] for d in fake.delivered(user)] for user in race.users}
    return race


def winners(race: Race) -> list[str]:
    return [user for user, messages in race.outcomes.items() if "預約成功" in all_text(messages)]


def told_gone_and_offered_others(messages: list[dict[str, Any]]) -> bool:
    text = all_text(messages)
    offered = [label for label in labels(messages) if re.search(r"\d{2}:\d{2}$", label)]
    return "剛被預約額滿了" in text and "最接近的空檔" in text and len(offered) >= 3


@pytest.fixture
def race_db(tmp_path) -> Path:
    return tmp_path / "race.sqlite3"


def test_sixty_citizens_confirm_the_last_seat_at_once_and_exactly_one_gets_it(race_db, fake_line):
    race = seed_race(race_db)
    with GunicornServer(race_db, fake_line.url) as server:
        fire(server.url, fake_line, race)
        pids = server.callback_pids()

    assert race.statuses == [200] * CITIZENS
    assert len(pids) > 1, "the race did not spread over several workers"
    store = open_store(str(race_db), config=Config(database_path=str(race_db)))
    taken = store.db.execute("SELECT COUNT(*) FROM booking_seats WHERE day = ? AND slot = ?",
                             [race.day.isoformat(), race.start.strftime("%H:%M")]).fetchone()[0]
    seats = next(s.seats for s in store.bookings.calendar.slot_starts(store.bookings.service(SERVICE), race.day)
                 if s.start == race.start)
    assert taken == seats
    booked = [b for b in store.bookings.bookings_on(race.day) if b.user_id in race.users]
    assert len(booked) == 1
    assert winners(race) == [booked[0].user_id]
    losers = [user for user in race.users if user != booked[0].user_id]
    assert all(told_gone_and_offered_others(race.outcomes[user]) for user in losers)
    assert all(store.conversations.load(user).state == flow.TIME for user in losers)
    store.close()
