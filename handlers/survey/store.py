"""Satisfaction surveys: one invitation per closed thread or attended appointment, a 1-5 rating, a comment."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.config import Config
from bot.masking import mask
from bot.store.database import Database, Migration
from bot.store import StorePart, in_offices
from bot.store.retention import Rule, deleted

MIGRATIONS: list[Migration] = [
    (
        44,
        "satisfaction surveys",
        [
            """CREATE TABLE surveys (
                id INTEGER PRIMARY KEY,
                source TEXT NOT NULL CHECK (source IN ('thread', 'booking')),
                source_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                invited_at TEXT NOT NULL,
                rating INTEGER CHECK (rating BETWEEN 1 AND 5),
                comment TEXT NOT NULL DEFAULT '',
                answered_at TEXT,
                UNIQUE (source, source_id)
            )""",
            "CREATE INDEX surveys_answered ON surveys (answered_at)",
        ],
    ),
    (
        48,
        "index for retention (the survey's part of migration 50, before surveys left the kernel)",
        ["CREATE INDEX IF NOT EXISTS surveys_invited ON surveys (invited_at)"],
    ),
    (
        92,
        "surveys belong to the office of their thread or visit (OFFICES_FILE); '' is the first office",
        ["ALTER TABLE surveys ADD COLUMN office_id TEXT NOT NULL DEFAULT ''"],
    ),
]

SOURCES = ("thread", "booking")


@dataclass
class Survey:
    id: int
    source: str
    source_id: str
    user_id: str
    invited_at: str
    rating: int | None
    comment: str
    answered_at: str | None


@dataclass
class SurveySummary:
    invited: int
    answered: int
    average: float | None
    distribution: dict[int, int]
    by_source: dict[str, float | None]


class Surveys:
    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock

    @property
    def _db(self):  # noqa: ANN202
        return self._database.db

    def invite(self, source: str, source_id: str | int, user_id: str, office_id: str = "") -> int | None:
        """A survey for one thread or appointment; None when that one was already invited."""
        if source not in SOURCES:
            raise ValueError(source)
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO surveys (source, source_id, user_id, invited_at, office_id) VALUES (?, ?, ?, ?, ?)",
            [source, str(source_id), user_id, self._clock.stamp(), office_id],
        )
        return int(cursor.lastrowid) if cursor.rowcount == 1 else None

    def get(self, survey_id: int) -> Survey | None:
        row = self._db.execute(
            "SELECT id, source, source_id, user_id, invited_at, rating, comment, answered_at FROM surveys WHERE id = ?",
            [survey_id],
        ).fetchone()
        return Survey(*row) if row else None

    def for_source(self, source: str, source_id: str | int) -> Survey | None:
        row = self._db.execute("SELECT id FROM surveys WHERE source = ? AND source_id = ?",
                               [source, str(source_id)]).fetchone()
        return self.get(row[0]) if row else None

    def rate(self, survey_id: int, user_id: str, rating: int) -> str:
        """'ok', 'already' (rated before: the first answer stands) or 'unknown' (not this citizen's survey)."""
        if not 1 <= rating <= 5:
            return "unknown"
        survey = self.get(survey_id)
        if survey is None or survey.user_id != user_id:
            return "unknown"
        cursor = self._db.execute(
            "UPDATE surveys SET rating = ?, answered_at = ? WHERE id = ? AND rating IS NULL",
            [rating, self._clock.stamp(), survey_id],
        )
        return "ok" if cursor.rowcount == 1 else "already"

    def add_comment(self, survey_id: int, user_id: str, comment: str) -> bool:
        cursor = self._db.execute(
            "UPDATE surveys SET comment = ? WHERE id = ? AND user_id = ? AND rating IS NOT NULL",
            [mask(comment.strip())[:1000], survey_id, user_id],
        )
        return cursor.rowcount == 1

    def summary(self, since: str, offices: tuple[str, ...] | None = None) -> SurveySummary:
        """Invitations and answers since a time: average, 1-5 distribution, average per source (of some
        offices only when given)."""
        scope, params = in_offices(offices)
        invited = int(self._db.execute(f"SELECT COUNT(*) FROM surveys WHERE invited_at >= ?{scope}",
                                       [since, *params]).fetchone()[0])
        rows = self._db.execute(
            f"SELECT rating, source FROM surveys WHERE answered_at >= ? AND rating IS NOT NULL{scope}", [since, *params]
        ).fetchall()
        distribution = {r: 0 for r in range(1, 6)}
        per_source: dict[str, list[int]] = {s: [] for s in SOURCES}
        for rating, source in rows:
            distribution[rating] += 1
            per_source[source].append(rating)
        ratings = [r for r, _ in rows]
        average = round(sum(ratings) / len(ratings), 2) if ratings else None
        by_source = {s: (round(sum(v) / len(v), 2) if v else None) for s, v in per_source.items()}
        return SurveySummary(invited, len(ratings), average, distribution, by_source)

    def recent_comments(self, limit: int = 20) -> list[Survey]:
        rows = self._db.execute(
            "SELECT id, source, source_id, user_id, invited_at, rating, comment, answered_at FROM surveys "
            "WHERE comment != '' ORDER BY answered_at DESC, id DESC LIMIT ?",
            [limit],
        ).fetchall()
        return [Survey(*r) for r in rows]


def _old_surveys(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    return {"surveys": deleted(db, "DELETE FROM surveys WHERE invited_at < ?", [cutoff])}


PART = StorePart(
    "surveys", Surveys, MIGRATIONS,
    retention=(Rule("surveys", "retention_survey_days", _old_surveys, "satisfaction ratings and comments"),),
    user_tables=(("surveys", "user_id"),),
)
