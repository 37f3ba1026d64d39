"""The knowledge base's version: staff bump it after editing the files, and every web worker reloads."""
from __future__ import annotations

from bot.store.database import Database, Migration

# kb_state was made by the FAQ log's migration 10 before the FAQ's tables left the kernel: an existing
# database already has it, so this creates it only where it is missing.
MIGRATIONS: list[Migration] = [
    (
        70,
        "knowledge version",
        [
            "CREATE TABLE IF NOT EXISTS kb_state (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
            "INSERT INTO kb_state (id, version) SELECT 1, 1 WHERE NOT EXISTS (SELECT 1 FROM kb_state)",
        ],
    ),
]


class KnowledgeState:
    def __init__(self, database: Database) -> None:
        self._database = database

    def version(self) -> int:
        row = self._database.db.execute("SELECT version FROM kb_state WHERE id = 1").fetchone()
        return int(row[0]) if row else 1

    def bump(self) -> int:
        """A new version: each web worker reloads the knowledge files within a few seconds."""
        with self._database.transaction() as db:
            db.execute("UPDATE kb_state SET version = version + 1 WHERE id = 1")
        return self.version()
