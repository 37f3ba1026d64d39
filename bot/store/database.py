"""The SQLite file: one connection per process and thread, WAL, numbered migrations."""
from __future__ import annotations

import fcntl
import logging
import os
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

import sqlite_utils

from bot.store.errors import Busy, Conflict, StoreError

log = logging.getLogger(__name__)

Migration = tuple[int, str, Sequence[str]]
BUSY_TIMEOUT_SECONDS = 5.0


PRIVATE_MODE = 0o600


def private_file(path: str, create: bool = True) -> None:
    """The file readable and writable by this account only: created so (an empty file is an empty
    SQLite database), or tightened if an older deployment made it 0644."""
    if create:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_MODE))
            return
        except FileExistsError:
            pass
        except OSError:
            log.warning("could not create %s with mode 0600", path)
            return
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, PRIVATE_MODE)
    except FileNotFoundError:
        pass
    except OSError:
        log.warning("%s is readable by other accounts and could not be made private", path)


class WriterLock:
    """Queues writers before SQLite does: threads on a lock, processes on a lock file beside the database.

    SQLite's own busy handler retries after sleeps of 1, 2, 5, 10, 15, 20, 25 ... ms, which favours
    whoever asks again first: under a few hundred write transactions a second from two web workers,
    one process's threads kept the database while the other's waited for seconds (benchmarks/README.md).
    A blocking flock() is queued by the kernel and wakes the waiter as soon as the file is unlocked.
    Both waits still end after the busy timeout, with the same error SQLite would raise.
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._pid: int | None = None
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    def _for_this_process(self) -> None:
        """A fresh lock and lock file descriptor after a fork: the parent's are not ours."""
        if self._pid == os.getpid():
            return
        if self._fd is not None:
            os.close(self._fd)
        self._thread_lock, self._fd, self._pid = threading.Lock(), None, os.getpid()

    @contextmanager
    def hold(self, timeout: float) -> Iterator[None]:
        self._for_this_process()
        deadline = time.monotonic() + timeout
        if not self._thread_lock.acquire(timeout=timeout):
            raise Busy("database is locked (another thread of this process is writing)")
        try:
            fd = self._lock_file()
            if fd is not None and not _flock(fd, deadline - time.monotonic()):
                raise Busy("database is locked (another process is writing)")
            try:
                yield
            finally:
                if fd is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def _lock_file(self) -> int | None:
        if self.path is None:
            return None
        if self._fd is None:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_MODE)
                private_file(self.path, create=False)
            except OSError:
                log.warning("no lock file at %s: writers queue in SQLite only", self.path)
                self.path = None
        return self._fd


def _flock(fd: int, timeout: float) -> bool:
    """Lock the file, waiting in the kernel's queue for at most `timeout` seconds."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    # flock() itself has no time-out: a helper thread waits in it, and hands the lock back if we gave up.
    done, guard, state = threading.Event(), threading.Lock(), {"abandoned": False}

    def wait_in_kernel() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with guard:
            if state["abandoned"]:
                fcntl.flock(fd, fcntl.LOCK_UN)
            else:
                done.set()

    threading.Thread(target=wait_in_kernel, name="db-lock-wait", daemon=True).start()
    if done.wait(max(0.0, timeout)):
        return True
    with guard:
        if done.is_set():
            return True
        state["abandoned"] = True
    return False


def store_error(exc: sqlite3.Error) -> sqlite3.Error:
    """SQLite's exception as the store's own (Busy, Conflict, StoreError), as PostgreSQL's are."""
    if isinstance(exc, (StoreError, Conflict)):
        return exc
    if isinstance(exc, sqlite3.IntegrityError):
        return Conflict(str(exc))
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        return Busy(text) if "locked" in text or "busy" in text else StoreError(text)
    return exc


class _Connection(sqlite3.Connection):
    """A connection whose statements fail with the store's errors: views catch StoreError on either engine."""

    def execute(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return super().execute(*args)
        except sqlite3.Error as exc:
            raise store_error(exc) from exc

    def executemany(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return super().executemany(*args)
        except sqlite3.Error as exc:
            raise store_error(exc) from exc


class Database:
    """Opens the file lazily so that no connection is made before gunicorn forks."""

    dialect = "sqlite"
    skip_locked = ""  # one writer at a time already: nothing to skip

    def lock(self, *keys: str) -> None:
        """Row-level intent, for PostgreSQL; BEGIN IMMEDIATE has already made this transaction the only writer."""

    def __init__(self, path: str, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self._local = threading.local()
        self._writers = WriterLock(None if path == ":memory:" else f"{path}.lock")

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
            Path(self.path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            private_file(self.path)
        # isolation_level=None: we begin transactions ourselves (BEGIN IMMEDIATE),
        # sqlite-utils nests savepoints inside them.
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False,
            factory=_Connection,
        )
        # Switching a new file to WAL needs SQLite's exclusive lock, and a connection that meets another's
        # write in the old journal mode gets "database is locked" at once, without its busy wait: workers
        # starting together switch it in turn, behind the writers' queue.
        with self._writers.hold(self.busy_timeout):
            conn.execute("PRAGMA journal_mode=WAL")
        if self.path != ":memory:":
            for suffix in ("-wal", "-shm"):  # SQLite gives them the database's mode; older files may differ
                private_file(self.path + suffix, create=False)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        return sqlite_utils.Database(conn)

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None and getattr(self._local, "pid", None) == os.getpid():
            db.close()
        self._local = threading.local()

    def release(self) -> None:
        """Close this thread's connection before a fork: a child must never inherit an open SQLite handle."""
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction that takes the lock up front, so check-then-write is race-free.

        Writers queue on a WriterLock first, so SQLite's sleeping busy wait is rarely reached.
        """
        db = self.db
        if db.conn.in_transaction:
            with db.atomic():
                yield db
            return
        with self._writers.hold(self.busy_timeout):
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
            else:
                try:
                    db.conn.execute("COMMIT")
                except BaseException:
                    if db.conn.in_transaction:  # never leave the connection holding SQLite's write lock
                        db.conn.execute("ROLLBACK")
                    raise

    def write(self, sql: str, params: Sequence[Any] = ()) -> tuple[int, list[Any]]:
        """One statement as its own transaction: (rows changed, rows it returned).

        SQLite makes a lone statement atomic by itself, so there is no BEGIN and no COMMIT to send: each
        statement lets go of the GIL and, with threads busy in Python, waits its turn to get it back, all
        while holding the write lock the other writers queue on. Inside a transaction it is one more
        statement of it.
        """
        db = self.db
        if db.conn.in_transaction:
            cursor = db.conn.execute(sql, params)
            return cursor.rowcount, cursor.fetchall()
        with self._writers.hold(self.busy_timeout):
            cursor = db.conn.execute(sql, params)
            rows = cursor.fetchall()  # a RETURNING statement is done (and committed) once read to the end
            return cursor.rowcount, rows

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


def write_alone(database: "Database | Any", sql: str, params: Sequence[Any] = ()) -> tuple[int, list[Any]]:
    """One statement as its own transaction on either engine: SQLite's lone statement (`Database.write`), else a
    transaction of one (inside the caller's transaction, one more statement of it)."""
    write = getattr(database, "write", None)
    if write is not None:
        return write(sql, params)
    with database.transaction() as db:
        cursor = db.execute(sql, params)
        return cursor.rowcount, cursor.fetchall() if re.search(r"\bRETURNING\b", sql) else []


def open_database(path: str, url: str = "", busy_timeout: float = BUSY_TIMEOUT_SECONDS,
                  pool_size: int = 10) -> "Database | Any":
    """PostgreSQL when a postgresql:// URL is given (no SQLite file is made), else the SQLite file."""
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            raise ValueError("DATABASE_URL must start with postgresql://")
        from bot.store.postgres import PgDatabase  # psycopg is imported only when it is used

        return PgDatabase(url, busy_timeout=busy_timeout, pool_size=pool_size)
    return Database(path, busy_timeout=busy_timeout)
