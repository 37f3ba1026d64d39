"""Benchmark: the Procfile web process under webhook load, against the fake LINE API on loopback.

    /work/venv/bin/python benchmarks/webhook_load.py [--seconds 60] [--rate 500] [--workers N] [--users 2000]
                                                     [--line-latency-ms 0]

Three processes besides this one, all on 127.0.0.1: the fake LINE API (`python -m bot fake-line`), the
Procfile `web:` command exactly as written (gunicorn, WEB_CONCURRENCY=--workers), and the open-loop load
generator (benchmarks/loadkit.py) sending signed text events from many users: FAQ questions, menu taps,
booking steps and progress lookups. Figures: events/s sustained, p50/p99 time to the 200 and to the reply
reaching the fake API, errors, worker memory, and the CPU each process used: they all share the machine's
cores, the generator and the fake included, and so does anything else running on the machine ("others",
shown per 10 s window). Targets (2 cores): 500 events/s for 60 s, p99 ack < 50 ms, p99 reply < 300 ms,
< 150 MB per worker. Exit 1 when an event failed, was never sent, or was acknowledged without a reply.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loadkit import (  # noqa: E402
    Child, FakeLine, Record, Web, cpu_seconds, cpu_times, iter_records, machine_busy, percentile, procfile_command,
    rss_mb, wait_until,
)

TARGETS = {"rate": 500, "ack_p99_ms": 50, "reply_p99_ms": 300, "rss_mb": 150}
SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"


@dataclass
class Sampler:
    """Once a second: each gunicorn worker's RSS, the CPU our processes used, and the whole machine's."""

    web: Web
    ours: Callable[[], list[int]]
    peak: dict[int, float] = field(default_factory=dict)
    pids_seen: set[int] = field(default_factory=set)
    ticks: list[tuple[float, float, float]] = field(default_factory=list)  # (time, our CPU s, machine busy s)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._cpu: dict[int, float] = {}

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(1.0)

    def sample(self) -> None:
        for pid in self.web.worker_pids():
            self.pids_seen.add(pid)
            self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mb(pid))
        for pid in self.ours():
            self._cpu[pid] = max(self._cpu.get(pid, 0.0), cpu_seconds(pid))  # a dead process keeps its last figure
        self.ticks.append((time.time(), sum(self._cpu.values()), machine_busy()[0]))

    def others_cores(self, start: float, end: float) -> float:
        """Cores busy with processes not ours between two times (nearest samples)."""
        inside = [t for t in self.ticks if start - 0.5 <= t[0] <= end + 0.5]
        if len(inside) < 2:
            return float("nan")
        (t0, ours0, busy0), (t1, ours1, busy1) = inside[0], inside[-1]
        return max(0.0, ((busy1 - busy0) - (ours1 - ours0)) / (t1 - t0))

    def __enter__(self) -> "Sampler":
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


def generator(tmp: Path, url: str, rate: float, seconds: float, users: int, prefix: str) -> Child:
    """The load generator, started in its own process."""
    return Child([sys.executable, str(Path(__file__).with_name("loadkit.py")), "--url", url, "--secret", SECRET,
                  "--rate", str(rate), "--seconds", str(seconds), "--users", str(users), "--prefix", prefix,
                  "--out", str(tmp / f"events-{prefix}.json")], log_path=tmp / f"generator-{prefix}.log").start()


def finish(gen: Child, tmp: Path, prefix: str, seconds: float) -> tuple[list[Record], int, float]:
    """Wait for the generator; its records, the events it never sent, the CPU seconds it used."""
    gen.process.wait(timeout=seconds + 60)
    if gen.process.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{gen.log()[-3000:]}")
    summary = json.loads(gen.log().strip().splitlines()[-1])
    return list(iter_records(tmp / f"events-{prefix}.json")), int(summary["unsent"]), float(summary["cpu_seconds"])


def replies_by_token(fake: FakeLine, acked: int, after: int, settle: float = 15.0) -> tuple[dict[str, float], list]:
    """Wait (bounded) until the fake API saw a reply for every acknowledged event, then read its log."""
    def enough() -> list | None:
        rows = fake.log_rows(after)
        return rows if sum(1 for r in rows if r[1].endswith("/reply")) >= acked else None

    try:
        rows = wait_until(enough, settle, "replies", every=0.25)
    except TimeoutError:
        rows = fake.log_rows(after)
    replies = {r[3]: r[6] for r in rows if r[1].endswith("/reply") and r[2] == 200 and r[3]}
    return replies, rows


def measure(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="webhook-load-") as tmpdir:
        tmp = Path(tmpdir)
        with FakeLine(tmp / "fake.log") as fake:
            env = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": fake.url,
                   "DATABASE_PATH": str(tmp / "load.sqlite3"), "SECRET_KEY": secrets.token_hex(16),
                   "WEB_CONCURRENCY": str(args.workers)}
            with Web(env, tmp / "web.log") as web:
                wait_until(lambda: len(web.worker_pids()) == args.workers, 60, "gunicorn workers", web.process)
                if args.line_latency_ms:
                    fake.faults(latency=args.line_latency_ms / 1000)
                # Warm-up: few users, so each goes through whole sessions and every worker has done every
                # kind of step (lazy imports, the FAQ segmenter, the calendar) before the clock starts.
                warm_rate = min(args.rate, 100)
                warm_users = max(5, int(warm_rate * args.warmup / 12))
                finish(generator(tmp, web.url, warm_rate, args.warmup, warm_users, "w"), tmp, "w", args.warmup)
                fake.reset()
                if args.line_latency_ms:
                    fake.faults(latency=args.line_latency_ms / 1000)
                after = max([0, *(r[0] for r in fake.log_rows(0))])

                web_pids = [web.pid, *web.worker_pids()]
                cpu0 = {"web": sum(cpu_seconds(p) for p in web_pids), "fake": cpu_seconds(fake.pid),
                        "web_sys": sum(cpu_times(p)[1] for p in web_pids)}
                gen = generator(tmp, web.url, args.rate, args.seconds, args.users, "m")
                with Sampler(web, lambda: [web.pid, *web.worker_pids(), fake.pid, gen.pid]) as sampler:
                    records, unsent, gen_cpu = finish(gen, tmp, "m", args.seconds)
                    acked = sum(1 for r in records if r.status == 200)
                    replies, rows = replies_by_token(fake, acked, after)
                web_pids = [web.pid, *web.worker_pids()]
                cpu = {"web": sum(cpu_seconds(p) for p in web_pids) - cpu0["web"],
                       "fake": cpu_seconds(fake.pid) - cpu0["fake"], "gen": gen_cpu,
                       "web_sys": sum(cpu_times(p)[1] for p in web_pids) - cpu0["web_sys"]}
                workers_now = web.worker_pids()
                log_tail = "\n".join(line for line in web.log().splitlines() if "/callback" not in line)[-3000:]
    return summarize(args, records, unsent, replies, rows, sampler, cpu, workers_now, log_tail)


def latencies(records: list[Record], replies: dict[str, float]) -> tuple[list[float], list[float]]:
    ok = [r for r in records if r.status == 200]
    return ([(r.acked - r.sent) * 1000 for r in ok],
            [(replies[r.token] - r.sent) * 1000 for r in ok if r.token in replies])


def windows(args: argparse.Namespace, records: list[Record], replies: dict[str, float],
            sampler: Sampler) -> list[dict]:
    """The run cut into windows (10 s, or a third of a short run): throughput, latency and others' load in each."""
    sent = [r for r in records if r.sent]
    if not sent:
        return []
    start = min(r.scheduled for r in records)
    width = 10.0 if args.seconds >= 30 else max(1.0, args.seconds / 3)
    out = []
    for n in range(int(args.seconds // width + 0.999)):
        lo, hi = start + n * width, start + (n + 1) * width
        inside = [r for r in records if lo <= r.scheduled < hi]
        ack, reply = latencies(inside, replies)
        out.append({"from": n * width, "to": (n + 1) * width, "acked": len(ack), "ack_p50": percentile(ack, 50),
                    "ack_p99": percentile(ack, 99), "reply_p99": percentile(reply, 99),
                    "others": sampler.others_cores(lo, hi)})
    return out


def summarize(args, records, unsent, replies, rows, sampler, cpu, workers_now, log_tail) -> dict:
    ok = [r for r in records if r.status == 200]
    errors = Counter(r.error or f"HTTP {r.status}" for r in records if r.status != 200)
    ack_ms, reply_ms = latencies(records, replies)
    lag_ms = [(r.sent - r.scheduled) * 1000 for r in records if r.sent]
    span = max((r.acked for r in ok), default=0.0) - min((r.sent for r in ok), default=0.0)
    wall = sampler.ticks[-1][0] - sampler.ticks[0][0]
    busy = (sampler.ticks[-1][2] - sampler.ticks[0][2]) / wall
    ours = (cpu["web"] + cpu["fake"] + cpu["gen"]) / wall
    return {
        "sent": len(records), "unsent": unsent, "acked": len(ok), "errors": dict(errors),
        "events_per_s": len(ok) / span if span > 0 else 0.0, "span_s": span,
        "ack_p50": percentile(ack_ms, 50), "ack_p99": percentile(ack_ms, 99), "ack_max": max(ack_ms, default=0.0),
        "reply_p50": percentile(reply_ms, 50), "reply_p99": percentile(reply_ms, 99),
        "reply_max": max(reply_ms, default=0.0), "lag_p99": percentile(lag_ms, 99), "replied": len(reply_ms),
        "missing": sum(1 for r in ok if r.token not in replies),
        "pushes": sum(1 for row in rows if row[1].endswith("/push") and row[2] == 200),
        "rss": [round(sampler.peak[p], 1) for p in sorted(sampler.peak)], "workers_seen": len(sampler.pids_seen),
        "workers_now": len(workers_now), "cpu_ms": {k: v / max(len(ok), 1) * 1000 for k, v in cpu.items()},
        "cores_ours": ours, "cores_busy": busy, "cores_others": max(0.0, busy - ours),
        "windows": windows(args, records, replies, sampler), "log_tail": log_tail,
    }


def table(args: argparse.Namespace, r: dict) -> str:
    def row(name: str, value: str, target: str = "", ok: bool | None = None) -> str:
        mark = "" if ok is None else ("ok" if ok else "MISSED")
        return f"{name:<36}{value:>24}  {target:<12}{mark}"

    cores = os.cpu_count()
    rate_target = min(args.rate, TARGETS["rate"])
    ms = r["cpu_ms"]
    lines = [
        f"webhook load: {args.rate:g} events/s offered for {args.seconds:g} s by {args.users} users; "
        f"fake LINE API latency {args.line_latency_ms:g} ms; WEB_CONCURRENCY={args.workers}",
        f"web: {procfile_command('web')}",
        f"machine: {cores} cores, {cpu_model()}, Python {platform.python_version()}",
        "-" * 82,
        row("events sent / acknowledged 200", f"{r['sent']} / {r['acked']}"),
        row("events never sent (server backlog)", f"{r['unsent']}", "0", r["unsent"] == 0),
        row("errors", ", ".join(f"{k}: {v}" for k, v in r["errors"].items()) or "0", "0", not r["errors"]),
        row("sustained events/s (200s / span)", f"{r['events_per_s']:.1f}", f">= {rate_target:g}",
            r["events_per_s"] >= 0.98 * rate_target),
        row("time to 200 p50 / p99 / max, ms", f"{r['ack_p50']:.1f} / {r['ack_p99']:.1f} / {r['ack_max']:.0f}",
            f"p99 < {TARGETS['ack_p99_ms']}", r["ack_p99"] < TARGETS["ack_p99_ms"]),
        row("time to reply p50 / p99 / max, ms",
            f"{r['reply_p50']:.1f} / {r['reply_p99']:.1f} / {r['reply_max']:.0f}",
            f"p99 < {TARGETS['reply_p99_ms']}", r["reply_p99"] < TARGETS["reply_p99_ms"]),
        row("acknowledged without a reply", f"{r['missing']} (pushes: {r['pushes']})", "0", r["missing"] == 0),
        row("worker peak RSS, MB", " ".join(f"{v:.0f}" for v in r["rss"]), f"< {TARGETS['rss_mb']}",
            bool(r["rss"]) and max(r["rss"]) < TARGETS["rss_mb"]),
        row("workers alive / seen", f"{r['workers_now']} / {r['workers_seen']}"),
        row("generator send lag p99, ms", f"{r['lag_p99']:.1f}"),
        row("CPU ms per event: web / fake / gen", f"{ms['web']:.2f} / {ms['fake']:.2f} / {ms['gen']:.2f}"),
        row("  web time in the kernel", f"{ms['web_sys']:.2f}"),
        row("cores busy: ours / others / all",
            f"{r['cores_ours']:.2f} / {r['cores_others']:.2f} / {r['cores_busy']:.2f}", f"of {cores}"),
        "",
        f"{'window, s':<12}{'acked':>7}{'ack p50':>9}{'ack p99':>9}{'reply p99':>11}{'others, cores':>15}",
    ]
    for w in r["windows"]:
        lines.append(f"{w['from']:>4.0f}-{w['to']:<7.0f}{w['acked']:>7}{w['ack_p50']:>9.1f}{w['ack_p99']:>9.1f}"
                     f"{w['reply_p99']:>11.1f}{w['others']:>15.2f}")
    return "\n".join(lines)


def procfile_workers() -> int:
    """The worker count the Procfile uses when WEB_CONCURRENCY is not set."""
    found = re.search(r"WEB_CONCURRENCY:-(\d+)", procfile_command("web"))
    return int(found.group(1)) if found else 2


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=500, help="events per second offered (open loop)")
    parser.add_argument("--workers", type=int, default=procfile_workers(),
                        help="gunicorn workers (WEB_CONCURRENCY); default: the Procfile's")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up load before measuring")
    parser.add_argument("--line-latency-ms", type=float, default=0.0,
                        help="make the fake LINE API take this long per reply/push (the real one is ~20-60 ms away)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)
    result = measure(args)
    print(table(args, result))
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "log_tail"}))
    if result["errors"] or result["missing"] or result["unsent"]:
        print("\nweb log (tail):\n" + result["log_tail"], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
