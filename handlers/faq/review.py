"""Which missed questions staff have already dealt with on the knowledge page (hidden from the to-do list).

The suggestions themselves ("add as a phrasing of entry X", "new entry") live in the FAQ log
(store.faq.suggest_phrasing / suggest_entry) for `kb export`; this only remembers the decision,
including "dismiss" (not a knowledge question), so a handled question leaves the list.

With several offices (OFFICES_FILE) both belong to an office ("" is the first, as are rows from before):
a decision of one office's clerk leaves that office's list only.
"""
from __future__ import annotations

from bot.clock import Clock
from bot.config import Config
from bot.masking import mask
from bot.store.database import Database, Migration
from bot.store import StorePart, in_offices

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
    (
        96,
        "knowledge suggestions and review decisions belong to an office (OFFICES_FILE); '' is the first office",
        [
            # kb_suggestions is the FAQ log part's table (migration 10); both parts are the faq feature's, and
            # one number keeps the two changes of this step together.
            "ALTER TABLE kb_suggestions ADD COLUMN office_id TEXT NOT NULL DEFAULT ''",
            # The same question may be dealt with by each office: the office joins the key (rebuilt, as
            # neither engine changes a primary key in place).
            """CREATE TABLE kb_reviewed_by_office (
                office_id TEXT NOT NULL DEFAULT '',
                text TEXT NOT NULL,
                decision TEXT NOT NULL CHECK (decision IN ('phrasing', 'entry', 'dismiss')),
                staff TEXT NOT NULL DEFAULT '',
                at TEXT NOT NULL,
                PRIMARY KEY (office_id, text)
            )""",
            "INSERT INTO kb_reviewed_by_office (office_id, text, decision, staff, at) "
            "SELECT '', text, decision, staff, at FROM kb_reviewed",
            "DROP TABLE kb_reviewed",
            "ALTER TABLE kb_reviewed_by_office RENAME TO kb_reviewed",
        ],
    ),
]

DECISIONS = ("phrasing", "entry", "dismiss")


class KbReview:
    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock

    def decide(self, text: str, decision: str, staff: str, office_id: str = "") -> None:
        """Remember an office's decision on a question ("" is the first office)."""
        if decision not in DECISIONS:
            raise ValueError(decision)
        self._database.db.execute(
            "INSERT INTO kb_reviewed (office_id, text, decision, staff, at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (office_id, text) DO UPDATE SET decision = excluded.decision, staff = excluded.staff, "
            "at = excluded.at",
            [office_id, mask(text.strip())[:500], decision, staff, self._clock.stamp()],
        )

    def reviewed(self, offices: tuple[str, ...] | None = None) -> set[tuple[str, str]]:
        """(office_id, masked text) of the questions dealt with (of some offices only when given)."""
        scope, params = in_offices(offices)
        return {(r[0], r[1]) for r in self._database.db.execute(
            f"SELECT office_id, text FROM kb_reviewed WHERE 1 = 1{scope}", params)}


# Staff decisions on masked question texts, without any user id: nothing to purge.
PART = StorePart("kb_review", KbReview, MIGRATIONS)
