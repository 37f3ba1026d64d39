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
    BareWeb, Child, ClosedLoop, FakeLine, Record, Web, cpu_seconds, cpu_times, iter_records, machine_busy, percentile,
    procfile_command, pss_mb, rss_mb, wait_until,
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
    peak_pss: dict[int, float] = field(default_factory=dict)
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
            self.peak_pss[pid] = max(self.peak_pss.get(pid, 0.0), pss_mb(pid))
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


def compare(args: argparse.Namespace) -> dict:
    """Both bots up at once, each with its own fake LINE API; closed-loop load in alternating slices.

    Run one after the other, a shared machine's noise swamps the ratio; interleaved, both see it alike.
    """
    import asyncio
    import statistics

    from bot.config import Config
    from bot.registry import open_store

    with tempfile.TemporaryDirectory(prefix="webhook-compare-") as tmpdir:
        tmp = Path(tmpdir)
        with FakeLine(tmp / "fake-ours.log") as fake_ours, FakeLine(tmp / "fake-bare.log") as fake_bare:
            database = str(tmp / "load.sqlite3")
            ours_env = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                        "LINE_API_BASE_URL": fake_ours.url, "DATABASE_PATH": database,
                        "SECRET_KEY": secrets.token_hex(16), "WEB_CONCURRENCY": str(args.workers)}
            bare_env = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                        "LINE_API_BASE_URL": fake_bare.url}
            with Web(ours_env, tmp / "web.log") as ours, BareWeb(bare_env, tmp / "bare.log", args.workers) as bare:
                wait_until(lambda: len(ours.worker_pids()) == args.workers, 60, "gunicorn workers", ours.process)
                wait_until(lambda: len(bare.worker_pids()) == args.workers, 60, "bare workers", bare.process)
                bots = {"bare": (bare, fake_bare), "ours": (ours, fake_ours)}
                slices: dict[str, list[dict]] = {"bare": [], "ours": []}
                peak: dict[str, float] = {"bare": 0.0, "ours": 0.0}
                peak_pss: dict[str, float] = {"bare": 0.0, "ours": 0.0}
                for n in range(args.slices + 1):  # slice 0 warms both up and is not counted
                    for name, (web, fake) in bots.items():
                        after = max([0, *(r[0] for r in fake.log_rows(0))])
                        gen = ClosedLoop(web.url, SECRET, 0, args.slice_seconds if n else 3.0, users=args.users,
                                         seed=n + 1, prefix=name[0], connections=args.connections)
                        asyncio.run(gen.run())
                        acked = sum(1 for r in gen.records if r.status == 200)
                        replies, rows = replies_by_token(fake, acked, after)
                        for pid in web.worker_pids():
                            peak[name] = max(peak[name], rss_mb(pid))
                            peak_pss[name] = max(peak_pss[name], pss_mb(pid))
                        if n:
                            slices[name].append(slice_figures(gen.records, replies))
                store = open_store(database, config=Config(database_path=database))
                backlog = store.inbound.backlog()
                store.close()
    medians = {name: {k: statistics.median(s[k] for s in rows) for k in rows[0]} for name, rows in slices.items()}
    return {"slices": slices, "medians": medians, "rss": peak, "pss": peak_pss, "backlog": backlog}


def slice_figures(records: list[Record], replies: dict[str, float]) -> dict:
    ok = [r for r in records if r.status == 200]
    span = max((r.acked for r in ok), default=0.0) - min((r.sent for r in ok), default=0.0)
    ack, reply = latencies(records, replies)
    return {"events_per_s": len(ok) / span if span > 0 else 0.0, "ack_p50": percentile(ack, 50),
            "ack_p99": percentile(ack, 99), "reply_p50": percentile(reply, 50), "reply_p99": percentile(reply, 99),
            "lost": sum(1 for r in ok if r.token not in replies), "errors": len(records) - len(ok)}


def compare_table(args: argparse.Namespace, r: dict) -> str:
    bare, ours = r["medians"]["bare"], r["medians"]["ours"]
    lines = [f"bare SDK bot vs this project: {args.slices} slices of {args.slice_seconds:g} s each, alternating, "
             f"{args.connections} connections (closed loop), {args.workers} gunicorn workers each; medians",
             f"machine: {os.cpu_count()} cores, {cpu_model()}", "-" * 78,
             f"{'':<30}{'bare SDK bot':>14}{'this project':>14}{'ratio':>10}"]

    def row(label: str, key: str, fmt: str = "{:.1f}") -> None:
        ratio = ours[key] / bare[key] if bare[key] else float("nan")
        lines.append(f"{label:<30}{fmt.format(bare[key]):>14}{fmt.format(ours[key]):>14}{ratio:>9.2f}x")

    row("events/s acknowledged", "events_per_s")
    row("ack p50, ms", "ack_p50")
    row("ack p99, ms", "ack_p99")
    row("reply p50, ms", "reply_p50")
    row("reply p99, ms", "reply_p99")
    lost = {k: sum(s["lost"] for s in v) for k, v in r["slices"].items()}
    lines.append(f"{'acknowledged without a reply':<30}{lost['bare']:>14}{lost['ours']:>14}")
    lines.append(f"{'largest worker RSS, MB':<30}{r['rss']['bare']:>14.0f}{r['rss']['ours']:>14.0f}"
                 f"{r['rss']['ours'] / max(r['rss']['bare'], 1):>9.2f}x")
    lines.append(f"{'largest worker PSS, MB':<30}{r['pss']['bare']:>14.0f}{r['pss']['ours']:>14.0f}"
                 f"{r['pss']['ours'] / max(r['pss']['bare'], 1):>9.2f}x")
    lines.append(f"accepted but unhandled at the end (this project): {r['backlog']}")
    for name in ("bare", "ours"):
        lines.append(f"{name} slices events/s: " + ", ".join(f"{s['events_per_s']:.0f}" for s in r["slices"][name]))
    return "\n".join(lines)


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
        "rss": [round(sampler.peak[p], 1) for p in sorted(sampler.peak)],
        "pss": [round(sampler.peak_pss[p], 1) for p in sorted(sampler.peak_pss)], "workers_seen": len(sampler.pids_seen),
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
        row("worker peak PSS, MB (shared pages split)", " ".join(f"{v:.0f}" for v in r["pss"]),
            f"< {TARGETS['rss_mb']}", bool(r["pss"]) and max(r["pss"]) < TARGETS["rss_mb"]),
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
    parser.add_argument("--baseline", action="store_true",
                        help="compare with the bare line-bot-sdk bot in one run (interleaved closed-loop slices)")
    parser.add_argument("--slices", type=int, default=4)
    parser.add_argument("--slice-seconds", type=float, default=6.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    if args.baseline:
        result = compare(args)
        print(compare_table(args, result))
        if args.json:
            print(json.dumps(result))
        return 0
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
