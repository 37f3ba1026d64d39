"""Questions the FAQ matched, missed or got feedback on, and staff suggestions for the knowledge files.

Methods other features call:
- log_question(user_id, text, outcome, entry_id=None, score=0.0, lang="zh") -> int   outcome: answer|ambiguous|fallback|smalltalk|choice
- feedback(user_id, entry_id, helpful: bool) -> None
- unmatched(limit=50, days=30, offices=None, per_office=False) -> [{"text", "count", "last_at"[, "office_id"]}]
- disliked(limit=50, days=90) -> [{"entry_id", "count"}]
- disliked_questions(limit=50, offices=None) -> [{"entry_id", "text", "at", "office_id"}]   each 👎 with the question
- figures(days=30) -> {"questions", "answered", "ambiguous", "fallback", "answer_rate", "top": [(entry_id, n)]}
- suggest_phrasing(entry_id, text, staff="", office_id="") / suggest_entry(text, answer_zh="", answer_en="",
  staff="", office_id="") -> int
- pending_suggestions(offices=None) -> [dict] (every office's for `kb export`); mark_exported(ids)
`offices`: office ids ("" the first office) whose rows are kept; None: every office's.
"""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.clock import Clock, iso
from bot.config import Config
from bot.masking import mask, mask_typed
from bot.store.database import Database, Migration
from bot.store import StorePart, in_offices
from bot.store.retention import Rule, deleted

MIGRATIONS: list[Migration] = [
    (
        10,
        "faq log and knowledge suggestions",
        [
            """CREATE TABLE faq_log (
                id INTEGER PRIMARY KEY,
                user_id TEXT NOT NULL,
                text TEXT NOT NULL,
                outcome TEXT NOT NULL,
                entry_id TEXT,
                score REAL NOT NULL DEFAULT 0,
                lang TEXT NOT NULL DEFAULT 'zh',
                created_at TEXT NOT NULL
            )""",
            "CREATE INDEX faq_log_created ON faq_log (created_at)",
            """CREATE TABLE faq_feedback (
                id INTEGER PRIMARY KEY,
                user_id TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                helpful INTEGER NOT NULL,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE kb_suggestions (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                entry_id TEXT,
                text TEXT NOT NULL,
                payload TEXT NOT NULL DEFAULT '{}',
                staff TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                exported_at TEXT
            )""",
        ],
    ),
    (
        19,
        "indexes for retention (the FAQ's part of migration 50, before the FAQ left the kernel)",
        [
            "CREATE INDEX IF NOT EXISTS faq_log_user ON faq_log (user_id)",
            "CREATE INDEX IF NOT EXISTS faq_feedback_created ON faq_feedback (created_at)",
        ],
    ),
    (
        18,
        "questions belong to the office the citizen deals with (OFFICES_FILE); '' is the first office",
        ["ALTER TABLE faq_log ADD COLUMN office_id TEXT NOT NULL DEFAULT ''"],
    ),
]


class FaqLog:
    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock
        self._config = config

    @property
    def _db(self):  # noqa: ANN202
        return self._database.db

    def _since(self, days: int) -> str:
        return iso(self._clock.now() - timedelta(days=days))

    def log_question(self, user_id: str, text: str, outcome: str, entry_id: str | None = None,
                     score: float = 0.0, lang: str = "zh", office_id: str = "") -> int:
        cursor = self._db.execute(
            "INSERT INTO faq_log (user_id, text, outcome, entry_id, score, lang, created_at, office_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [user_id, mask_typed(text)[:500], outcome, entry_id, round(float(score), 1), lang, self._clock.stamp(),
             office_id],
        )
        return int(cursor.lastrowid)

    def last_question(self, user_id: str, since: str) -> str | None:
        """The citizen's latest question the FAQ took (masked as logged), if asked since `since`."""
        row = self._db.execute(
            "SELECT text FROM faq_log WHERE user_id = ? AND created_at >= ? ORDER BY id DESC LIMIT 1",
            [user_id, since],
        ).fetchone()
        return row[0] if row else None

    def feedback(self, user_id: str, entry_id: str, helpful: bool) -> None:
        self._db.execute(
            "INSERT INTO faq_feedback (user_id, entry_id, helpful, created_at) VALUES (?, ?, ?, ?)",
            [user_id, entry_id, int(helpful), self._clock.stamp()],
        )

    def unmatched(self, limit: int = 50, days: int = 30, offices: tuple[str, ...] | None = None,
                  per_office: bool = False) -> list[dict[str, Any]]:
        """Missed questions, most frequent first; per_office: counted apart per office, each with its office_id
        (the knowledge page, where each office deals with its own)."""
        scope, params = in_offices(offices)
        group = "office_id, text" if per_office else "text"
        rows = self._db.execute(
            f"SELECT text, count(*) AS n, max(created_at){', office_id' if per_office else ''} FROM faq_log "
            f"WHERE outcome = 'fallback' AND created_at >= ?{scope} GROUP BY {group} "
            "ORDER BY n DESC, max(created_at) DESC LIMIT ?",
            [self._since(days), *params, limit],
        ).fetchall()
        return [{"text": r[0], "count": r[1], "last_at": r[2], **({"office_id": r[3]} if per_office else {})}
                for r in rows]

    def disliked(self, limit: int = 50, days: int = 90) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT entry_id, count(*) AS n FROM faq_feedback WHERE helpful = 0 AND created_at >= ? "
            "GROUP BY entry_id ORDER BY n DESC LIMIT ?",
            [self._since(days), limit],
        ).fetchall()
        return [{"entry_id": r[0], "count": r[1]} for r in rows]

    def disliked_questions(self, limit: int = 50, offices: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Each 👎, newest first, with the question the citizen had asked just before it; its office is that
        question's (feedback keeps none; without the question: the first office)."""
        scope, params = in_offices(offices, "COALESCE(l.office_id, '')")
        rows = self._db.execute(
            "SELECT f.entry_id, l.text, f.created_at, COALESCE(l.office_id, '') FROM faq_feedback f "
            "LEFT JOIN faq_log l ON l.id = (SELECT q.id FROM faq_log q WHERE q.user_id = f.user_id "
            "AND q.entry_id = f.entry_id AND q.created_at <= f.created_at ORDER BY q.id DESC LIMIT 1) "
            f"WHERE f.helpful = 0{scope} ORDER BY f.id DESC LIMIT ?",
            [*params, limit],
        ).fetchall()
        return [{"entry_id": r[0], "text": r[1] or "", "at": r[2], "office_id": r[3]} for r in rows]

    def figures(self, days: int = 30, offices: tuple[str, ...] | None = None) -> dict[str, Any]:
        since = self._since(days)
        scope, params = in_offices(offices)
        counts = dict(self._db.execute(
            f"SELECT outcome, count(*) FROM faq_log WHERE created_at >= ?{scope} GROUP BY outcome", [since, *params]
        ).fetchall())
        questions = sum(counts.get(k, 0) for k in ("answer", "ambiguous", "fallback"))
        top = self._db.execute(
            "SELECT entry_id, count(*) AS n FROM faq_log WHERE outcome IN ('answer', 'choice') "
            f"AND created_at >= ?{scope} GROUP BY entry_id ORDER BY n DESC LIMIT 10", [since, *params]
        ).fetchall()
        return {
            "questions": questions,
            "answered": counts.get("answer", 0),
            "ambiguous": counts.get("ambiguous", 0),
            "fallback": counts.get("fallback", 0),
            "answer_rate": (counts.get("answer", 0) / questions) if questions else 0.0,
            "top": [(r[0], r[1]) for r in top],
        }

    def suggest_phrasing(self, entry_id: str, text: str, staff: str = "", office_id: str = "") -> int:
        return self._suggest("phrasing", entry_id, text, {}, staff, office_id)

    def suggest_entry(self, text: str, answer_zh: str = "", answer_en: str = "", staff: str = "",
                      office_id: str = "") -> int:
        return self._suggest("entry", None, text, {"answer_zh": answer_zh, "answer_en": answer_en}, staff, office_id)

    def _suggest(self, kind: str, entry_id: str | None, text: str, payload: dict[str, Any], staff: str,
                 office_id: str) -> int:
        cursor = self._db.execute(
            "INSERT INTO kb_suggestions (kind, entry_id, text, payload, staff, created_at, office_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [kind, entry_id, mask(text.strip())[:300], json.dumps(payload, ensure_ascii=False), staff,
             self._clock.stamp(), office_id],
        )
        return int(cursor.lastrowid)

    def pending_suggestions(self, offices: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Suggestions not yet exported; `kb export` takes every office's (the knowledge files are shared)."""
        scope, params = in_offices(offices)
        rows = self._db.execute(
            "SELECT id, kind, entry_id, text, payload, staff, created_at, office_id FROM kb_suggestions "
            f"WHERE exported_at IS NULL{scope} ORDER BY id", params
        ).fetchall()
        keys = ("id", "kind", "entry_id", "text", "payload", "staff", "created_at", "office_id")
        return [{**dict(zip(keys, r)), "payload": json.loads(r[4] or "{}")} for r in rows]

    def mark_exported(self, ids: list[int]) -> None:
        with self._database.transaction() as db:
            for suggestion_id in ids:
                db.execute("UPDATE kb_suggestions SET exported_at = ? WHERE id = ?", [self._clock.stamp(), suggestion_id])


def _faq_log(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    return {"faq_log": deleted(db, "DELETE FROM faq_log WHERE created_at < ?", [cutoff]),
            "faq_feedback": deleted(db, "DELETE FROM faq_feedback WHERE created_at < ?", [cutoff])}


PART = StorePart(
    "faq", FaqLog, MIGRATIONS,
    retention=(Rule("faq_log", "retention_faq_log_days", _faq_log, "questions asked (masked) and answer feedback"),),
    user_tables=(("faq_log", "user_id"), ("faq_feedback", "user_id")),
)
