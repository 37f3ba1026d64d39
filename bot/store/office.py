"""The office details staff confirmed: per field, the value, who confirmed it and when.

They override knowledge/office.yaml field by field (knowledge/office_fields.py says how);
current() is the one accessor every answer, card and push reads the office's details through,
so a change on the staff page or the command line is used by the next answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock
from bot.config import Config
from bot.store.database import Database, Migration

MIGRATIONS: list[Migration] = [
    (
        61,
        "office details confirmed by staff",
        [
            """CREATE TABLE office_details (
                field TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                confirmed_by TEXT NOT NULL,
                confirmed_at TEXT NOT NULL
            )""",
        ],
    ),
]


@dataclass(frozen=True)
class Confirmation:
    field: str
    value: str
    confirmed_by: str
    confirmed_at: str


class OfficeDetails:
    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock
        self._config = config

    def confirmations(self) -> dict[str, Confirmation]:
        rows = self._database.db.execute(
            "SELECT field, value, confirmed_by, confirmed_at FROM office_details ORDER BY field").fetchall()
        return {r[0]: Confirmation(*r) for r in rows}

    def values(self) -> dict[str, str]:
        return {name: c.value for name, c in self.confirmations().items()}

    def set(self, field: str, value: str, staff: str) -> str:
        """Validate and store one field; returns the value as stored (InvalidValue, KeyError on a bad one)."""
        from knowledge.office_fields import clean

        cleaned = clean(field, value)
        self._database.db.execute(
            "INSERT INTO office_details (field, value, confirmed_by, confirmed_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (field) DO UPDATE SET value = excluded.value, confirmed_by = excluded.confirmed_by, "
            "confirmed_at = excluded.confirmed_at",
            [field, cleaned, staff[:64], self._clock.stamp()],
        )
        return cleaned

    def clear(self, field: str) -> bool:
        """Forget a confirmed value: answers go back to office.yaml's text (「請以官網公告為準」)."""
        return self._database.db.execute("DELETE FROM office_details WHERE field = ?", [field]).rowcount > 0

    def current(self, base: Any = None) -> Any:
        """The office's details as answers should give them: office.yaml (or base) with confirmed values applied."""
        from knowledge.loader import load_office
        from knowledge.office_fields import apply

        if base is None:
            base = load_office(self._config.knowledge_path or None)
        return apply(base, self.values())
