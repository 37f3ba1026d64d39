"""Messages to push later: one row each, sent once by the dispatcher (reminders/dispatcher.py).

What other features call:

    store.outbox.enqueue(to, messages, *, due=None, kind="message", urgent=False,
                         retry_key=None, dedupe_key=None, ref=None) -> int | None
        A row for `to` (a LINE user id, or a group id for staff). `due` None means now; a non-urgent
        row due in quiet hours (QUIET_HOURS in OFFICE_TIMEZONE) moves to the morning; kinds "reply"
        and "staff" are always urgent. The X-Line-Retry-Key is fixed here (given or a new UUID).
        A second row with the same dedupe_key (or retry_key) is a no-op that returns None.
        `ref` names what the row is about (e.g. "case:A123") so cancel(ref) can withdraw it.
        At most five messages per row (one push call). Works inside an open store.transaction().
    store.outbox.notify_staff(text, *, once_key=None, group=None, channel=None) -> None
        A note for staff (listed by staff_notes(), pushed to STAFF_LINE_GROUP_ID when set, or to `group`
        through `channel`: an office's own staff group and bot); with once_key, only the first note
        with that key is kept and pushed.
    store.outbox.cancel(ref) -> int                   pending rows about `ref` will not be sent
    store.outbox.staff_notes(limit=50) -> list[dict]  newest first, for the staff web
    store.outbox.pushes_in_month(month=None, channel=None) -> int
        pushes LINE accepted this month ("YYYY-MM"), on one channel or (None) on all together
    store.outbox.pushes_by_channel(month=None) -> dict[str, int]   the same, per channel

The dispatcher's side: claim_due() takes due rows under a lease (a claim token and an expiry), so
two dispatchers never hold one row at once and a crashed dispatcher's rows come back, with the
same retry key, once the lease runs out; mark_sent / mark_skipped / mark_failed settle a row only
while its claim is still the caller's.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, iso, parse_iso
from bot.config import Config
from bot.masking import mask
from bot.store.database import Database, Migration
from bot.quiet_hours import QuietHours

log = logging.getLogger(__name__)

MIGRATIONS: list[Migration] = [
    (
        25,
        "outbox, push counts and staff notes",
        [
            """CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                to_id TEXT NOT NULL,
                messages TEXT NOT NULL,
                kind TEXT NOT NULL DEFAULT 'message',
                urgent INTEGER NOT NULL DEFAULT 0,
                ref TEXT,
                status TEXT NOT NULL DEFAULT 'pending',
                due_at TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                retry_key TEXT NOT NULL UNIQUE,
                dedupe_key TEXT UNIQUE,
                claim_token TEXT,
                lease_until TEXT,
                last_error TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                sent_at TEXT
            )""",
            "CREATE INDEX outbox_pending ON outbox (due_at) WHERE status = 'pending'",
            "CREATE INDEX outbox_ref ON outbox (ref) WHERE ref IS NOT NULL",
            "CREATE INDEX outbox_created ON outbox (created_at)",
            "CREATE TABLE push_counts (month TEXT PRIMARY KEY, pushes INTEGER NOT NULL DEFAULT 0)",
            """CREATE TABLE staff_notes (
                id INTEGER PRIMARY KEY,
                text TEXT NOT NULL,
                once_key TEXT UNIQUE,
                created_at TEXT NOT NULL
            )""",
        ],
    ),
    (
        60,
        "outbox rows belong to the channel that made them (a simulator never sends real rows)",
        [
            "ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'line'",
            "DROP INDEX outbox_pending",
            "CREATE INDEX outbox_pending ON outbox (channel, due_at) WHERE status = 'pending'",
        ],
    ),
    (
        26,
        "push counts per LINE channel (each office's own bot has its own quota); old counts are the default's",
        [
            # The key changes from (month) to (channel, month): SQLite cannot alter a primary key, so the
            # table is rebuilt, the same way on both engines.
            """CREATE TABLE push_counts_by_channel (
                channel TEXT NOT NULL DEFAULT 'line',
                month TEXT NOT NULL,
                pushes INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (channel, month)
            )""",
            "INSERT INTO push_counts_by_channel (channel, month, pushes) SELECT 'line', month, pushes FROM push_counts",
            "DROP TABLE push_counts",
            "ALTER TABLE push_counts_by_channel RENAME TO push_counts",
        ],
    ),
]

SIMULATOR_CHANNEL, LINE_CHANNEL = "simulator", "line"

PENDING, SENT, SKIPPED, CANCELLED, DEAD = "pending", "sent", "skipped", "cancelled", "dead"
URGENT_KINDS = frozenset({"reply", "staff"})
MAX_MESSAGES_PER_ROW = 5
LEASE_SECONDS = 120
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 3600
_COLUMNS = "id, to_id, messages, kind, urgent, ref, retry_key, attempts, claim_token, due_at, channel"


def quota_channel(channel: str) -> str:
    """The channel a push counts against: an office's own ("line:<office>"), else the default one.

    The simulator's rows count as the default channel's, as they always did.
    """
    return channel if channel.startswith(LINE_CHANNEL + ":") else LINE_CHANNEL


def backoff(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts: 30 s, 60 s, 120 s ... at most an hour."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_CAP_SECONDS))


@dataclass(frozen=True)
class OutboxRow:
    """A claimed row, as the dispatcher sees it."""

    id: int
    to: str
    messages: list[dict[str, Any]]
    kind: str
    urgent: bool
    ref: str | None
    retry_key: str
    attempts: int
    claim_token: str
    due_at: str
    channel: str = "line"  # "line", or "line:<office>" for an office's own channel; "simulator[:<office>]"

    @property
    def line_channel(self) -> str:
        """The LINE channel it goes out through ("line", "line:<office>"), a simulator row's too."""
        if self.channel == SIMULATOR_CHANNEL or self.channel.startswith(SIMULATOR_CHANNEL + ":"):
            return LINE_CHANNEL + self.channel[len(SIMULATOR_CHANNEL):]
        return self.channel

    @classmethod
    def from_db(cls, r: tuple[Any, ...]) -> "OutboxRow":
        return cls(r[0], r[1], json.loads(r[2]), r[3], bool(r[4]), r[5], r[6], r[7], r[8] or "", r[9], r[10])


class Outbox:
    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock
        self._config = config
        self.quiet = QuietHours.parse(config.quiet_hours, config.office_timezone)
        self.max_attempts = max(1, config.outbox_max_attempts)
        # The simulator's rows go to its own fake; a real channel's rows wait for the real dispatcher.
        self.channel = SIMULATOR_CHANNEL if config.simulator else LINE_CHANNEL

    # --- what every feature calls ---------------------------------------------------------
    def enqueue(self, to: str, messages: list[dict[str, Any]], *, due: datetime | None = None,
                kind: str = "message", urgent: bool = False, retry_key: str | None = None,
                dedupe_key: str | None = None, ref: str | None = None, channel: str | None = None) -> int | None:
        """Queue one push; None when a row with this dedupe_key or retry_key already exists.

        `channel` ("line:<office>") sends a row to a group through that office's bot; a citizen's row
        takes the citizen's channel anyway.
        """
        if not to or not isinstance(to, str):
            raise ValueError("an outbox row needs a recipient")
        if not messages or len(messages) > MAX_MESSAGES_PER_ROW:
            raise ValueError(f"an outbox row holds 1 to {MAX_MESSAGES_PER_ROW} messages, got {len(messages)}")
        now = self._clock.now()
        urgent = urgent or kind in URGENT_KINDS
        when = due or now
        if not urgent:
            when = self.quiet.next_allowed(when)
        stamp = iso(now)
        cursor = self._database.db.execute(
            "INSERT INTO outbox (to_id, messages, kind, urgent, ref, due_at, retry_key, dedupe_key, "
            "created_at, updated_at, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            # A row goes out through the channel its citizen wrote to (a group: the default one); a simulator
            # row keeps that office channel as "simulator:<office>", so its own dispatcher still uses it.
            "COALESCE((SELECT CASE WHEN u.channel LIKE 'line:%' THEN CAST(? AS TEXT) || substr(u.channel, 5) "
            "ELSE CAST(? AS TEXT) END FROM users u WHERE u.user_id = ?), ?)) "
            "ON CONFLICT DO NOTHING",
            [to, json.dumps(messages, ensure_ascii=False), kind, int(urgent), ref, iso(when),
             retry_key or str(uuid.uuid4()), dedupe_key, stamp, stamp, self.channel, self.channel, to,
             self._group_channel(channel)],
        )
        return cursor.lastrowid if cursor.rowcount == 1 else None

    def _group_channel(self, channel: str | None) -> str:
        """The channel a row to a group goes out on: an office's ("line:<office>") when given, kept as
        "simulator:<office>" by a simulator like a citizen's row; else this process's default channel."""
        if channel and channel.startswith(LINE_CHANNEL + ":"):
            return self.channel + channel[len(LINE_CHANNEL):]
        return self.channel

    def notify_staff(self, text: str, *, once_key: str | None = None, group: str | None = None,
                     channel: str | None = None) -> None:
        """A note for staff, and a push to the staff LINE group when one is configured (or to `group`)."""
        self._note(text, once_key=once_key, push=True, group=group, channel=channel)

    def cancel(self, ref: str) -> int:
        """Withdraw the pending rows about `ref` (a case picked up: its reminders stop)."""
        return self._database.db.execute(
            "UPDATE outbox SET status = ?, claim_token = NULL, lease_until = NULL, updated_at = ? "
            "WHERE ref = ? AND status = ?",
            [CANCELLED, self._clock.stamp(), ref, PENDING],
        ).rowcount

    def staff_notes(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = self._database.db.execute(
            "SELECT id, text, created_at FROM staff_notes ORDER BY id DESC LIMIT ?", [limit]
        ).fetchall()
        return [{"id": r[0], "text": r[1], "created_at": r[2]} for r in rows]

    def pushes_in_month(self, month: str | None = None, channel: str | None = None) -> int:
        """Pushes LINE accepted in a month of the office's calendar ("YYYY-MM"; default this month),
        on one channel ("line", "line:<office>") or, with None, on every channel together."""
        counts = self.pushes_by_channel(month)
        return sum(counts.values()) if channel is None else counts.get(quota_channel(channel), 0)

    def pushes_by_channel(self, month: str | None = None) -> dict[str, int]:
        """Pushes LINE accepted in a month, per channel (channels without a push are left out)."""
        rows = self._database.db.execute(
            "SELECT channel, pushes FROM push_counts WHERE month = ?", [month or self.month()]
        ).fetchall()
        return {channel: int(pushes) for channel, pushes in rows}

    def count_push(self, n: int = 1, channel: str = LINE_CHANNEL) -> None:
        """Add pushes made outside the dispatcher (e.g. an immediate push) to this month's count."""
        self._database.db.execute(
            "INSERT INTO push_counts (channel, month, pushes) VALUES (?, ?, ?) "
            "ON CONFLICT(channel, month) DO UPDATE SET pushes = push_counts.pushes + excluded.pushes",
            [quota_channel(channel), self.month(), n],
        )

    def month(self, when: datetime | None = None) -> str:
        return (when or self._clock.now()).astimezone(self._clock.tz).strftime("%Y-%m")

    # --- the dispatcher's side --------------------------------------------------------------
    def claim_due(self, now: datetime | None = None, *, limit: int = 100,
                  lease_seconds: int = LEASE_SECONDS) -> list[OutboxRow]:
        """Take up to `limit` due rows nobody holds, under a fresh claim token and a lease."""
        now = now or self._clock.now()
        token = uuid.uuid4().hex
        stamp = iso(now)
        with self._database.transaction() as db:
            rows = db.execute(
                "UPDATE outbox SET claim_token = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND (channel = ? OR channel LIKE ?) "
                "AND due_at <= ? "
                "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY due_at, id LIMIT ?"
                f"{self._database.skip_locked}) "  # PostgreSQL: a second dispatcher skips rows being claimed
                f"RETURNING {_COLUMNS}",
                [token, iso(now + timedelta(seconds=lease_seconds)), stamp, self.channel, self.channel + ":%", stamp,
                 stamp, limit],
            ).fetchall()
        return sorted((OutboxRow.from_db(r) for r in rows), key=lambda r: (r.due_at, r.id))

    def mark_sent(self, row: OutboxRow, *, already: bool = False) -> bool:
        """LINE accepted the row (or had already, 409); counts the push. False if the claim was lost."""
        now = self._clock.now()
        with self._database.transaction():
            if not self._settle(row, SENT, "already accepted (409)" if already else "", now):
                return False
            self.count_push(channel=row.channel)
        return True

    def mark_skipped(self, row: OutboxRow, reason: str) -> bool:
        """Not sent on purpose (the user unfollowed)."""
        return self._settle(row, SKIPPED, reason, self._clock.now())

    def mark_failed(self, row: OutboxRow, status: int, detail: str = "", *, retryable: bool) -> str:
        """A failed push: "retry" (back off), "dead" (staff told) or "lost" (someone else holds the row)."""
        now = self._clock.now()
        error = f"{status} {detail}".strip()[:300]
        with self._database.transaction() as db:
            if retryable and row.attempts < self.max_attempts:
                when = now + backoff(row.attempts)
                if not row.urgent:
                    when = self.quiet.next_allowed(when)
                changed = db.execute(
                    "UPDATE outbox SET due_at = ?, claim_token = NULL, lease_until = NULL, last_error = ?, "
                    "updated_at = ? WHERE id = ? AND claim_token = ? AND status = ?",
                    [iso(when), error, iso(now), row.id, row.claim_token, PENDING],
                ).rowcount
                return "retry" if changed else "lost"
            if not self._settle(row, DEAD, error, now):
                return "lost"
            self._note(
                f"訊息第 {row.id} 筆（{row.kind}，收件者 …{row.to[-4:]}）送出 {row.attempts} 次仍失敗"
                f"（LINE 回應 {status}），已停止重試。/ Outbox row {row.id} is dead after {row.attempts} "
                f"attempt(s), LINE answered {status}.",
                push=row.kind != "staff",  # a dead staff push must not breed another one
            )
        log.error("outbox row %s dead after %s attempt(s): %s", row.id, row.attempts, status)
        return "dead"

    def get(self, row_id: int) -> dict[str, Any] | None:
        rows = list(self._database.db.query("SELECT * FROM outbox WHERE id = ?", [row_id]))
        if not rows:
            return None
        row = rows[0]
        row["messages"] = json.loads(row["messages"])
        return row

    def stats(self) -> dict[str, int]:
        """How many rows are in each status."""
        rows = self._database.db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall()
        return {status: count for status, count in rows}

    def next_due(self) -> datetime | None:
        row = self._database.db.execute(
            "SELECT min(due_at) FROM outbox WHERE status = 'pending'"
        ).fetchone()
        return parse_iso(row[0]) if row and row[0] else None

    def purge(self, days: int = 90) -> int:
        """Forget settled rows older than `days` (dead rows stay for staff to see)."""
        cutoff = iso(self._clock.now() - timedelta(days=days))
        return self._database.db.execute(
            "DELETE FROM outbox WHERE status IN (?, ?, ?) AND created_at < ?", [SENT, SKIPPED, CANCELLED, cutoff]
        ).rowcount

    # --- helpers ------------------------------------------------------------------------------
    def _settle(self, row: OutboxRow, status: str, error: str, now: datetime) -> bool:
        return self._database.db.execute(
            "UPDATE outbox SET status = ?, last_error = ?, claim_token = NULL, lease_until = NULL, "
            "sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, updated_at = ? "
            "WHERE id = ? AND claim_token = ? AND status = ?",
            [status, error[:300], status, iso(now), iso(now), row.id, row.claim_token, PENDING],
        ).rowcount == 1

    def _note(self, text: str, *, once_key: str | None = None, push: bool = True, group: str | None = None,
              channel: str | None = None) -> None:
        text = mask(text)  # notes are kept, shown on the dashboard and pushed to a group chat
        with self._database.transaction() as db:
            cursor = db.execute(
                "INSERT INTO staff_notes (text, once_key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [text[:2000], once_key, self._clock.stamp()],
            )
            if cursor.rowcount != 1:
                return
            log.warning("staff note: %s", text[:200])
            group = group or self._config.staff_line_group_id
            if push and group:
                self.enqueue(group, [{"type": "text", "text": text[:5000]}], kind="staff", channel=channel)
