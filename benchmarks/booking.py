"""Benchmark: counter appointments — availability, booking throughput through the webhook, and the race.

    /work/venv/bin/python benchmarks/booking.py [--rounds 500] [--citizens 120] [--racers 60] [--no-race]

1. Availability: store.bookings.availability() for the whole 7-day window (5 working days x 15 slots),
   with half the seats already taken. Target: < 5 ms.
2. Throughput: citizens book by taps through the signed webhook (Flask test client, fake LINE API on
   loopback): 預約臨櫃 -> service -> checklist -> day -> time -> priority -> name -> mobile -> confirm.
3. The race: `gunicorn -w 4` with the real clock; `--racers` citizens confirm the last seat of one slot at
   the same moment. Expected: exactly one booking, everyone else told the slot is gone with other times.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import create_app  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.fake_line import FakeLineApi  # noqa: E402
from tests.helpers import SECRET, TOKEN, Citizen, labels  # noqa: E402

START = datetime(2026, 12, 1, 10, 0)  # a Tuesday: the window is Wed 12/2 .. Tue 12/8


def make_app(tmp: str, fake: FakeLineApi):
    config = Config(line_channel_secret=SECRET, line_channel_access_token=TOKEN, line_api_base_url=fake.url,
                    database_path=f"{tmp}/bench.sqlite3", secret_key="bench")
    return create_app(config, clock=FakeClock(START), fake_line=fake)


def bench_availability(rounds: int) -> dict[str, float]:
    fake = FakeLineApi(access_token=TOKEN).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = make_app(tmp, fake)
            store = app.extensions["services"].store
            days = store.bookings.availability("id_card")
            n = 0
            with store.transaction():
                for day, slots in days.items():
                    for slot in slots:
                        store.bookings.book_slot(f"Ubench{n:05d}", "id_card", day, slot.start, name="測試",
                                                 phone="0912345678")
                        n += 1
            samples = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                result = store.bookings.availability("id_card")
                samples.append((time.perf_counter() - t0) * 1000)
            slots = sum(len(v) for v in result.values())
            store.close()
    finally:
        fake.stop()
    samples.sort()
    return {"days": len(result), "slots": slots, "taken": n, "median_ms": statistics.median(samples),
            "p95_ms": samples[int(len(samples) * 0.95) - 1], "max_ms": samples[-1]}


def bench_throughput(citizens: int) -> dict[str, float]:
    fake = FakeLineApi(access_token=TOKEN).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            app = make_app(tmp, fake)
            client = app.test_client()
            store = app.extensions["services"].store
            calls = booked = 0
            t0 = time.perf_counter()
            for i in range(citizens):
                fake.reset()
                citizen = Citizen(client, fake, user_id=f"U{i:032x}")
                replies = citizen.taps_button(citizen.says("預約臨櫃"), "國民身分證")
                replies = citizen.taps_button(replies, "文件備齊，選日期")
                day_labels = [x for x in labels(replies) if "（" in x and not x.startswith("📅")]
                replies = citizen.taps_button(replies, day_labels[i % len(day_labels)])
                times = [x for x in labels(replies) if "剩" in x]
                replies = citizen.taps_button(replies, times[(i // len(day_labels)) % len(times)])
                citizen.taps_button(replies, "不需要")
                citizen.says("王小明")
                replies = citizen.says("0912345678")
                replies = citizen.taps_button(replies, "確認預約")
                calls += 9
                booked += "預約成功" in str(replies)
            seconds = time.perf_counter() - t0
            total = sum(len(store.bookings.bookings_on(d)) for d in (date(2026, 12, x) for x in (2, 3, 4, 7, 8)))
            store.close()
    finally:
        fake.stop()
    return {"citizens": citizens, "booked": booked, "in_db": total, "seconds": seconds,
            "bookings_per_s": booked / seconds, "webhook_calls_per_s": calls / seconds,
            "ms_per_call": seconds / calls * 1000}


def bench_race(racers: int) -> dict[str, float]:
    from bot.registry import open_store
    from tests.test_booking_race import GunicornServer, fire, seed_race, told_gone_and_offered_others, winners

    fake = FakeLineApi(access_token=TOKEN).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            database = Path(tmp) / "race.sqlite3"
            results = []
            with GunicornServer(database, fake.url) as server:
                for prefix in ("Ucold", "Uwarm"):  # the first round also pays each worker's first request
                    race = fire(server.url, fake, seed_race(database, racers, prefix))
                    store = open_store(str(database), config=Config(database_path=str(database)))
                    in_db = sum(1 for b in store.bookings.bookings_on(race.day) if b.user_id in race.users)
                    store.close()
                    won = winners(race)
                    told = sum(told_gone_and_offered_others(race.outcomes[u]) for u in race.users if u not in won)
                    results.append({
                        "round": prefix[1:], "racers": racers, "http_200": race.statuses.count(200),
                        "winners": len(won), "bookings_in_db": in_db, "losers_told_and_offered": told,
                        "seconds": race.seconds, "requests_per_s": racers / race.seconds if race.seconds else 0.0,
                        "slot": f"{race.day} {race.start:%H:%M}"})
                pids = server.callback_pids()
    finally:
        fake.stop()
    for result in results:
        result["workers"] = len(pids)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--citizens", type=int, default=120)
    parser.add_argument("--racers", type=int, default=60)
    parser.add_argument("--no-race", action="store_true")
    args = parser.parse_args(argv)

    a = bench_availability(args.rounds)
    print(f"availability: {a['days']} days / {a['slots']} start times ({a['taken']} seats taken), "
          f"median {a['median_ms']:.2f} ms, p95 {a['p95_ms']:.2f} ms, max {a['max_ms']:.2f} ms "
          f"(target < 5 ms: {'OK' if a['p95_ms'] < 5 else 'MISSED'})")
    b = bench_throughput(args.citizens)
    print(f"throughput: {b['booked']}/{b['citizens']} booked by taps ({b['in_db']} in the database) in "
          f"{b['seconds']:.2f} s: {b['bookings_per_s']:.1f} bookings/s, {b['webhook_calls_per_s']:.0f} webhook calls/s "
          f"({b['ms_per_call']:.1f} ms per call, single process)")
    ok = a["p95_ms"] < 5 and b["booked"] == b["citizens"]
    if not args.no_race:
        for r in bench_race(args.racers):
            print(f"race ({r['round']}): {r['racers']} citizens confirmed the last seat of {r['slot']} at once on "
                  f"gunicorn -w 4 ({r['workers']} workers answered): {r['http_200']} x 200, {r['winners']} winner, "
                  f"{r['bookings_in_db']} booking in the database, {r['losers_told_and_offered']} told the slot is "
                  f"gone and offered other times; {r['seconds']:.2f} s ({r['requests_per_s']:.0f} requests/s)")
            ok = ok and r["winners"] == 1 and r["bookings_in_db"] == 1 and \
                r["losers_told_and_offered"] == r["racers"] - 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
