"""Retention: personal data is deleted once the office no longer needs it (README "Privacy").

One purge per kind of data, each with its setting in bot/config.py (days; 0 keeps it forever), each in
its own short transaction. What is never purged here, and why:
  - anything still in use: open threads, bookings not yet past, cases not finished, pending pushes;
  - staff accounts (the audit trail names them; admins disable, never delete);
  - knowledge-review decisions and staff suggestions (masked question texts without any user id);
  - canned answers, closures, counters and figures that hold no personal data.
Pushes already settled, webhook event ids and failed lookups keep their own daily jobs
(bot/jobs.py); the dead pushes they leave for staff go with the closed-thread window here.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable, Sequence

from bot.clock import Clock, iso
from bot.config import Config
from bot.store.database import Database, Migration

log = logging.getLogger(__name__)

MIGRATIONS: list[Migration] = [
    (
        50,
        "indexes for retention",
        [
            "CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated_at)",
            "CREATE INDEX IF NOT EXISTS staff_notes_created ON staff_notes (created_at)",
        ],
    ),
]



@dataclass(frozen=True)
class Rule:
    """One kind of personal data: the setting that says how long it stays, and how it goes."""

    name: str
    setting: str
    purge: Callable[[Any, str, str], dict[str, int]]  # (db, cutoff timestamp, cutoff local day) -> counts
    what: str


def deleted(db: Any, sql: str, params: list[Any]) -> int:
    """Rows a purge statement deleted (or changed)."""
    return int(db.execute(sql, params).rowcount)


def _conversations(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    # A flow left half-way holds what was typed so far (an address, a phone): forget it, keep the row,
    # whose updated_at is the user's last activity.
    return {"conversations_cleared": deleted(
        db, "UPDATE conversations SET state = 'idle', data = '{}' "
            "WHERE updated_at < ? AND (state != 'idle' OR data != '{}')", [cutoff])}


def _audit(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    return {"audit_log": deleted(db, "DELETE FROM audit_log WHERE at < ?", [cutoff]),
            "staff_notes": deleted(db, "DELETE FROM staff_notes WHERE created_at < ?", [cutoff])}


def _inbound_events(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    # Done rows hold no words, only the event id against redeliveries; an open row this old is beyond help.
    return {"inbound_events": deleted(db, "DELETE FROM inbound_events WHERE received_at < ?", [cutoff])}


def _login_attempts(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    return {"login_attempts": deleted(db, "DELETE FROM login_attempts WHERE at < ?", [cutoff])}


_INACTIVE = (
    "SELECT u.user_id FROM users u LEFT JOIN conversations c ON c.user_id = u.user_id "
    "WHERE (CASE WHEN c.updated_at > u.updated_at THEN c.updated_at ELSE u.updated_at END) < :cutoff "
    "AND NOT EXISTS (SELECT 1 FROM message_log m WHERE m.user_id = u.user_id AND m.created_at >= :cutoff) "
    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.to_id = u.user_id AND o.status = 'pending')"
)
# Everything the kernel keeps under a user id; the features' parts add theirs (StorePart.user_tables).
_USER_TABLES = (("conversations", "user_id"), ("message_log", "user_id"), ("outbox", "to_id"))


def _inactive_users(user_tables: Sequence[tuple[str, str]], keeps_user: Sequence[str]) -> Callable[..., dict[str, int]]:
    """The purge of users silent past the window, with nothing open anywhere (the parts say what is open)."""
    query = " ".join([_INACTIVE, *(f"AND NOT ({condition})" for condition in keeps_user)])
    tables = (*_USER_TABLES, *user_tables)

    def purge(db: Any, cutoff: str, day: str) -> dict[str, int]:
        users = [r[0] for r in db.execute(query, {"cutoff": cutoff, "day": day}).fetchall()]
        for start in range(0, len(users), 500):
            chunk = users[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for table, column in tables:
                db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
            db.execute(f"DELETE FROM users WHERE user_id IN ({marks})", chunk)
        return {"inactive_users": len(users)}

    return purge


KERNEL_RULES: tuple[Rule, ...] = (
    Rule("conversations", "retention_conversation_days", _conversations, "half-finished dialogue data"),
    Rule("audit", "retention_audit_days", _audit, "staff audit log and staff notes"),
    Rule("login_attempts", "retention_login_attempt_days", _login_attempts, "staff login attempts (addresses)"),
    Rule("inbound_events", "retention_inbound_event_days", _inbound_events,
         "accepted webhook events (their words are cleared once answered)"),
)
INACTIVE_USERS_SETTING = "retention_inactive_user_days"


class Retention:
    """Runs every purge; the clock runs it daily, `python -m bot retention run` by hand."""

    def __init__(self, database: Database, clock: Clock, config: Config, message_log: Any,
                 rules: Sequence[Rule] = (), user_tables: Sequence[tuple[str, str]] = (),
                 keeps_user: Sequence[str] = ()) -> None:
        self._database = database
        self._clock = clock
        self._config = config
        self._message_log = message_log
        # The features' purges first, then the kernel's; forgetting inactive users comes after the
        # half-finished dialogues, as it always did.
        self.rules: tuple[Rule, ...] = (
            *rules, KERNEL_RULES[0],
            Rule("inactive_users", INACTIVE_USERS_SETTING, _inactive_users(user_tables, keeps_user),
                 "users silent this long (contact details, state, logs, bookings, lookups)"),
            *KERNEL_RULES[1:],
        )

    def windows(self) -> dict[str, int]:
        """Days kept per setting (0: forever), the message log's included."""
        return {"message_log_retention_days": self._config.message_log_retention_days,
                **{rule.setting: int(getattr(self._config, rule.setting)) for rule in self.rules}}

    def run(self) -> dict[str, int]:
        """Purge everything past its window; returns rows deleted (or cleared) per kind."""
        counts: dict[str, int] = {}
        if self._config.message_log_retention_days > 0:
            with self._database.transaction():
                counts["message_log"] = self._message_log.purge()
        now = self._clock.now()
        for rule in self.rules:
            days = int(getattr(self._config, rule.setting))
            if days <= 0:
                continue
            cutoff = now - timedelta(days=days)
            day = cutoff.astimezone(self._clock.tz).date().isoformat()
            with self._database.transaction() as db:
                counts.update(rule.purge(db, iso(cutoff), day))
        log.info("retention: %s", {k: v for k, v in counts.items() if v})
        return counts
