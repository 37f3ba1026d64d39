"""The SQLite file: one connection per process and thread, WAL, numbered migrations."""
from __future__ import annotations

import logging
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import sqlite_utils

log = logging.getLogger(__name__)

Migration = tuple[int, str, Sequence[str]]
BUSY_TIMEOUT_SECONDS = 5.0


class Database:
    """Opens the file lazily so that no connection is made before gunicorn forks."""

    def __init__(self, path: str, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._local = threading.local()

    @property
    def db(self) -> sqlite_utils.Database:
        """This process's and thread's connection, opened on first use."""
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:
            self._local.db = self._open()
            self._local.pid = pid
        return self._local.db

    def _open(self) -> sqlite_utils.Database:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we begin transactions ourselves (BEGIN IMMEDIATE),
        # sqlite-utils nests savepoints inside them.
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        return sqlite_utils.Database(conn)

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None and getattr(self._local, "pid", None) == os.getpid():
            db.close()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction that takes the lock up front, so check-then-write is race-free."""
        db = self.db
        if db.conn.in_transaction:
            with db.atomic():
                yield db
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        else:
            db.conn.execute("COMMIT")

    def migrate(self, migrations: Sequence[Migration]) -> list[int]:
        """Apply the numbered migrations not yet applied; safe when several workers start at once."""
        applied: list[int] = []
        with self.transaction() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL "
                "DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
            )
            done = {row[0] for row in db.execute("SELECT number FROM schema_migrations").fetchall()}
            for number, name, statements in sorted(migrations, key=lambda m: m[0]):
                if number in done:
                    continue
                for statement in statements:
                    db.execute(statement)
                db.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)", [number, name])
                applied.append(number)
        if applied:
            log.info("applied migrations %s to %s", applied, self.path)
        return applied
