"""Benchmark: 10,000 due pushes through the outbox dispatcher against the fake LINE API on loopback.

    /work/venv/bin/python benchmarks/outbox_dispatch.py [--rows 10000] [--users 500] [--rates 0,0.3]

For each failure rate, a fresh SQLite file gets `rows` due rows, the fake LINE API answers that share
of pushes with 500 or 429, and the dispatcher runs until nothing is pending (the clock jumps an hour
between runs so back-off waits cost no wall time). Every row carries a unique text, so duplicates and
losses are counted from what the fake LINE API actually accepted. Target: < 60 s, 0 duplicates.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_services  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.fake_line import FakeLineApi  # noqa: E402
from reminders.dispatcher import DispatchReport, dispatch_due  # noqa: E402

START = datetime(2026, 12, 1, 10, 0)


@dataclass
class Result:
    rate: float
    rows: int
    seconds: float
    calls: int
    report: DispatchReport
    duplicates: int
    losses: int
    runs: int

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def run(rows: int, users: int, rate: float) -> Result:
    fake = FakeLineApi().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = Config(line_channel_secret="bench", line_channel_access_token="bench",
                            line_api_base_url=fake.url, database_path=f"{tmp}/bench.sqlite3", quiet_hours="")
            clock = FakeClock(START)
            services = build_services(config, clock=clock, knowledge=object(), matcher=object())
            store = services.store
            user_ids = [f"U{n:032x}" for n in range(users)]
            with store.transaction():
                for user_id in user_ids:
                    store.users.ensure(user_id)
                for n in range(rows):
                    store.outbox.enqueue(user_ids[n % users], [{"type": "text", "text": f"bench #{n}"}])
            fake.set_faults(rate=rate, statuses=(500, 429))
            total, runs = DispatchReport(), 0
            began = time.perf_counter()
            while store.outbox.stats().get("pending"):
                total.add(dispatch_due(services, clock.now(), max_rows=rows * 2))
                clock.advance(hours=1)
                runs += 1
            seconds = time.perf_counter() - began
            delivered = Counter(d["message"]["text"] for d in fake.delivered())
            duplicates = sum(count - 1 for count in delivered.values() if count > 1)
            losses = sum(1 for n in range(rows) if delivered[f"bench #{n}"] == 0)
            store.close()
            return Result(rate, rows, seconds, len(fake.calls("/push")), total, duplicates, losses, runs)
    finally:
        fake.stop()


def table(results: list[Result]) -> str:
    head = (f"{'failures':>8} {'rows':>7} {'wall s':>7} {'pushes/s':>9} {'calls':>7} {'retried':>7} "
            f"{'dead':>5} {'dup':>4} {'lost':>5} {'runs':>5}")
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(f"{r.rate:>8.0%} {r.rows:>7} {r.seconds:>7.1f} {r.per_second:>9.0f} {r.calls:>7} "
                     f"{r.report.retried:>7} {r.report.dead:>5} {r.duplicates:>4} {r.losses:>5} {r.runs:>5}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--rates", default="0,0.3", help="failure rates to inject, comma-separated")
    args = parser.parse_args()
    results = [run(args.rows, args.users, float(rate)) for rate in args.rates.split(",")]
    print(table(results))
    ok = all(r.duplicates == 0 and r.losses == 0 and r.seconds < 60 for r in results)
    print("target (< 60 s, 0 duplicates, 0 losses):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
