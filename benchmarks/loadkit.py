"""Load-test kit: the fake LINE API, the Procfile processes and an open-loop webhook load generator.

Used by benchmarks/webhook_load.py and tests/test_chaos.py. Everything talks to 127.0.0.1 only.
Run as a script, this file is the load generator process:

    python benchmarks/loadkit.py --url http://127.0.0.1:8000 --secret S --rate 500 --seconds 60 --out events.json

The generator is open-loop: event i is due at start + i / rate whatever the server does. Events go over
keep-alive HTTP/1.1 connections from a pool (more are opened while all are busy; one the server closes
is dropped). Users never have two events in flight, so a conversation's steps arrive in order, as from
a real phone. Each event has a unique reply token; the run is bounded by count and by time.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

# What citizens do, as sessions of typed text (menu taps are message actions, so they arrive as text too).
MENU = [["主選單"], ["服務資訊"], ["常見問題"], ["主選單", "服務資訊"]]
BOOKING = ["預約臨櫃", "國民身分證", "文件備齊，選日期", "明天", "取消"]
FALLBACK_QUESTIONS = ["身分證遺失要怎麼補辦", "戶籍謄本可以網路申請嗎", "結婚登記要帶什麼", "印鑑證明可以代辦嗎",
                      "出生登記期限", "請問你們幾點開門", "自然人憑證密碼鎖住了", "搬家要遷戶口嗎"]
MIX = (("faq", 0.45), ("menu", 0.25), ("booking", 0.15), ("progress", 0.15))


def signature(secret: str, body: bytes) -> str:
    """Same as bot.webhook.signature_for, without importing the whole app into the generator process."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def faq_questions() -> list[str]:
    """Real phrasings from the FAQ evaluation set (in and out of scope), or a short built-in list."""
    path = ROOT / "knowledge" / "eval" / "questions.yaml"
    try:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        questions = [item["q"] for item in data.get("in_scope", [])] + list(data.get("out_of_scope", []))
        return [q for q in questions if isinstance(q, str)] or FALLBACK_QUESTIONS
    except Exception:  # noqa: BLE001 - the benchmark still runs without the eval file
        return FALLBACK_QUESTIONS


class Scenario:
    """Each user plays sessions picked by weight: FAQ questions, menu taps, a booking, a progress lookup."""

    def __init__(self, seed: int = 1) -> None:
        self.random = random.Random(seed)
        self.questions = faq_questions()
        self.queues: dict[str, list[str]] = {}

    def session(self) -> list[str]:
        kind = self.random.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        if kind == "faq":
            return [self.random.choice(self.questions)]
        if kind == "menu":
            return list(self.random.choice(MENU))
        if kind == "booking":
            return list(BOOKING)
        return ["查詢進度", f"{self.random.randrange(10**6, 10**7)}", f"{self.random.randrange(10000):04d}"]

    def next_text(self, user: str) -> str:
        queue = self.queues.setdefault(user, [])
        if not queue:
            queue.extend(self.session())
        return queue.pop(0)


def text_event(user: str, text: str, token: str) -> dict[str, Any]:
    """A LINE message event with a unique webhook event id and reply token."""
    return {
        "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user}, "webhookEventId": token.upper()[-26:],
        "deliveryContext": {"isRedelivery": False}, "replyToken": token,
        "message": {"id": token[-18:], "type": "text", "text": text, "quoteToken": "q" + token[-20:]},
    }


@dataclass
class Record:
    """One event as the generator saw it; times are time.time() seconds (comparable with the fake's `at`)."""

    i: int
    user: str
    token: str
    text: str
    scheduled: float
    sent: float = 0.0
    acked: float = 0.0
    status: int = 0
    error: str = ""


@dataclass
class Generator:
    """Open-loop load: `rate` events per second for `seconds`, spread over `users` users."""

    url: str
    secret: str
    rate: float
    seconds: float
    users: int = 2000
    seed: int = 1
    max_inflight: int = 1000
    timeout: float = 15.0
    prefix: str = "b"
    grace: float = 5.0
    retry_stale: bool = True  # resend once when a kept-alive connection turns out closed (off for chaos tests)
    unsent: int = 0
    records: list[Record] = field(default_factory=list)

    def __post_init__(self) -> None:
        host_port = self.url.split("//", 1)[1].rstrip("/")
        self.host, port = host_port.split(":")
        self.port = int(port)
        if self.host != HOST:
            raise ValueError("the load generator only talks to 127.0.0.1")
        self.scenario = Scenario(self.seed)
        stem = f"{self.prefix}{self.seed:03d}"
        self.user_ids = [f"U{stem}{n:0{max(1, 32 - len(stem))}x}" for n in range(self.users)]
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._busy_users: set[str] = set()
        self._next_user = 0

    def _pick_user(self) -> str:
        for _ in range(len(self.user_ids)):
            user = self.user_ids[self._next_user % len(self.user_ids)]
            self._next_user += 1
            if user not in self._busy_users:
                return user
        return self.user_ids[self._next_user % len(self.user_ids)]

    async def run(self) -> list[Record]:
        loop = asyncio.get_running_loop()
        total = int(self.rate * self.seconds)
        slots = asyncio.Semaphore(self.max_inflight)
        tasks: set[asyncio.Task] = set()
        start = loop.time() + 0.05
        wall = time.time() - loop.time()
        stop_at = start + self.seconds + self.grace  # an overloaded server must not stretch the run
        for i in range(total):
            due = start + i / self.rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                await asyncio.wait_for(slots.acquire(), max(0.0, stop_at - loop.time()))
            except asyncio.TimeoutError:
                self.unsent = total - i
                break
            if loop.time() > stop_at:
                slots.release()
                self.unsent = total - i
                break
            user = self._pick_user()
            token = f"{self.prefix}{self.seed:03d}{i:08d}{random.getrandbits(40):010x}"
            record = Record(i, user, token, self.scenario.next_text(user), scheduled=wall + due)
            self.records.append(record)
            self._busy_users.add(user)
            task = asyncio.create_task(self._one(record, slots))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(tasks)
        for _, writer in self._idle:
            writer.close()
        return self.records

    async def _one(self, record: Record, slots: asyncio.Semaphore) -> None:
        body = json.dumps({"destination": "Ubench", "events": [text_event(record.user, record.text, record.token)]},
                          ensure_ascii=False).encode()
        head = (f"POST /callback HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
                f"X-Line-Signature: {signature(self.secret, body)}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        try:
            record.status = await asyncio.wait_for(self._post(record, head + body), self.timeout)
            record.acked = time.time()
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            record.error = type(exc).__name__
        finally:
            self._busy_users.discard(record.user)
            slots.release()

    async def _post(self, record: Record, request: bytes) -> int:
        for attempt in (1, 2):
            pooled = attempt == 1 and bool(self._idle)
            reader, writer = self._idle.pop() if pooled else await asyncio.open_connection(self.host, self.port)
            record.sent = time.time()
            try:
                writer.write(request)
                status, keep = await _read_response(reader)
            except asyncio.CancelledError:  # timed out: this connection's answer would come to the next event
                writer.close()
                raise
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                writer.close()
                answered = isinstance(exc, asyncio.IncompleteReadError) and exc.partial
                if not (pooled and self.retry_stale) or answered:
                    raise
                continue  # a kept-alive connection the server had closed while idle: once more on a fresh one
            if keep:
                self._idle.append((reader, writer))
            else:
                writer.close()
            return status
        raise ConnectionError("unreachable")


@dataclass
class ClosedLoop(Generator):
    """wrk's way: `connections` senders, each posting its next event as soon as the last one is answered.

    Measures the most a server acknowledges per second; `rate` is ignored.
    """

    connections: int = 16

    async def run(self) -> list[Record]:
        loop = asyncio.get_running_loop()
        wall = time.time() - loop.time()
        stop_at = loop.time() + self.seconds
        counter = iter(range(10**9))
        slots = asyncio.Semaphore(self.connections)

        async def sender() -> None:
            while loop.time() < stop_at:
                i = next(counter)
                user = self._pick_user()
                token = f"{self.prefix}{self.seed:03d}{i:08d}{random.getrandbits(40):010x}"
                record = Record(i, user, token, self.scenario.next_text(user), scheduled=wall + loop.time())
                self.records.append(record)
                self._busy_users.add(user)
                await slots.acquire()
                await self._one(record, slots)

        await asyncio.gather(*(sender() for _ in range(self.connections)))
        for _, writer in self._idle:
            writer.close()
        return self.records


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status and whether the connection stays open; reads and drops the body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    length = int(headers.get("content-length", "0"))
    if length:
        await reader.readexactly(length)
    keep = headers.get("connection", "").lower() != "close" and lines[0].startswith("HTTP/1.1")
    return status, keep


def generate(url: str, secret: str, rate: float, seconds: float, **options: Any) -> tuple[Generator, float]:
    """Run the generator in this process; returns it (records, unsent) and the CPU seconds it used."""
    cpu = time.process_time()
    generator = Generator(url, secret, rate, seconds, **options)
    asyncio.run(generator.run())
    return generator, time.process_time() - cpu


# --- child processes -----------------------------------------------------------------------------


def http_json(url: str, payload: Any = None, timeout: float = 30.0) -> Any:
    """GET (or POST JSON) a control URL on loopback and decode the JSON answer."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def wait_until(condition, timeout: float, what: str, process: subprocess.Popen | None = None,
               every: float = 0.05) -> Any:
    """Poll until condition() is truthy (bounded); fail early if the process died."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with {process.returncode}")
        try:
            value = condition()
        except Exception:  # noqa: BLE001 - not up yet
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(every)


def procfile_command(name: str) -> str:
    """One Procfile process's command line, exactly as written."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    raise KeyError(name)


class Child:
    """A child process in its own session, output to a log file, stopped by its own pid on exit."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None, log_path: Path | None = None) -> None:
        bin_dir = str(Path(sys.executable).parent)
        self.env = {**os.environ, **(env or {})}
        self.env["PATH"] = bin_dir + os.pathsep + self.env.get("PATH", "")
        self.env["PYTHONPATH"] = str(ROOT) + os.pathsep + self.env.get("PYTHONPATH", "")
        self.argv = argv
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "Child":
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        if self.log_path:
            out.close()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, then SIGKILL after the time-out; children in its session go with it."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:  # anything the process left behind in its own session (e.g. gunicorn workers)
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return self.process.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def __enter__(self) -> "Child":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class FakeLine(Child):
    """`python -m bot fake-line` in its own process, with its /_fake/ control endpoints."""

    def __init__(self, log_path: Path | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        super().__init__([sys.executable, "-m", "bot", "fake-line", "--host", HOST, "--port", str(self.port)],
                         log_path=log_path)

    def start(self) -> "FakeLine":
        super().start()
        wait_until(lambda: http_json(self.url + "/_fake/log", {"after": 10**12}, timeout=2) == [], 30,
                   "fake LINE API", self.process)
        return self

    def log_rows(self, after: int = 0) -> list[list[Any]]:
        """[seq, path, status, reply token, retry key, to, at, messages] for each call after `after`."""
        return http_json(self.url + "/_fake/log", {"after": after}, timeout=120)

    def reset(self) -> None:
        http_json(self.url + "/_fake/reset", {})

    def spec(self) -> dict[str, Any]:
        """{checked, violations}: the requests this fake checked against LINE's spec and refused."""
        return http_json(self.url + "/_fake/spec", {}, timeout=30)

    def faults(self, **plan: Any) -> None:
        http_json(self.url + "/_fake/faults", plan)


class Procfile(Child):
    """A Procfile process run through the shell, as a platform would (`sh -c 'exec <command>'`)."""

    def __init__(self, name: str, env: dict[str, str], log_path: Path | None = None) -> None:
        super().__init__(["sh", "-c", "exec " + procfile_command(name)], env=env, log_path=log_path)


class Web(Procfile):
    """The Procfile `web:` process (gunicorn) on a free port."""

    def __init__(self, env: dict[str, str], log_path: Path | None = None) -> None:
        self.port = int(env.get("PORT") or free_port())
        self.url = f"http://{HOST}:{self.port}"
        super().__init__("web", {**env, "PORT": str(self.port)}, log_path)

    def start(self, timeout: float = 60.0) -> "Web":
        super().start()
        wait_until(lambda: _get_status(self.url + "/healthz") == 200, timeout, "web /healthz", self.process, 0.1)
        return self

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's child processes."""
        return children(self.pid)


class BareWeb(Web):
    """The bare line-bot-sdk bot (benchmarks/bare_sdk_bot.py) under the same gunicorn settings as the Procfile."""

    def __init__(self, env: dict[str, str], log_path: Path | None = None, workers: int = 2) -> None:
        self.port = int(env.get("PORT") or free_port())
        self.url = f"http://{HOST}:{self.port}"
        command = (f"gunicorn --bind {HOST}:{self.port} --workers {workers} --worker-class gthread --threads 8 "
                   "--no-control-socket 'benchmarks.bare_sdk_bot:app'")
        Child.__init__(self, ["sh", "-c", "exec " + command], env={**env, "PORT": str(self.port)},
                       log_path=log_path)


def _get_status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        return []
    return sorted(set(found))


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS), in MB; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional memory of a process (Pss: shared pages divided among their sharers), in MB; 0 when gone.

    With `gunicorn --preload` the workers share the matcher and dictionaries copy-on-write: RSS counts those
    pages in full in every worker, PSS counts each worker's share, so the two together tell the saving.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_times(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds a process has used so far; zeros when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    return sum(cpu_times(pid))


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values) - idle) / tick, sum(values) / tick


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def iter_records(path: Path) -> Iterator[Record]:
    for row in json.loads(path.read_text()):
        yield Record(**row)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="open-loop webhook load generator (loopback only)")
    parser.add_argument("--url", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--rate", type=float, default=500)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="b", help="reply-token and user-id prefix (tells runs apart)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for each 200")
    parser.add_argument("--out", required=True, help="where to write the per-event records (JSON)")
    args = parser.parse_args(argv)
    generator, cpu = generate(args.url, args.secret, args.rate, args.seconds, users=args.users, seed=args.seed,
                              prefix=args.prefix, timeout=args.timeout)
    Path(args.out).write_text(json.dumps([r.__dict__ for r in generator.records], ensure_ascii=False))
    print(json.dumps({"events": len(generator.records), "unsent": generator.unsent, "cpu_seconds": cpu}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
