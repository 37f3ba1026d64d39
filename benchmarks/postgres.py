"""Several machines on one PostgreSQL: the booking race on two web processes, the outbox with two dispatchers.

    python benchmarks/postgres.py [--racers 60] [--rows 10000] [--rate 0.3]

Starts a private PostgreSQL cluster (tests/pg_cluster.py: Debian's postgresql, initdb in a temporary
folder), then
- race: two `gunicorn -w 2 'bot:create_app()'` on two ports (two "web machines") share one database;
  60 citizens at 確認預約 for a slot with one seat left, dealt out between them, tap at once
  (a cold round, then a warm one);
- outbox: 10,000 pushes, LINE failing 30 % of calls with 500/429, drained by two dispatchers at once
  (two stores, two connection pools, one thread each), each claiming with FOR UPDATE SKIP LOCKED.
Prints winners, duplicates, losses and time.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_services  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.fake_line import FakeLineApi  # noqa: E402
from reminders.dispatcher import DispatchReport, dispatch_due  # noqa: E402
from tests.helpers import TOKEN  # noqa: E402
from tests.pg_cluster import Cluster  # noqa: E402

START = datetime(2026, 12, 1, 10, 0)


def bench_race(cluster: Cluster, racers: int) -> list[dict]:
    from bot.registry import open_store
    from tests.test_booking_race import GunicornServer, fire, seed_race, told_gone_and_offered_others, winners

    os.environ["DATABASE_URL"] = cluster.create_database("race")
    fake = FakeLineApi(access_token=TOKEN).start()
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            with GunicornServer(Path(tmp) / "a.sqlite3", fake.url, workers=2) as one, \
                    GunicornServer(Path(tmp) / "b.sqlite3", fake.url, workers=2) as two:
                for prefix in ("Ucold", "Uwarm"):
                    race = fire([one.url, two.url], fake, seed_race(Path(tmp) / "seed.sqlite3", racers, prefix))
                    store = open_store(":memory:")
                    in_db = sum(1 for b in store.bookings.bookings_on(race.day) if b.user_id in race.users)
                    store.close()
                    won = winners(race)
                    told = sum(told_gone_and_offered_others(race.outcomes[u]) for u in race.users if u not in won)
                    results.append({"round": prefix[1:], "racers": racers, "http_200": race.statuses.count(200),
                                    "winners": len(won), "bookings_in_db": in_db, "losers_told_and_offered": told,
                                    "seconds": race.seconds, "slot": f"{race.day} {race.start:%H:%M}"})
                machines = (len(one.callback_pids()), len(two.callback_pids()))
            assert not list(Path(tmp).glob("*.sqlite3")), "PostgreSQL only"
    finally:
        fake.stop()
        del os.environ["DATABASE_URL"]
    for r in results:
        r["workers"] = machines
    return results


def bench_outbox(cluster: Cluster, rows: int, rate: float, users: int = 500) -> dict:
    url = cluster.create_database(f"outbox_{int(rate * 100)}")
    fake = FakeLineApi().start()
    try:
        config = Config(line_channel_secret="bench", line_channel_access_token="bench", line_api_base_url=fake.url,
                        database_url=url, quiet_hours="")
        clock = FakeClock(START)
        dispatchers = [build_services(config, clock=clock, knowledge=object(), matcher=object()) for _ in range(2)]
        store = dispatchers[0].store
        user_ids = [f"U{n:032x}" for n in range(users)]
        with store.transaction():
            for user_id in user_ids:
                store.users.ensure(user_id)
            for n in range(rows):
                store.outbox.enqueue(user_ids[n % users], [{"type": "text", "text": f"bench #{n}"}])
        fake.set_faults(rate=rate, statuses=(500, 429))
        reports = [DispatchReport(), DispatchReport()]
        rounds = [0, 0]
        lock = threading.Lock()

        def drain(i: int) -> None:
            services = dispatchers[i]
            while services.store.outbox.stats().get("pending"):
                report = dispatch_due(services, clock.now(), max_rows=rows * 2)
                reports[i].add(report)
                rounds[i] += 1
                if not report.sent and not report.retried and not report.dead:
                    with lock:  # nothing due for this one: let the back-off pass
                        clock.advance(minutes=20)

        began = time.perf_counter()
        threads = [threading.Thread(target=drain, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - began
        delivered = Counter(d["message"]["text"] for d in fake.delivered())
        duplicates = sum(count - 1 for count in delivered.values() if count > 1)
        losses = sum(1 for n in range(rows) if delivered[f"bench #{n}"] == 0)
        stats = store.outbox.stats()
        for services in dispatchers:
            services.store.close()
        return {"rate": rate, "rows": rows, "seconds": seconds, "per_s": rows / seconds, "duplicates": duplicates,
                "losses": losses, "dead": stats.get("dead", 0), "sent": stats.get("sent", 0),
                "sent_by": [r.sent for r in reports], "retried": sum(r.retried for r in reports),
                "calls": len(fake.calls("/push"))}
    finally:
        fake.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--racers", type=int, default=60)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rates", default="0,0.3")
    parser.add_argument("--no-race", action="store_true")
    args = parser.parse_args()
    ok = True
    with Cluster() as cluster:
        if not args.no_race:
            for r in bench_race(cluster, args.racers):
                print(f"race ({r['round']}): {r['racers']} citizens, last seat of {r['slot']}, two web processes "
                      f"(workers answering: {r['workers'][0]} + {r['workers'][1]}): {r['http_200']} x 200, "
                      f"{r['winners']} winner, {r['bookings_in_db']} booking in the database, "
                      f"{r['losers_told_and_offered']} told it is gone and offered other times; {r['seconds']:.2f} s")
                ok = ok and r["winners"] == 1 and r["bookings_in_db"] == 1 \
                    and r["losers_told_and_offered"] == r["racers"] - 1
        for rate in (float(x) for x in args.rates.split(",")):
            o = bench_outbox(cluster, args.rows, rate)
            print(f"outbox: {o['rows']} pushes, {o['rate']:.0%} failures, two dispatchers: {o['seconds']:.1f} s "
                  f"({o['per_s']:.0f} pushes/s), sent {o['sent']} (by each: {o['sent_by'][0]} / {o['sent_by'][1]}), "
                  f"dead {o['dead']}, {o['calls']} calls, {o['retried']} retried, "
                  f"{o['duplicates']} duplicates, {o['losses']} losses")
            ok = ok and o["duplicates"] == 0 and o["losses"] == 0
    print("target (1 winner, 0 duplicates, 0 losses):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
