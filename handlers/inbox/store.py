"""Threads handed to staff: questions, complaints and home-visit requests, their messages and notes.

A thread has a reference (Q-/C-/H-YYYY-NNNN), a type, a status and a working-day deadline.
Statuses: new (nobody assigned), assigned, waiting (staff asked the citizen something: the citizen's
next free text goes into the thread), replied, closed. Citizen texts are stored masked; the contact
phone is kept whole (staff may need to call) and shown masked.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from bot.clock import Clock, iso, parse_iso
from bot.config import Config
from bot.masking import mask
from bot.store.database import Database, Migration
from bot.store import StorePart, in_offices
from bot.store.retention import Rule, deleted
from bot.workdays import calendar_from_config, closing_time
from handlers.inbox.kinds import KINDS, PREFIXES, due_days

STATUSES = ("new", "assigned", "waiting", "replied", "closed")
OPEN_STATUSES = ("new", "assigned", "waiting", "replied")
# A thread is overdue only while the office owes the citizen an answer.
OWED_STATUSES = ("new", "assigned")
COMPLAINT_CATEGORIES = ("attitude", "process", "environment", "suggestion", "other")
MAX_TEXT = 5000

MIGRATIONS: list[Migration] = [
    (
        40,
        "inbox threads",
        [
            """CREATE TABLE threads (
                id INTEGER PRIMARY KEY,
                ref TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL CHECK (kind IN ('question', 'complaint', 'home_visit')),
                user_id TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'assigned', 'waiting', 'replied', 'closed')),
                category TEXT NOT NULL DEFAULT '',
                subject TEXT NOT NULL DEFAULT '',
                contact_name TEXT NOT NULL DEFAULT '',
                contact_phone TEXT NOT NULL DEFAULT '',
                details TEXT NOT NULL DEFAULT '{}',
                context TEXT NOT NULL DEFAULT '[]',
                assignee TEXT,
                lang TEXT NOT NULL DEFAULT 'zh',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                due_at TEXT NOT NULL,
                citizen_at TEXT,
                staff_at TEXT,
                closed_at TEXT
            )""",
            "CREATE INDEX threads_status_due ON threads (status, due_at)",
            "CREATE INDEX threads_user ON threads (user_id, status)",
            """CREATE TABLE thread_messages (
                id INTEGER PRIMARY KEY,
                thread_id INTEGER NOT NULL REFERENCES threads (id),
                author_kind TEXT NOT NULL CHECK (author_kind IN ('citizen', 'staff', 'note', 'system')),
                author TEXT NOT NULL DEFAULT '',
                text TEXT NOT NULL,
                created_at TEXT NOT NULL,
                outbox_id INTEGER
            )""",
            "CREATE INDEX thread_messages_thread ON thread_messages (thread_id, id)",
            """CREATE TABLE reference_counters (
                prefix TEXT NOT NULL,
                year INTEGER NOT NULL,
                last INTEGER NOT NULL,
                PRIMARY KEY (prefix, year)
            )""",
        ],
    ),
    (
        41,
        "canned answers",
        [
            """CREATE TABLE canned_answers (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                created_by TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1
            )""",
        ],
    ),
    (
        49,
        "index for retention (the inbox's part of migration 50, before the inbox left the kernel)",
        ["CREATE INDEX IF NOT EXISTS threads_closed ON threads (closed_at) WHERE status = 'closed'"],
    ),
    (
        90,
        "threads of any kind: the kinds are handlers/inbox/kinds.py's table, not a CHECK constraint",
        [
            # Both engines: a column's own CHECK goes with the column (SQLite needs no table rebuild).
            "ALTER TABLE threads RENAME COLUMN kind TO kind_checked",
            "ALTER TABLE threads ADD COLUMN kind TEXT NOT NULL DEFAULT ''",
            "UPDATE threads SET kind = kind_checked",
            "ALTER TABLE threads DROP COLUMN kind_checked",
        ],
    ),
    (
        91,
        "threads belong to an office (several offices, OFFICES_FILE); '' is the deployment's first office",
        ["ALTER TABLE threads ADD COLUMN office_id TEXT NOT NULL DEFAULT ''",
         "CREATE INDEX threads_office ON threads (office_id, status)"],
    ),
    (
        97,
        "reference numbers per office and year: C-2026-0001 may be 小港's and 鳳山's",
        [
            # The column that was unique across the deployment stays so under another name, holding the
            # office-qualified number ("fengshan:C-2026-0001"; the first office's keep theirs); no rebuild.
            "ALTER TABLE threads RENAME COLUMN ref TO global_ref",
            "ALTER TABLE threads ADD COLUMN ref TEXT NOT NULL DEFAULT ''",
            "UPDATE threads SET ref = global_ref",
            "CREATE UNIQUE INDEX threads_office_ref ON threads (office_id, ref)",
        ],
    ),
]

_THREAD_COLUMNS = ("id", "ref", "kind", "user_id", "status", "category", "subject", "contact_name",
                   "contact_phone", "details", "context", "assignee", "lang", "created_at", "updated_at",
                   "due_at", "citizen_at", "staff_at", "closed_at", "office_id")
_SELECT_THREAD = f"SELECT {', '.join(_THREAD_COLUMNS)} FROM threads"


def masked_details(details: dict[str, Any]) -> dict[str, Any]:
    """A thread's details as stored: every text masked (an address keeps its words, not an ID in it)."""
    return {k: mask(v) if isinstance(v, str) else v for k, v in details.items()}


def masked_context(context: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The conversation before a hand-off, masked again: the log it comes from may predate a rule."""
    return [{**entry, "text": mask(str(entry.get("text", "")))} if "text" in entry else entry for entry in context]


@dataclass
class Thread:
    id: int
    ref: str
    kind: str
    user_id: str
    status: str
    category: str
    subject: str
    contact_name: str
    contact_phone: str
    details: dict[str, Any]
    context: list[dict[str, Any]]
    assignee: str | None
    lang: str
    created_at: str
    updated_at: str
    due_at: str
    citizen_at: str | None = None
    staff_at: str | None = None
    closed_at: str | None = None
    office_id: str = ""  # "" for the deployment's first office (and every thread from before OFFICES_FILE)

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> "Thread":
        values = dict(zip(_THREAD_COLUMNS, row))
        values["details"] = json.loads(values["details"] or "{}")
        values["context"] = json.loads(values["context"] or "[]")
        return cls(**values)

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    def is_overdue(self, now: datetime) -> bool:
        """The office still owes an answer and the deadline has passed."""
        return self.status in OWED_STATUSES and self.due_at < iso(now)

    @property
    def due(self) -> datetime:
        return parse_iso(self.due_at)


@dataclass
class ThreadMessage:
    id: int
    thread_id: int
    author_kind: str
    author: str
    text: str
    created_at: str
    outbox_id: int | None = None


@dataclass
class ThreadFilter:
    """What the inbox page asks for."""

    status: str = ""
    kind: str = ""
    overdue: bool = False
    assignee: str = ""
    query: str = ""
    # The offices whose threads are shown (an office's clerk: theirs); None shows every office's.
    offices: tuple[str, ...] | None = None
    limit: int = 50
    offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CannedAnswer:
    id: int
    title: str
    body: str
    created_by: str
    created_at: str


class Inbox:
    """Threads, their messages and notes, canned answers, and the inbox's own figures."""

    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock
        self._config = config
        self.calendar = calendar_from_config(config)
        self.due_days = due_days(config.inbox_due_days)

    @property
    def _db(self):  # noqa: ANN202
        return self._database.db

    # --- deadlines ------------------------------------------------------------------------
    def due_for(self, kind: str, received: datetime | None = None) -> datetime:
        """When an answer is due for a thread of this type received now (or at `received`)."""
        received = received or self._clock.now()
        return self.calendar.due(received, self.due_days.get(kind, 1), self._config.office_timezone,
                                 closing_time(self._config))

    # --- creating and reading -------------------------------------------------------------
    def open_thread(self, kind: str, user_id: str, texts: Iterable[str], *, category: str = "",
                    subject: str = "", contact_name: str = "", contact_phone: str = "",
                    details: dict[str, Any] | None = None, context: list[dict[str, Any]] | None = None,
                    lang: str = "zh", full_details: Iterable[str] = (), office_id: str = "") -> Thread:
        """File a new thread with the citizen's words; gives it the next reference for its type and year.

        Texts, subject and details are masked; a detail named in `full_details` (the home-visit address)
        keeps its words for the staff handling the thread (ID and phone numbers in it are still masked),
        and is hidden from the subject.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown thread kind {kind!r}")
        now = self._clock.now()
        stamp = iso(now)
        details = masked_details(details or {})
        private = [str(details[k]) for k in full_details if details.get(k)]
        texts = [mask(t.strip(), private)[:MAX_TEXT] for t in texts if t and t.strip()]
        subject = mask(subject or (texts[0] if texts else ""), private)[:80]
        with self._database.transaction() as db:
            ref = self._next_ref(PREFIXES[kind], self._clock.local().year, office_id)
            cursor = db.execute(
                "INSERT INTO threads (ref, global_ref, kind, user_id, status, category, subject, contact_name, "
                "contact_phone, details, context, lang, created_at, updated_at, due_at, citizen_at, office_id) "
                "VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [ref, f"{office_id}:{ref}" if office_id else ref, kind, user_id, category, subject, contact_name.strip()[:50], contact_phone.strip()[:20],
                 json.dumps(details, ensure_ascii=False), json.dumps(masked_context(context or []), ensure_ascii=False),
                 lang, stamp, stamp, iso(self.due_for(kind, now)), stamp, office_id],
            )
            thread_id = cursor.lastrowid
            for text in texts:
                self._add_message(thread_id, "citizen", "", text, stamp)
        thread = self.get(thread_id)
        assert thread is not None
        return thread

    def _next_ref(self, prefix: str, year: int, office_id: str = "") -> str:
        # One statement that counts and answers: two machines never get the same number. Each office
        # counts its own (the counter's key: "C" for the first office, "fengshan/C" for another).
        (last,) = self._db.execute(
            "INSERT INTO reference_counters (prefix, year, last) VALUES (?, ?, 1) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = reference_counters.last + 1 RETURNING last",
            [f"{office_id}/{prefix}" if office_id else prefix, year],
        ).fetchone()
        return f"{prefix}-{year}-{last:04d}"

    def _add_message(self, thread_id: int, author_kind: str, author: str, text: str, stamp: str,
                     outbox_id: int | None = None) -> int:
        cursor = self._db.execute(
            "INSERT INTO thread_messages (thread_id, author_kind, author, text, created_at, outbox_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [thread_id, author_kind, author, mask(text)[:MAX_TEXT], stamp, outbox_id],
        )
        return int(cursor.lastrowid)

    def get(self, thread_id: int) -> Thread | None:
        row = self._db.execute(f"{_SELECT_THREAD} WHERE id = ?", [thread_id]).fetchone()
        return Thread.from_row(row) if row else None

    def by_ref(self, ref: str, office_id: str = "") -> Thread | None:
        """The thread an office's reference number names ("" is the first office)."""
        row = self._db.execute(f"{_SELECT_THREAD} WHERE office_id = ? AND ref = ?",
                               [office_id, ref.strip().upper()]).fetchone()
        return Thread.from_row(row) if row else None

    def messages(self, thread_id: int, include_notes: bool = True) -> list[ThreadMessage]:
        sql = ("SELECT id, thread_id, author_kind, author, text, created_at, outbox_id FROM thread_messages "
               "WHERE thread_id = ?")
        if not include_notes:
            sql += " AND author_kind != 'note'"
        rows = self._db.execute(sql + " ORDER BY id", [thread_id]).fetchall()
        return [ThreadMessage(*r) for r in rows]

    def message(self, message_id: int) -> ThreadMessage | None:
        row = self._db.execute(
            "SELECT id, thread_id, author_kind, author, text, created_at, outbox_id FROM thread_messages WHERE id = ?",
            [message_id],
        ).fetchone()
        return ThreadMessage(*row) if row else None

    def open_thread_of(self, user_id: str, kind: str | None = None) -> Thread | None:
        """The citizen's newest thread that is not closed (of one type, if given)."""
        sql = f"{_SELECT_THREAD} WHERE user_id = ? AND status != 'closed'"
        params: list[Any] = [user_id]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        row = self._db.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        return Thread.from_row(row) if row else None

    def waiting_thread(self, user_id: str) -> Thread | None:
        """The thread in which staff wait for this citizen's answer, if any."""
        row = self._db.execute(
            f"{_SELECT_THREAD} WHERE user_id = ? AND status = 'waiting' ORDER BY staff_at DESC, id DESC LIMIT 1",
            [user_id],
        ).fetchone()
        return Thread.from_row(row) if row else None

    def threads_of(self, user_id: str, limit: int = 20) -> list[Thread]:
        rows = self._db.execute(f"{_SELECT_THREAD} WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                                [user_id, limit]).fetchall()
        return [Thread.from_row(r) for r in rows]

    # --- what citizens and staff do -------------------------------------------------------
    def add_citizen_message(self, thread_id: int, text: str) -> Thread:
        """The citizen writes (back) into a thread: it needs staff again, and a closed one reopens."""
        now = self._clock.now()
        stamp = iso(now)
        with self._database.transaction():
            thread = self._require(thread_id)
            self._add_message(thread_id, "citizen", "", mask(text.strip())[:MAX_TEXT], stamp)
            status = "assigned" if thread.assignee else "new"
            due_at = thread.due_at
            if thread.status not in OWED_STATUSES:
                # The office owes a new answer: at least a question's time from now.
                due_at = max(thread.due_at, iso(self.due_for("question", now)))
            self._db.execute(
                "UPDATE threads SET status = ?, citizen_at = ?, updated_at = ?, due_at = ?, closed_at = NULL "
                "WHERE id = ?",
                [status, stamp, stamp, due_at, thread_id],
            )
        return self._require(thread_id)

    def add_note(self, thread_id: int, staff: str, text: str) -> int:
        """An internal note: seen by staff only, never sent."""
        stamp = self._clock.stamp()
        with self._database.transaction():
            self._require(thread_id)
            message_id = self._add_message(thread_id, "note", staff, text.strip(), stamp)
            self._db.execute("UPDATE threads SET updated_at = ? WHERE id = ?", [stamp, thread_id])
        return message_id

    def add_system_note(self, thread_id: int, text: str) -> int:
        stamp = self._clock.stamp()
        with self._database.transaction():
            message_id = self._add_message(thread_id, "system", "", text, stamp)
            self._db.execute("UPDATE threads SET updated_at = ? WHERE id = ?", [stamp, thread_id])
        return message_id

    def assign(self, thread_id: int, staff: str | None) -> Thread:
        """Give the thread to a colleague (None: back to nobody)."""
        stamp = self._clock.stamp()
        with self._database.transaction():
            thread = self._require(thread_id)
            status = thread.status
            if status in OWED_STATUSES:
                status = "assigned" if staff else "new"
            self._db.execute("UPDATE threads SET assignee = ?, status = ?, updated_at = ? WHERE id = ?",
                             [staff or None, status, stamp, thread_id])
        return self._require(thread_id)

    def reply(self, thread_id: int, staff: str, text: str, *, wait_for_citizen: bool = False) -> ThreadMessage:
        """Record a staff answer (the caller queues it for LINE in the same transaction)."""
        stamp = self._clock.stamp()
        with self._database.transaction():
            thread = self._require(thread_id)
            message_id = self._add_message(thread_id, "staff", staff, text.strip(), stamp)
            status = "waiting" if wait_for_citizen else "replied"
            self._db.execute(
                "UPDATE threads SET status = ?, staff_at = ?, updated_at = ?, closed_at = NULL, "
                "assignee = COALESCE(assignee, ?) WHERE id = ?",
                [status, stamp, stamp, staff, thread.id],
            )
        message = self.message(message_id)
        assert message is not None
        return message

    def set_outbox_id(self, message_id: int, outbox_id: int | None) -> None:
        self._db.execute("UPDATE thread_messages SET outbox_id = ? WHERE id = ?", [outbox_id, message_id])

    def close(self, thread_id: int) -> Thread:
        stamp = self._clock.stamp()
        with self._database.transaction():
            self._require(thread_id)
            self._db.execute("UPDATE threads SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?",
                             [stamp, stamp, thread_id])
        return self._require(thread_id)

    def reopen(self, thread_id: int) -> Thread:
        stamp = self._clock.stamp()
        with self._database.transaction():
            thread = self._require(thread_id)
            status = "assigned" if thread.assignee else "new"
            self._db.execute("UPDATE threads SET status = ?, closed_at = NULL, updated_at = ? WHERE id = ?",
                             [status, stamp, thread_id])
        return self._require(thread_id)

    def _require(self, thread_id: int) -> Thread:
        thread = self.get(thread_id)
        if thread is None:
            raise KeyError(thread_id)
        return thread

    # --- the inbox page -------------------------------------------------------------------
    def search(self, flt: ThreadFilter) -> list[Thread]:
        """Threads for the inbox: open ones first by deadline; closed ones newest first."""
        where, params = self._where(flt)
        order = "closed_at DESC, id DESC" if flt.status == "closed" else "due_at, id"
        rows = self._db.execute(
            f"{_SELECT_THREAD} {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, max(1, min(flt.limit, 200)), max(0, flt.offset)],
        ).fetchall()
        return [Thread.from_row(r) for r in rows]

    def count(self, flt: ThreadFilter) -> int:
        where, params = self._where(flt)
        return int(self._db.execute(f"SELECT COUNT(*) FROM threads {where}", params).fetchone()[0])

    def _where(self, flt: ThreadFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if flt.status in STATUSES:
            clauses.append("status = ?")
            params.append(flt.status)
        elif flt.status != "all":
            clauses.append("status != 'closed'")
        if flt.kind in KINDS:
            clauses.append("kind = ?")
            params.append(flt.kind)
        if flt.overdue:
            clauses.append(f"status IN ({', '.join('?' * len(OWED_STATUSES))}) AND due_at < ?")
            params.extend([*OWED_STATUSES, self._clock.stamp()])
        if flt.assignee:
            clauses.append("assignee = ?")
            params.append(flt.assignee)
        if flt.offices is not None:
            clause, values = in_offices(flt.offices)
            clauses.append(clause.removeprefix(" AND "))
            params.extend(values)
        if flt.query:
            clauses.append("(ref LIKE ? OR subject LIKE ? OR contact_name LIKE ?)")
            like = f"%{flt.query.strip()}%"
            params.extend([like, like, like])
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def status_counts(self, offices: tuple[str, ...] | None = None) -> dict[str, int]:
        """Threads per status (and overdue), of some offices only when given."""
        scope, params = in_offices(offices)
        rows = self._db.execute(f"SELECT status, COUNT(*) FROM threads WHERE 1 = 1{scope} GROUP BY status",
                                params).fetchall()
        counts = {s: 0 for s in STATUSES}
        counts.update({r[0]: r[1] for r in rows})
        counts["overdue"] = len(self.overdue(offices=offices))
        return counts

    def overdue(self, now: datetime | None = None, offices: tuple[str, ...] | None = None) -> list[Thread]:
        """Threads whose answer is late, oldest deadline first (of some offices only when given)."""
        stamp = iso(now or self._clock.now())
        scope, params = in_offices(offices)
        rows = self._db.execute(
            f"{_SELECT_THREAD} WHERE status IN ({', '.join('?' * len(OWED_STATUSES))}) AND due_at < ?{scope} "
            "ORDER BY due_at, id",
            [*OWED_STATUSES, stamp, *params],
        ).fetchall()
        return [Thread.from_row(r) for r in rows]

    # --- figures for the dashboard --------------------------------------------------------
    def complaints_by_category(self, since: str, offices: tuple[str, ...] | None = None) -> dict[str, int]:
        scope, params = in_offices(offices)
        rows = self._db.execute(
            f"SELECT category, COUNT(*) FROM threads WHERE kind = 'complaint' AND created_at >= ?{scope} "
            "GROUP BY category", [since, *params],
        ).fetchall()
        counts = {c: 0 for c in COMPLAINT_CATEGORIES}
        for category, n in rows:
            counts[category or "other"] = counts.get(category or "other", 0) + n
        return counts

    def kinds_since(self, since: str, offices: tuple[str, ...] | None = None) -> dict[str, int]:
        scope, params = in_offices(offices)
        rows = self._db.execute(f"SELECT kind, COUNT(*) FROM threads WHERE created_at >= ?{scope} GROUP BY kind",
                                [since, *params]).fetchall()
        counts = {k: 0 for k in KINDS}
        counts.update({r[0]: r[1] for r in rows})
        return counts

    def answered_on_time(self, since: str, offices: tuple[str, ...] | None = None) -> tuple[int, int]:
        """(threads answered by their deadline, threads answered) among those created since."""
        scope, params = in_offices(offices, "t.office_id")
        row = self._db.execute(
            "SELECT COUNT(*), SUM(CASE WHEN first_staff <= due_at THEN 1 ELSE 0 END) FROM ("
            " SELECT t.due_at, MIN(m.created_at) AS first_staff FROM threads t"
            " JOIN thread_messages m ON m.thread_id = t.id AND m.author_kind = 'staff'"
            f" WHERE t.created_at >= ?{scope} GROUP BY t.id) AS answered",
            [since, *params],
        ).fetchone()
        return int(row[1] or 0), int(row[0] or 0)

    # --- canned answers -------------------------------------------------------------------
    def canned_answers(self) -> list[CannedAnswer]:
        rows = self._db.execute(
            "SELECT id, title, body, created_by, created_at FROM canned_answers WHERE active = 1 ORDER BY title, id"
        ).fetchall()
        return [CannedAnswer(*r) for r in rows]

    def canned_answer(self, canned_id: int) -> CannedAnswer | None:
        row = self._db.execute(
            "SELECT id, title, body, created_by, created_at FROM canned_answers WHERE id = ? AND active = 1",
            [canned_id],
        ).fetchone()
        return CannedAnswer(*row) if row else None

    def add_canned_answer(self, title: str, body: str, staff: str) -> int:
        cursor = self._db.execute(
            "INSERT INTO canned_answers (title, body, created_by, created_at) VALUES (?, ?, ?, ?)",
            [title.strip()[:60], body.strip()[:MAX_TEXT], staff, self._clock.stamp()],
        )
        return int(cursor.lastrowid)

    def remove_canned_answer(self, canned_id: int) -> bool:
        return self._db.execute("UPDATE canned_answers SET active = 0 WHERE id = ? AND active = 1",
                                [canned_id]).rowcount == 1


def _closed_threads(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    # A closed thread's survey and pushes go with it (the inbox invites the survey and queues the pushes).
    ids = "SELECT id FROM threads WHERE status = 'closed' AND closed_at < ?"
    outbox = deleted(db, f"DELETE FROM outbox WHERE status != 'pending' AND id IN "
                         f"(SELECT outbox_id FROM thread_messages WHERE thread_id IN ({ids}))", [cutoff])
    surveys = deleted(db, f"DELETE FROM surveys WHERE source = 'thread' AND CAST(source_id AS INTEGER) IN ({ids})",
                      [cutoff])
    messages = deleted(db, f"DELETE FROM thread_messages WHERE thread_id IN ({ids})", [cutoff])
    threads = deleted(db, "DELETE FROM threads WHERE status = 'closed' AND closed_at < ?", [cutoff])
    dead = deleted(db, "DELETE FROM outbox WHERE status = 'dead' AND created_at < ?", [cutoff])
    return {"threads": threads, "thread_messages": messages, "thread_surveys": surveys,
            "thread_pushes": outbox, "dead_pushes": dead}


PART = StorePart(
    "inbox", Inbox, MIGRATIONS,
    retention=(Rule("closed_threads", "retention_closed_thread_days", _closed_threads,
                    "closed inbox threads with their messages, notes, surveys and pushes; dead pushes"),),
    # Closed threads are the office's record: they keep their own window, not the user's.
    keeps_user=("EXISTS (SELECT 1 FROM threads t WHERE t.user_id = u.user_id AND t.status != 'closed')",),
)
