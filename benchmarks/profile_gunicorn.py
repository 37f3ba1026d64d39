"""Profile the Procfile web process under closed-loop webhook load: where every worker thread spends its time.

    .venv/bin/python benchmarks/profile_gunicorn.py [--seconds 15] [--connections 16] [--top 30]

The Procfile `web:` command with `-c benchmarks/stack_sampler.py` added (a sampler thread per worker reads
every thread's stack each 2 ms), the fake LINE API in its own process, and benchmarks/loadkit.py's closed loop
(16 connections, as `webhook_load.py --baseline`). After the run the samples are summed over the workers:
per thread kind (gunicorn's request threads, the sweeper, ...), the share of samples whose stack passes
through each function (inclusive) and the leaf frames (where a thread actually is: running, or waiting on
a lock or a socket). Threads idle in gunicorn's pool queue or poller are reported apart.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loadkit import Child, ClosedLoop, FakeLine, Web, procfile_command, wait_until  # noqa: E402

SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"
IDLE_LEAVES = {("_worker", "concurrent/futures/thread.py"), ("wait_for_and_dispatch_events", "gunicorn/workers/gthread.py"),
               ("run", "gunicorn/workers/gthread.py")}
SAMPLER = str(Path(__file__).with_name("stack_sampler.py"))


class SampledWeb(Web):
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        super().__init__(env, log_path)
        command = procfile_command("web").replace("gunicorn ", f"gunicorn -c {SAMPLER} ", 1)
        self.argv = ["sh", "-c", "exec " + command]


def idle(stack: list[list]) -> bool:
    """A request thread waiting for work (pool queue), or the worker's main loop in its poller."""
    names = [(f, p) for f, p, _ in stack]
    if names and names[-1] in IDLE_LEAVES:
        return True
    if names and names[-1][0] in ("wait", "select", "poll", "acquire", "get") and len(names) >= 2:
        for name, path in names[-6:]:
            if (name, path) in IDLE_LEAVES:
                return True
    return False


def report(rows: list[dict], top: int) -> str:
    lines = []
    kinds: dict[str, list[dict]] = {}
    for row in rows:
        kind = row["thread"].split("_")[0] if row["thread"].startswith("ThreadPoolExecutor") else row["thread"]
        kinds.setdefault(kind, []).append(row)
    for kind, kind_rows in sorted(kinds.items(), key=lambda kv: -sum(r["n"] for r in kv[1])):
        busy = [r for r in kind_rows if not idle(r["stack"])]
        total, busy_n = sum(r["n"] for r in kind_rows), sum(r["n"] for r in busy)
        if total == 0 or busy_n == 0:
            continue
        lines.append(f"\n== {kind}: {total} samples, {busy_n / total:.0%} busy (not idle in gunicorn's waits)")
        inclusive: Counter = Counter()
        leaves: Counter = Counter()
        for row in busy:
            seen = set()
            for f, p, _ in row["stack"]:
                if (f, p) not in seen:
                    seen.add((f, p))
                    inclusive[(f, p)] += row["n"]
            leaves[tuple(row["stack"][-1])] += row["n"]
        lines.append(f"-- inclusive, % of busy samples")
        for (f, p), n in inclusive.most_common(top):
            lines.append(f"   {n / busy_n:6.1%}  {f}  {p}")
        lines.append(f"-- leaf frames (where the thread is), % of busy samples")
        for (f, p, line), n in leaves.most_common(top // 2):
            lines.append(f"   {n / busy_n:6.1%}  {f}  {p}:{line}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="profile-gunicorn-") as tmpdir:
        tmp = Path(tmpdir)
        samples = tmp / "samples"
        samples.mkdir()
        with FakeLine(tmp / "fake.log") as fake:
            env = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": fake.url,
                   "DATABASE_PATH": str(tmp / "p.sqlite3"), "SECRET_KEY": secrets.token_hex(16),
                   "WEB_CONCURRENCY": str(args.workers), "STACK_SAMPLES_DIR": str(samples)}
            with SampledWeb(env, tmp / "web.log") as web:
                wait_until(lambda: len(web.worker_pids()) == args.workers, 60, "gunicorn workers", web.process)
                asyncio.run(ClosedLoop(web.url, SECRET, 0, 3.0, users=args.users, seed=9, prefix="w",
                                       connections=args.connections).run())
                gen = ClosedLoop(web.url, SECRET, 0, args.seconds, users=args.users, seed=1, prefix="m",
                                 connections=args.connections)
                asyncio.run(gen.run())
                ok = sum(1 for r in gen.records if r.status == 200)
                print(f"{ok} events acknowledged in {args.seconds:g} s: {ok / args.seconds:.0f}/s")
            rows = [row for path in samples.glob("*.json") for row in json.loads(path.read_text())["rows"]]
            if not rows:
                print(Child.log(web)[-3000:])
                return 1
    print(report(rows, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
