"""Which missed questions staff have already dealt with on the knowledge page (hidden from the to-do list).

The suggestions themselves ("add as a phrasing of entry X", "new entry") live in the FAQ log
(store.faq.suggest_phrasing / suggest_entry) for `kb export`; this only remembers the decision,
including "dismiss" (not a knowledge question), so a handled question leaves the list.
"""
from __future__ import annotations

from bot.clock import Clock
from bot.config import Config
from bot.masking import mask
from bot.store.database import Database, Migration
from bot.store import StorePart

MIGRATIONS: list[Migration] = [
    (
        45,
        "knowledge review decisions",
        [
            """CREATE TABLE kb_reviewed (
                text TEXT PRIMARY KEY,
                decision TEXT NOT NULL CHECK (decision IN ('phrasing', 'entry', 'dismiss')),
                staff TEXT NOT NULL DEFAULT '',
                at TEXT NOT NULL
            )""",
        ],
    ),
]

DECISIONS = ("phrasing", "entry", "dismiss")


class KbReview:
    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock

    def decide(self, text: str, decision: str, staff: str) -> None:
        if decision not in DECISIONS:
            raise ValueError(decision)
        self._database.db.execute(
            "INSERT INTO kb_reviewed (text, decision, staff, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (text) DO UPDATE SET decision = excluded.decision, staff = excluded.staff, at = excluded.at",
            [mask(text.strip())[:500], decision, staff, self._clock.stamp()],
        )

    def reviewed(self) -> set[str]:
        return {r[0] for r in self._database.db.execute("SELECT text FROM kb_reviewed")}


# Staff decisions on masked question texts, without any user id: nothing to purge.
PART = StorePart("kb_review", KbReview, MIGRATIONS)
