"""Users, seen webhook events, conversation state and the masked message log."""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Iterable

from bot.clock import Clock, iso
from bot.masking import mask, mask_typed
from bot.store.database import Database, Migration, write_alone

MIGRATIONS: list[Migration] = [
    (
        1,
        "core tables",
        [
            """CREATE TABLE users (
                user_id TEXT PRIMARY KEY,
                display_name TEXT NOT NULL DEFAULT '',
                lang TEXT NOT NULL DEFAULT 'zh',
                active INTEGER NOT NULL DEFAULT 1,
                contact_name TEXT NOT NULL DEFAULT '',
                contact_phone TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE processed_events (
                event_id TEXT PRIMARY KEY,
                received_at TEXT NOT NULL
            )""",
            """CREATE TABLE conversations (
                user_id TEXT PRIMARY KEY,
                state TEXT NOT NULL DEFAULT 'idle',
                data TEXT NOT NULL DEFAULT '{}',
                session TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE message_log (
                id INTEGER PRIMARY KEY,
                user_id TEXT NOT NULL,
                direction TEXT NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX message_log_user ON message_log (user_id, id)",
            "CREATE INDEX message_log_created ON message_log (created_at)",
        ],
    ),
    (
        2,
        "the LINE channel a user speaks through (several offices, bot/offices.py)",
        ["ALTER TABLE users ADD COLUMN channel TEXT NOT NULL DEFAULT 'line'"],
    ),
    (
        3,
        "the office a citizen on a shared channel chose (several offices, bot/offices.py)",
        ["ALTER TABLE users ADD COLUMN office_id TEXT NOT NULL DEFAULT ''"],
    ),
]

IDLE = "idle"


def new_session_id() -> str:
    return secrets.token_hex(4)


@dataclass
class User:
    user_id: str
    display_name: str = ""
    lang: str = "zh"
    active: bool = True
    contact_name: str = ""
    contact_phone: str = ""
    channel: str = "line"
    office_id: str = ""  # chosen on a channel several offices share; "" = not chosen


@dataclass
class Conversation:
    """Where one user is in a dialogue: a named state, its data, and the session id buttons carry."""

    user_id: str
    state: str = IDLE
    data: dict[str, Any] = field(default_factory=dict)
    session: str = field(default_factory=new_session_id)
    timed_out: bool = False
    # What a timed-out conversation held, so a flow may still offer to keep it (a complaint's text).
    expired_state: str = ""
    expired_data: dict[str, Any] = field(default_factory=dict)


class Users:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def get(self, user_id: str) -> User | None:
        rows = self._database.db.execute(
            "SELECT user_id, display_name, lang, active, contact_name, contact_phone, channel, office_id "
            "FROM users WHERE user_id = ?",
            [user_id],
        ).fetchall()
        if not rows:
            return None
        r = rows[0]
        return User(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7])

    def ensure(self, user_id: str) -> User:
        """The user, created on first sight (a message can arrive before any follow event)."""
        user = self.get(user_id)
        if user is None:
            now = self._clock.stamp()
            self._database.db.execute(
                "INSERT OR IGNORE INTO users (user_id, created_at, updated_at) VALUES (?, ?, ?)",
                [user_id, now, now],
            )
            user = self.get(user_id) or User(user_id)
        return user

    def update(self, user_id: str, **values: Any) -> None:
        allowed = {"display_name", "lang", "active", "contact_name", "contact_phone", "channel", "office_id"}
        values = {k: v for k, v in values.items() if k in allowed}
        if not values:
            return
        self.ensure(user_id)
        values["updated_at"] = self._clock.stamp()
        assignments = ", ".join(f"{k} = ?" for k in values)
        self._database.db.execute(
            f"UPDATE users SET {assignments} WHERE user_id = ?", [*values.values(), user_id]
        )

    def is_active(self, user_id: str) -> bool:
        user = self.get(user_id)
        return bool(user and user.active)

    def ids_with_lang(self, lang: str) -> list[str]:
        """Active users who chose this language (a rich menu deploy links them to its menu)."""
        rows = self._database.db.execute(
            "SELECT user_id FROM users WHERE lang = ? AND active = 1 ORDER BY user_id", [lang]).fetchall()
        return [r[0] for r in rows]


class Events:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self._clock = clock

    def first_time(self, event_id: str) -> bool:
        """Record a webhook event id; False when it was seen before (a redelivery)."""
        cursor = self._database.db.execute(
            "INSERT OR IGNORE INTO processed_events (event_id, received_at) VALUES (?, ?)",
            [event_id, self._clock.stamp()],
        )
        return cursor.rowcount == 1

    def seen(self, event_id: str) -> bool:
        """Whether an event id was recorded (read only, no write lock)."""
        return self._database.db.execute(
            "SELECT 1 FROM processed_events WHERE event_id = ?", [event_id]).fetchone() is not None

    def forget_before(self, days: int = 7) -> int:
        cutoff = iso(self._clock.now() - timedelta(days=days))
        return self._database.db.execute(
            "DELETE FROM processed_events WHERE received_at < ?", [cutoff]
        ).rowcount


class Conversations:
    def __init__(self, database: Database, clock: Clock, timeout_minutes: int = 15) -> None:
        self._database = database
        self._clock = clock
        self.timeout = timedelta(minutes=timeout_minutes)

    def load(self, user_id: str) -> Conversation:
        """The user's conversation; one silent for longer than the time-out starts afresh."""
        rows = self._database.db.execute(
            "SELECT state, data, session, updated_at FROM conversations WHERE user_id = ?", [user_id]
        ).fetchall()
        if not rows:
            return Conversation(user_id)
        state, data, session, updated_at = rows[0]
        cutoff = iso(self._clock.now() - self.timeout)
        if state != IDLE and updated_at < cutoff:
            return Conversation(user_id, timed_out=True, expired_state=state,
                                expired_data=json.loads(data or "{}"))
        return Conversation(user_id, state, json.loads(data or "{}"), session)

    def save(self, conversation: Conversation) -> None:
        self._database.db.execute(
            "INSERT INTO conversations (user_id, state, data, session, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, data = excluded.data, "
            "session = excluded.session, updated_at = excluded.updated_at",
            [
                conversation.user_id,
                conversation.state,
                json.dumps(conversation.data, ensure_ascii=False),
                conversation.session,
                self._clock.stamp(),
            ],
        )


_LOG_ONE = "INSERT INTO message_log (user_id, direction, kind, text, created_at) VALUES (?, ?, ?, ?, ?)"


class MessageLog:
    """What was said, masked, kept for a limited time (for staff context and figures)."""

    def __init__(self, database: Database, clock: Clock, retention_days: int = 180) -> None:
        self._database = database
        self._clock = clock
        self.retention_days = retention_days

    def add(self, user_id: str, direction: str, kind: str, text: str = "", hide: Iterable[str] = (), *,
            masked: str | None = None) -> None:
        """Log one message, masked; texts in `hide` (an address typed earlier) are replaced whole.

        `masked`: the text already masked by `masked_text` (the pipeline masks before its write transaction
        begins, so that the write lock is never held while the masking patterns run).
        """
        if masked is None:
            masked = self.masked_text(direction, kind, text, hide)
        self._database.db.execute(_LOG_ONE, [user_id, direction, kind, masked, self._clock.stamp()])

    def note_incoming(self, user_id: str, kind: str, masked: str) -> None:
        """One incoming message, already masked, logged as a write of its own (no BEGIN/COMMIT around it)."""
        write_alone(self._database, _LOG_ONE, [user_id, "in", kind, masked, self._clock.stamp()])

    @staticmethod
    def masked_text(direction: str, kind: str, text: str = "", hide: Iterable[str] = ()) -> str:
        """What `add` would store for this message."""
        return (mask_typed(text, hide) if direction == "in" and kind == "text" else mask(text, hide))[:2000]

    def recent(self, user_id: str, limit: int = 10) -> list[dict[str, Any]]:
        rows = self._database.db.execute(
            "SELECT direction, kind, text, created_at FROM message_log WHERE user_id = ? "
            "ORDER BY id DESC LIMIT ?",
            [user_id, limit],
        ).fetchall()
        return [dict(zip(("direction", "kind", "text", "created_at"), r)) for r in reversed(rows)]

    def purge(self) -> int:
        """Delete entries older than the retention setting."""
        cutoff = iso(self._clock.now() - timedelta(days=self.retention_days))
        return self._database.db.execute("DELETE FROM message_log WHERE created_at < ?", [cutoff]).rowcount
