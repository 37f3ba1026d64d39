"""Accepted webhook events: written before LINE gets its 200, handled after, in each user's order.

A row's life: `new` (accepted) → `claimed` (a thread handles it, under a lease) → `answered` (the
handler's replies are saved with the conversation) → `done` (sent). A crash leaves a row `claimed` with a
lapsing lease, or `answered`; whoever claims it next carries on from there, so an accepted event is
answered once. The raw event (the citizen's words) is kept only until the row is done.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from bot.clock import Clock, iso, parse_iso
from bot.store.database import Database, Migration, write_alone

NEW, CLAIMED, ANSWERED, DONE = "new", "claimed", "answered", "done"
_MAX_ROWS_PER_INSERT = 200  # 5 parameters a row, far below SQLite's 32,766 and PostgreSQL's 65,535

MIGRATIONS: list[Migration] = [
    (
        80,
        "accepted webhook events, handled after the acknowledgement",
        [
            """CREATE TABLE inbound_events (
                id INTEGER PRIMARY KEY,
                event_id TEXT NOT NULL UNIQUE,
                user_key TEXT NOT NULL,
                payload TEXT,
                received_at TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'new',
                answer TEXT,
                claim_token TEXT,
                lease_until TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL
            )""",
            "CREATE INDEX inbound_events_open ON inbound_events (status, user_key, id)",
            "CREATE INDEX inbound_events_updated ON inbound_events (updated_at)",
        ],
    ),
]


# The oldest open event whose user has no earlier open one. "Open" is spelled as the three statuses, not as
# `<> done`, so that the inner look is a search of the (status, user_key, id) index: with `<>` SQLite walked
# every earlier row of the table (done ones included) for each candidate, 8 ms a claim at 20,000 rows.
_LOOK = ("SELECT e.id FROM inbound_events e WHERE e.status IN (?, ?, ?) "
         "AND (e.status = ? OR e.lease_until < ?) AND e.received_at <= ? "
         "AND NOT EXISTS (SELECT 1 FROM inbound_events o WHERE o.status IN (?, ?, ?) "
         "AND o.user_key = e.user_key AND o.id < e.id) ORDER BY e.id LIMIT 1")


@dataclass
class Claimed:
    """One accepted event a thread now holds."""

    id: int
    event: dict[str, Any]
    received_at: datetime
    status: str  # CLAIMED: to handle; ANSWERED: the handler ran, its replies still to send
    attempts: int  # earlier claims: > 1 means a thread died holding it
    claim_token: str
    answer: list[dict[str, Any]] | None


def user_key_of(event: dict[str, Any]) -> str:
    """Whose order an event keeps: the chat it came from (a user, group or room)."""
    source = event.get("source") if isinstance(event.get("source"), dict) else {}
    return str(source.get("userId") or source.get("groupId") or source.get("roomId") or "-")


class Inbound:
    def __init__(self, database: Database, clock: Clock, lease_seconds: float = 30.0) -> None:
        self._database = database
        self._clock = clock
        self.lease = timedelta(seconds=lease_seconds)

    def accept(self, events: list[dict[str, Any]]) -> int:
        """Write the verified events (one INSERT, its own transaction); a redelivered event id is kept once.

        Returns the new rows. The same id twice in one batch is kept once too (ON CONFLICT covers rows of
        the same statement).
        """
        if not events:
            return 0
        stamp = self._clock.stamp()
        params: list[Any] = []
        for event in events[:_MAX_ROWS_PER_INSERT]:
            event_id = str(event.get("webhookEventId") or "") or f"local-{uuid.uuid4()}"
            params += [event_id, user_key_of(event), orjson.dumps(event).decode(), stamp, stamp]
        if len(events) > _MAX_ROWS_PER_INSERT:  # more than LINE ever sends at once: one transaction still
            with self._database.transaction():
                return self._insert(params) + self.accept(events[_MAX_ROWS_PER_INSERT:])
        return self._insert(params)

    def _insert(self, params: list[Any]) -> int:
        """One INSERT for the batch, its own transaction (a lone statement is atomic)."""
        sql = ("INSERT INTO inbound_events (event_id, user_key, payload, received_at, updated_at) VALUES "
               + ", ".join(["(?, ?, ?, ?, ?)"] * (len(params) // 5)) + " ON CONFLICT (event_id) DO NOTHING")
        return self._write(sql, params)[0]

    def _write(self, sql: str, params: list[Any]) -> tuple[int, list[Any]]:
        return write_alone(self._database, sql, params)

    def claim(self, *, older_than: timedelta | None = None) -> Claimed | None:
        """The oldest event whose user has nothing earlier still open, unless someone holds it.

        `older_than` limits the claim to events accepted at least that long ago (the sweeper's
        takeover: an event whose request thread died before handling it).
        """
        now = self._clock.now()
        stamp = iso(now)
        cutoff = iso(now - older_than) if older_than else stamp
        token = uuid.uuid4().hex
        for _ in range(5):  # on PostgreSQL another machine may take the row between the look and the claim
            # The look reads without the write lock: most looks find nothing (every request thread looks once
            # more after its last event), and a writer must not queue behind them.
            row = self._database.db.execute(
                _LOOK, [NEW, CLAIMED, ANSWERED, NEW, stamp, cutoff, NEW, CLAIMED, ANSWERED]).fetchone()
            if row is None:
                return None
            # The claim re-checks what the look saw, so two takers never both hold one event. What the look
            # saw of the user's order still holds: earlier rows only ever move on to done.
            _, full = self._write(
                "UPDATE inbound_events SET status = CASE WHEN status = ? THEN ? ELSE status END, "
                "claim_token = ?, lease_until = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE id = ? AND status IN (?, ?, ?) AND (status = ? OR lease_until < ?) "
                "RETURNING id, payload, received_at, status, attempts, answer",
                [NEW, CLAIMED, token, iso(now + self.lease), stamp, row[0], NEW, CLAIMED, ANSWERED, NEW, stamp],
            )
            if len(full) != 1:
                continue
            (rid, payload, received_at, status, attempts, answer), = full
            return Claimed(rid, orjson.loads(payload or "{}"), parse_iso(received_at), status, attempts, token,
                           orjson.loads(answer) if answer else None)
        return None

    def answered(self, claimed: Claimed, messages: list[dict[str, Any]]) -> None:
        """The handler's replies, saved in the caller's transaction (with the conversation)."""
        self._database.db.execute(
            "UPDATE inbound_events SET status = ?, answer = ?, updated_at = ? WHERE id = ? AND claim_token = ?",
            [ANSWERED, json.dumps(messages, ensure_ascii=False), self._clock.stamp(), claimed.id, claimed.claim_token],
        )

    def done(self, claimed: Claimed) -> None:
        """Sent (or nothing to send): forget the citizen's words, keep the id against redeliveries."""
        self._write(
            "UPDATE inbound_events SET status = ?, payload = NULL, answer = NULL, claim_token = NULL, "
            "lease_until = NULL, updated_at = ? WHERE id = ? AND claim_token = ?",
            [DONE, self._clock.stamp(), claimed.id, claimed.claim_token],
        )

    def has(self, event_id: str) -> bool:
        """Whether an event with this webhookEventId was accepted (read only)."""
        return self._database.db.execute(
            "SELECT 1 FROM inbound_events WHERE event_id = ?", [event_id]).fetchone() is not None

    def backlog(self) -> int:
        """Accepted events not yet answered and sent."""
        return self._database.db.execute(
            "SELECT count(*) FROM inbound_events WHERE status <> ?", [DONE]
        ).fetchone()[0]

    def purge(self, days: int) -> int:
        """Forget done rows after `days` (LINE redelivers within hours, not days)."""
        cutoff = iso(self._clock.now() - timedelta(days=days))
        with self._database.transaction() as db:
            return db.execute(
                "DELETE FROM inbound_events WHERE status = ? AND updated_at < ?", [DONE, cutoff]
            ).rowcount
