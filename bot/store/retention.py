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
from typing import Any, Callable

from bot.clock import Clock, iso
from bot.config import Config
from bot.store.database import Database, Migration

log = logging.getLogger(__name__)

MIGRATIONS: list[Migration] = [
    (
        50,
        "indexes for retention",
        [
            "CREATE INDEX IF NOT EXISTS threads_closed ON threads (closed_at) WHERE status = 'closed'",
            "CREATE INDEX IF NOT EXISTS faq_log_user ON faq_log (user_id)",
            "CREATE INDEX IF NOT EXISTS faq_feedback_created ON faq_feedback (created_at)",
            "CREATE INDEX IF NOT EXISTS surveys_invited ON surveys (invited_at)",
            "CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated_at)",
            "CREATE INDEX IF NOT EXISTS staff_notes_created ON staff_notes (created_at)",
        ],
    ),
]

_FINISHED_CASES = "('picked_up', 'cancelled')"  # cases.FINAL_STATUSES
_OPEN_CASES = f"SELECT case_no FROM cases WHERE status NOT IN {_FINISHED_CASES}"


@dataclass(frozen=True)
class Rule:
    """One kind of personal data: the setting that says how long it stays, and how it goes."""

    name: str
    setting: str
    purge: Callable[[Any, str, str], dict[str, int]]  # (db, cutoff timestamp, cutoff local day) -> counts
    what: str


def _count(db: Any, sql: str, params: list[Any]) -> int:
    return int(db.execute(sql, params).rowcount)


def _closed_threads(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    ids = "SELECT id FROM threads WHERE status = 'closed' AND closed_at < ?"
    outbox = _count(db, f"DELETE FROM outbox WHERE status != 'pending' AND id IN "
                        f"(SELECT outbox_id FROM thread_messages WHERE thread_id IN ({ids}))", [cutoff])
    surveys = _count(db, f"DELETE FROM surveys WHERE source = 'thread' AND CAST(source_id AS INTEGER) IN ({ids})",
                     [cutoff])
    messages = _count(db, f"DELETE FROM thread_messages WHERE thread_id IN ({ids})", [cutoff])
    threads = _count(db, "DELETE FROM threads WHERE status = 'closed' AND closed_at < ?", [cutoff])
    dead = _count(db, "DELETE FROM outbox WHERE status = 'dead' AND created_at < ?", [cutoff])
    return {"threads": threads, "thread_messages": messages, "thread_surveys": surveys,
            "thread_pushes": outbox, "dead_pushes": dead}


def _faq_log(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    return {"faq_log": _count(db, "DELETE FROM faq_log WHERE created_at < ?", [cutoff]),
            "faq_feedback": _count(db, "DELETE FROM faq_feedback WHERE created_at < ?", [cutoff])}


def _bookings(db: Any, _cutoff: str, day: str) -> dict[str, int]:
    # Seats go with their booking (ON DELETE CASCADE). A day before the cutoff is always in the past,
    # so every booking left there is finished, whatever its status says.
    return {"bookings": _count(db, "DELETE FROM bookings WHERE day < ?", [day])}


def _surveys(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    return {"surveys": _count(db, "DELETE FROM surveys WHERE invited_at < ?", [cutoff])}


def _finished_cases(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    # History and followers go with their case (ON DELETE CASCADE).
    return {"cases": _count(db, f"DELETE FROM cases WHERE status IN {_FINISHED_CASES} AND changed_at < ?",
                            [cutoff])}


def _case_lookups(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    db.execute("DELETE FROM case_lookup_locks WHERE until < ?", [cutoff])
    return {"case_lookups": _count(db, "DELETE FROM case_lookups WHERE at < ?", [cutoff])}


def _conversations(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    # A flow left half-way holds what was typed so far (an address, a phone): forget it, keep the row,
    # whose updated_at is the user's last activity.
    return {"conversations_cleared": _count(
        db, "UPDATE conversations SET state = 'idle', data = '{}' "
            "WHERE updated_at < ? AND (state != 'idle' OR data != '{}')", [cutoff])}


def _audit(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    return {"audit_log": _count(db, "DELETE FROM audit_log WHERE at < ?", [cutoff]),
            "staff_notes": _count(db, "DELETE FROM staff_notes WHERE created_at < ?", [cutoff])}


def _inbound_events(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    # Done rows hold no words, only the event id against redeliveries; an open row this old is beyond help.
    return {"inbound_events": _count(db, "DELETE FROM inbound_events WHERE received_at < ?", [cutoff])}


def _login_attempts(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    return {"login_attempts": _count(db, "DELETE FROM login_attempts WHERE at < ?", [cutoff])}


_INACTIVE = (
    "SELECT u.user_id FROM users u LEFT JOIN conversations c ON c.user_id = u.user_id "
    "WHERE (CASE WHEN c.updated_at > u.updated_at THEN c.updated_at ELSE u.updated_at END) < :cutoff "
    "AND NOT EXISTS (SELECT 1 FROM message_log m WHERE m.user_id = u.user_id AND m.created_at >= :cutoff) "
    "AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.user_id = u.user_id AND t.status != 'closed') "
    "AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id AND b.status = 'booked' AND b.day >= :day) "
    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.to_id = u.user_id AND o.status = 'pending') "
    f"AND NOT EXISTS (SELECT 1 FROM case_followers f WHERE f.user_id = u.user_id AND f.case_no IN "
    f"({_OPEN_CASES}))"
)
# Everything else kept under a user id; closed threads follow their own window (they are the office's record).
_USER_TABLES = (("conversations", "user_id"), ("message_log", "user_id"), ("faq_log", "user_id"),
                ("faq_feedback", "user_id"), ("case_followers", "user_id"), ("case_lookups", "user_id"),
                ("case_lookup_locks", "user_id"), ("surveys", "user_id"), ("bookings", "user_id"),
                ("outbox", "to_id"))


def _inactive_users(db: Any, cutoff: str, day: str) -> dict[str, int]:
    users = [r[0] for r in db.execute(_INACTIVE, {"cutoff": cutoff, "day": day}).fetchall()]
    for start in range(0, len(users), 500):
        chunk = users[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for table, column in _USER_TABLES:
            db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
        db.execute(f"DELETE FROM users WHERE user_id IN ({marks})", chunk)
    return {"inactive_users": len(users)}


RULES: tuple[Rule, ...] = (
    Rule("closed_threads", "retention_closed_thread_days", _closed_threads,
         "closed inbox threads with their messages, notes, surveys and pushes; dead pushes"),
    Rule("faq_log", "retention_faq_log_days", _faq_log, "questions asked (masked) and answer feedback"),
    Rule("bookings", "retention_booking_days", _bookings, "past counter appointments (name, phone)"),
    Rule("surveys", "retention_survey_days", _surveys, "satisfaction ratings and comments"),
    Rule("finished_cases", "retention_finished_case_days", _finished_cases,
         "picked-up or withdrawn cases with history and followers"),
    Rule("case_lookups", "retention_case_lookup_days", _case_lookups, "case-progress lookup attempts"),
    Rule("conversations", "retention_conversation_days", _conversations, "half-finished dialogue data"),
    Rule("inactive_users", "retention_inactive_user_days", _inactive_users,
         "users silent this long (contact details, state, logs, bookings, lookups)"),
    Rule("audit", "retention_audit_days", _audit, "staff audit log and staff notes"),
    Rule("login_attempts", "retention_login_attempt_days", _login_attempts, "staff login attempts (addresses)"),
    Rule("inbound_events", "retention_inbound_event_days", _inbound_events,
         "accepted webhook events (their words are cleared once answered)"),
)


class Retention:
    """Runs every purge; the clock runs it daily, `python -m bot retention run` by hand."""

    def __init__(self, database: Database, clock: Clock, config: Config, message_log: Any) -> None:
        self._database = database
        self._clock = clock
        self._config = config
        self._message_log = message_log

    def windows(self) -> dict[str, int]:
        """Days kept per setting (0: forever), the message log's included."""
        return {"message_log_retention_days": self._config.message_log_retention_days,
                **{rule.setting: int(getattr(self._config, rule.setting)) for rule in RULES}}

    def run(self) -> dict[str, int]:
        """Purge everything past its window; returns rows deleted (or cleared) per kind."""
        counts: dict[str, int] = {}
        if self._config.message_log_retention_days > 0:
            with self._database.transaction():
                counts["message_log"] = self._message_log.purge()
        now = self._clock.now()
        for rule in RULES:
            days = int(getattr(self._config, rule.setting))
            if days <= 0:
                continue
            cutoff = now - timedelta(days=days)
            day = cutoff.astimezone(self._clock.tz).date().isoformat()
            with self._database.transaction() as db:
                counts.update(rule.purge(db, iso(cutoff), day))
        log.info("retention: %s", {k: v for k, v in counts.items() if v})
        return counts
