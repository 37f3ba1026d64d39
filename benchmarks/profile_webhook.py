"""Profile the web process's per-event work: the acknowledge path and the handling path, in one process.

    .venv/bin/pip install pyinstrument
    .venv/bin/python benchmarks/profile_webhook.py [--events 3000] [--users 300] [--html out.html]

The production app (`bot:create_app()`, the Procfile's entry) on a fresh SQLite file, the fake LINE API
in its own process (benchmarks/loadkit.py FakeLine), the load generator's own mix of texts
(benchmarks/loadkit.py Scenario). Each event is posted signed through Flask's test client and the response
closed, as gunicorn does once the 200 is written, so the handling (`call_on_close` → inbound.drain) runs
right after on this same thread. pyinstrument samples this thread only, so the fake's CPU is not in it.
The report splits the time between `callback` (the acknowledge path: signature → insert → 200) and
`_drain_after_response` (the handling path), and prints each one's heaviest frames.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loadkit import FakeLine, Scenario, signature, text_event  # noqa: E402

SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"


def post(client, secret: str, events: list[dict]) -> int:
    body = json.dumps({"destination": "Ubench", "events": events}, ensure_ascii=False).encode()
    response = client.post("/callback", data=body, headers={"X-Line-Signature": signature(secret, body),
                                                             "Content-Type": "application/json"})
    response.close()  # gunicorn closes the response once written: that runs the handling (call_on_close)
    return response.status_code


def find(frame, name: str):
    if frame.function == name:
        yield frame
        return
    for child in frame.children:
        yield from find(child, name)


def inclusive_times(frame, into: dict, open_keys: frozenset = frozenset()) -> dict:
    """Time inside each function, callees included, summed over the tree (a recursive call counted once)."""
    key = (frame.function, frame.file_path_short or "")
    if key not in open_keys:
        into[key] = into.get(key, 0.0) + frame.time
    for child in frame.children:
        inclusive_times(child, into, open_keys | {key})
    return into


def self_times(frame, into: dict) -> dict:
    """Time spent in each function itself, summed over the tree (where the CPU actually goes)."""
    key = (frame.function, frame.file_path_short or "")
    into[key] = into.get(key, 0.0) + frame.total_self_time
    for child in frame.children:
        self_times(child, into)
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--html", default="")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--interval", type=float, default=0.0005)
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    with tempfile.TemporaryDirectory(prefix="profile-webhook-") as tmpdir:
        tmp = Path(tmpdir)
        with FakeLine(tmp / "fake.log") as fake:
            os.environ.update({"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                               "LINE_API_BASE_URL": fake.url, "DATABASE_PATH": str(tmp / "p.sqlite3"),
                               "SECRET_KEY": secrets.token_hex(16)})
            import bot

            app = bot.create_app()
            client = app.test_client()
            scenario = Scenario(1)
            users = [f"Uprof{n:027x}" for n in range(args.users)]

            def one(i: int) -> None:
                user = users[i % len(users)]
                token = f"p{i:08d}{secrets.token_hex(8)}"
                assert post(client, SECRET, [text_event(user, scenario.next_text(user), token)]) == 200

            for i in range(args.warmup):
                one(i)
            profiler = Profiler(interval=args.interval)
            start = time.perf_counter()
            profiler.start()
            for i in range(args.warmup, args.warmup + args.events):
                one(i)
            profiler.stop()
            wall = time.perf_counter() - start
            backlog = app.extensions["services"].store.inbound.backlog()
            app.extensions["services"].sweeper.stop()
    session = profiler.last_session
    root = profiler.last_session.root_frame() if hasattr(profiler.last_session, "root_frame") else None
    from pyinstrument.session import Session  # noqa: F401

    root = profiler._get_last_session_or_fail().root_frame() if root is None else root
    total = root.time
    print(f"{args.events} events in {wall:.2f} s: {wall / args.events * 1000:.2f} ms per event "
          f"(profiled), backlog left {backlog}; sample total {total:.2f} s")
    for name in ("callback", "_drain_after_response"):
        frames = list(find(root, name))
        spent = sum(f.time for f in frames)
        print(f"\n== {name}: {spent / total:.1%} of the time, {spent / args.events * 1000:.3f} ms per event")
        cumulative: dict = {}
        for frame in frames:
            inclusive_times(frame, cumulative)
        print(f"-- {name}: heaviest inclusive time (callers included)")
        for (function, path), spent_in in sorted(cumulative.items(), key=lambda kv: -kv[1])[:args.top]:
            print(f"   {spent_in / total:6.1%}  {function}  {path}")
        selfs: dict = {}
        for frame in frames:
            self_times(frame, selfs)
        print(f"-- {name}: heaviest self time")
        for (function, path), spent_self in sorted(selfs.items(), key=lambda kv: -kv[1])[:args.top]:
            print(f"   {spent_self / total:6.1%}  {function}  {path}")
    if args.html:
        Path(args.html).write_text(profiler.output_html())
    del session
    return 0


if __name__ == "__main__":
    sys.exit(main())
