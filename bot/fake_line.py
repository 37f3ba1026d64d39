"""A local stand-in for the LINE Messaging API: same paths and JSON shapes, records every call.

The simulator, the end-to-end tests and the benchmarks send real HTTP through line-bot-sdk to it.
"""
from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Iterable

from bot.fake_richmenu import FakeRichMenus

log = logging.getLogger(__name__)
_PROFILE = re.compile(r"^/v2/bot/profile/([^/?]+)$")


@dataclass
class Call:
    """One request the bot made, as the fake saw it."""

    seq: int
    method: str
    path: str
    status: int
    body: Any
    retry_key: str | None
    to: str | None
    at: float
    token: str = ""  # the bearer token it came with: which channel's bot spoke


@dataclass
class FaultPlan:
    """Failures to inject into push calls: a fixed queue first, then a random rate."""

    queue: list[int] = field(default_factory=list)
    rate: float = 0.0
    statuses: tuple[int, ...] = (500, 429)
    reply_queue: list[int] = field(default_factory=list)
    down: bool = False
    seed: int = 7
    latency: float = 0.0  # seconds each reply/push takes, like the real API's round trip (benchmarks)


def _low_contrast(body: Any) -> list[str]:
    from bot.palette import flex_contrast_problems

    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list):
        return []
    return [problem for m in messages if isinstance(m, dict) for problem in flex_contrast_problems(m)]


_MAX_CHECKED_BODIES = 4096
_PER_CALL_FIELDS = ("replyToken", "to")  # plain strings in the spec: any string value is as valid as another


def _body_key(method: str, path: str, body: Any) -> str:
    """What the spec check of a request depends on: the body, with the reply token or receiver as their type."""
    if isinstance(body, dict):
        body = {k: (type(v).__name__ if k in _PER_CALL_FIELDS and isinstance(v, str) else v) for k, v in body.items()}
    return f"{method} {path} " + json.dumps(body, ensure_ascii=False, sort_keys=True, default=repr)


@dataclass
class SpecLog:
    """Requests checked against LINE's OpenAPI document, and the ones LINE would have refused."""

    checked: int = 0
    violations: list[dict[str, Any]] = field(default_factory=list)
    # Cards whose colours fall below WCAG AA (bot/palette.py): LINE accepts them, citizens cannot read them.
    low_contrast: list[str] = field(default_factory=list)


class FakeLineApi:
    """Threaded HTTP server on loopback; start(), then point LINE_API_BASE_URL at .url.

    Like the real API it refuses, with a 400 and LINE's error body, any request that breaks the
    Messaging API's OpenAPI document or its documented limits (bot/line_spec.py); `spec` keeps them.
    """

    # Every fake made in this process, so the test session can check all of them at the end.
    spec_logs: ClassVar[list[SpecLog]] = []

    def __init__(self, host: str = "127.0.0.1", port: int = 0, access_token: "str | Iterable[str] | None" = None,
                 validate: bool = True) -> None:
        # One token, or several channels' tokens (str or a collection): others are refused with 401.
        self.access_token = access_token
        self._tokens = {access_token} if isinstance(access_token, str) else set(access_token or ())
        self._caller = threading.local()
        self.validate = validate and _validator_available()
        self.spec = SpecLog()
        FakeLineApi.spec_logs.append(self.spec)
        # (violations, low-contrast problems) per request body seen before: the same cards come again and again
        self._checked_bodies: dict[str, tuple[list[Any], list[str]]] = {}
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._used_tokens: set[str] = set()
        self._token_users: dict[str, str] = {}
        self._accepted_keys: set[str] = set()
        self._seq = 0
        self.faults = FaultPlan()
        self._random = random.Random(self.faults.seed)
        self.richmenus = FakeRichMenus()  # rich menus, also the data API's image upload (same server)
        self.server = ThreadingHTTPServer((host, port), _make_handler(self))
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeLineApi":
        self._thread = threading.Thread(target=self.server.serve_forever, name="fake-line", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what tests and the simulator use -------------------------------------------------
    def issue_reply_token(self, user_id: str) -> str:
        """A fresh reply token tied to a user, as LINE puts in each webhook event."""
        token = f"rt{self._random.getrandbits(64):016x}{int(time.time() * 1000) % 100000:05d}"
        with self._lock:
            self._token_users[token] = user_id
        return token

    def set_faults(self, **changes: Any) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(self.faults, key, value)
            self._random = random.Random(self.faults.seed)

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._used_tokens.clear()
            self._accepted_keys.clear()
            self.richmenus.reset()
            self.faults = FaultPlan()
            self._random = random.Random(self.faults.seed)

    def calls(self, path_part: str = "") -> list[Call]:
        with self._lock:
            return [c for c in self._calls if path_part in c.path]

    def delivered(self, user_id: str | None = None, after: int = 0) -> list[dict[str, Any]]:
        """Messages LINE accepted (reply or push), in order: {seq, to, via, message, token}."""
        out: list[dict[str, Any]] = []
        for call in self.calls("/v2/bot/message/"):
            if call.status != 200 or call.seq <= after:
                continue
            if user_id is not None and call.to != user_id:
                continue
            via = "reply" if call.path.endswith("/reply") else "push"
            for message in call.body.get("messages", []):
                out.append({"seq": call.seq, "to": call.to, "via": via, "message": message, "token": call.token})
        return out

    def texts(self, user_id: str | None = None) -> list[str]:
        return [d["message"].get("text", d["message"].get("altText", "")) for d in self.delivered(user_id)]

    # --- request handling -----------------------------------------------------------------
    def _record(self, method: str, path: str, status: int, body: Any, retry_key: str | None,
                to: str | None) -> None:
        self._seq += 1
        self._calls.append(Call(self._seq, method, path, status, body, retry_key, to, time.time(),
                                getattr(self._caller, "token", "")))

    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        bearer = headers.get("authorization", "").removeprefix("Bearer ")
        self._caller.token = bearer
        if self.access_token and bearer not in self._tokens:
            return 401, {"message": "Authentication failed"}
        if "/richmenu" in path:  # their own module; an image upload is not JSON
            with self._lock:
                if self.faults.down:
                    return 503, {"message": "Service unavailable"}
                return self.richmenus.handle(method, path, headers, raw, self._record)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return 400, {"message": "The request body has 1 error(s)"}
        retry_key = headers.get("x-line-retry-key")
        refused = self._check_spec(method, path, body)
        if refused is not None:
            return refused
        if self.faults.latency and path.startswith("/v2/bot/message/"):
            time.sleep(self.faults.latency)
        with self._lock:
            if self.faults.down:
                return 503, {"message": "Service unavailable"}
            if path == "/v2/bot/message/reply":
                return self._reply(path, body)
            if path == "/v2/bot/message/push":
                return self._push(path, body, retry_key)
            if path == "/v2/bot/chat/loading/start":
                self._record(method, path, 202, body, None, body.get("chatId"))
                return 202, {}
            if path == "/v2/bot/message/quota/consumption":
                # Like LINE, each channel's consumption: the pushes made with the asking token.
                pushes = sum(1 for c in self._calls if c.path.endswith("/push") and c.status == 200
                             and (not self._tokens or c.token == bearer))
                return 200, {"totalUsage": pushes}
            match = _PROFILE.match(path)
            if match:
                user_id = match.group(1)
                self._record(method, path, 200, {}, None, user_id)
                return 200, {"userId": user_id, "displayName": f"市民{user_id[-4:]}", "language": "zh-TW"}
        return 404, {"message": "Not found"}

    def _check_spec(self, method: str, path: str, body: Any) -> tuple[int, dict[str, Any]] | None:
        """LINE's 400 for a body its spec refuses, recorded with the problems; None when it is valid."""
        if not self.validate:
            return None
        from bot import line_spec

        key = _body_key(method, path, body)
        known = self._checked_bodies.get(key)
        if known is None:
            known = (line_spec.violations(method, path, body), _low_contrast(body))
            if len(self._checked_bodies) >= _MAX_CHECKED_BODIES:
                self._checked_bodies.clear()
            self._checked_bodies[key] = known
        found, dim = known
        with self._lock:
            if line_spec.schema_for(method, path) is not None:
                self.spec.checked += 1
                self.spec.low_contrast.extend(dim)
            if not found:
                return None
            self.spec.violations.append({"method": method, "path": path, "body": body,
                                         "details": [v.as_detail() for v in found]})
            to = body.get("to") if isinstance(body, dict) else None
            if isinstance(body, dict) and path.endswith("/reply"):
                to = self._token_users.get(str(body.get("replyToken", "")))
            self._record(method, path, 400, body, None, to)
        # Properties only: jsonschema's messages quote the values, which may be a citizen's words.
        log.warning("LINE would refuse %s %s at %s", method, path, ", ".join(v.property for v in found))
        return 400, line_spec.error_body(found)

    def _reply(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        token = str(body.get("replyToken", ""))
        to = self._token_users.get(token)
        if self.faults.reply_queue:
            status = self.faults.reply_queue.pop(0)
            self._record("POST", path, status, body, None, to)
            return status, {"message": "Injected failure"}
        if not token or token in self._used_tokens or token.startswith("expired"):
            self._record("POST", path, 400, body, None, to)
            return 400, {"message": "Invalid reply token"}
        self._used_tokens.add(token)
        self._record("POST", path, 200, body, None, to)
        return 200, {"sentMessages": [{"id": str(self._seq), "quoteToken": "q"} for _ in body.get("messages", [])]}

    def _push(self, path: str, body: dict[str, Any], retry_key: str | None) -> tuple[int, dict[str, Any]]:
        to = body.get("to")
        if retry_key and retry_key in self._accepted_keys:
            self._record("POST", path, 409, body, retry_key, to)
            return 409, {"message": "The retry key is already accepted"}
        status = 200
        if self.faults.queue:
            status = self.faults.queue.pop(0)
        elif self.faults.rate and self._random.random() < self.faults.rate:
            status = self._random.choice(self.faults.statuses)
        self._record("POST", path, status, body, retry_key, to)
        if status != 200:
            return status, {"message": "Injected failure"}
        if retry_key:
            self._accepted_keys.add(retry_key)
        return 200, {"sentMessages": [{"id": str(self._seq), "quoteToken": "q"} for _ in body.get("messages", [])]}

    def control(self, path: str, raw: bytes) -> tuple[int, Any]:
        """Test hooks for a fake run in another process: /_fake/calls, /_fake/reset, /_fake/faults."""
        if path == "/_fake/calls":
            return 200, [c.__dict__ for c in self.calls()]
        if path == "/_fake/reset":
            self.reset()
            return 200, {}
        if path == "/_fake/faults":
            self.set_faults(**json.loads(raw or b"{}"))
            return 200, {}
        if path == "/_fake/log":
            after = int((json.loads(raw or b"{}") or {}).get("after", 0))
            return 200, self.log(after)
        if path == "/_fake/spec":
            with self._lock:
                return 200, {"checked": self.spec.checked, "violations": list(self.spec.violations)}
        return 404, {"message": "Not found"}

    def log(self, after: int = 0) -> list[list[Any]]:
        """Compact call log for load tests: [seq, path, status, reply token, retry key, to, at, messages]."""
        with self._lock:
            calls = [c for c in self._calls if c.seq > after]
        return [[c.seq, c.path, c.status, (c.body or {}).get("replyToken") if isinstance(c.body, dict) else None,
                 c.retry_key, c.to, c.at, len(c.body.get("messages", [])) if isinstance(c.body, dict) else 0]
                for c in calls]


def _validator_available() -> bool:
    """The check needs jsonschema (a test dependency); without it the fake accepts what it gets."""
    try:
        import jsonschema  # noqa: F401
    except ImportError:
        return False
    return True


def _make_handler(fake: FakeLineApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Without this every keep-alive response waits ~40 ms for delayed ACKs (Nagle).
        disable_nagle_algorithm = True

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if len(raw) < length:
                # The sender died mid-request (a killed worker): nothing was sent, so nothing is judged.
                self.close_connection = True
                return
            path = self.path.split("?", 1)[0]
            if path.startswith("/_fake/"):
                status, payload = fake.control(path, raw)
            else:
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, payload = fake.handle(method, path, headers, raw)
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self._serve("POST")

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_DELETE(self) -> None:  # noqa: N802
            self._serve("DELETE")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence per-request lines
            return

    return Handler
