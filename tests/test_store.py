"""The store: one SQLite file, WAL, migrations once, transactions, masked log with retention."""
from __future__ import annotations

import threading

import pytest

from bot.clock import FakeClock
from bot.registry import open_store
from tests.conftest import START


@pytest.mark.sqlite_only("WAL is SQLite's journal; tests/test_postgres.py migrates an empty PostgreSQL database")
def test_migrations_run_once_and_the_database_uses_wal(tmp_path):
    store = open_store(str(tmp_path / "a" / "bot.sqlite3"))
    assert store.migrate()  # the folder is created, migrations applied
    assert store.migrate() == []
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"users", "processed_events", "conversations", "message_log"} <= set(store.db.table_names())


def test_several_workers_starting_at_once_migrate_safely(tmp_path):
    path = str(tmp_path / "bot.sqlite3")
    errors: list[BaseException] = []

    def start() -> None:
        try:
            open_store(path).migrate()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = [r[0] for r in open_store(path).db.execute("SELECT number FROM schema_migrations").fetchall()]
    assert len(numbers) == len(set(numbers))


def test_a_failed_transaction_leaves_nothing_behind(tmp_path):
    store = open_store(str(tmp_path / "bot.sqlite3"))
    store.migrate()
    try:
        with store.transaction() as db:
            db.execute("INSERT INTO processed_events VALUES ('e1', 'now')")
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert store.db.execute("SELECT count(*) FROM processed_events").fetchone()[0] == 0


def test_the_message_log_masks_id_and_phone_numbers_and_forgets_old_entries(tmp_path):
    clock = FakeClock(START)
    store = open_store(str(tmp_path / "bot.sqlite3"), clock=clock)
    store.migrate()
    store.messages.add("U1", "in", "text", "我是A123456789，電話0912345678")
    logged = store.messages.recent("U1")[0]["text"]
    assert "A123456789" not in logged and "0912345678" not in logged
    clock.advance(days=store.messages.retention_days + 1)
    assert store.messages.purge() == 1


def test_an_event_id_is_handled_only_the_first_time(tmp_path):
    store = open_store(str(tmp_path / "bot.sqlite3"))
    store.migrate()
    assert store.events.first_time("ev1")
    assert not store.events.first_time("ev1")


def test_no_connection_is_opened_until_first_use(tmp_path):
    path = tmp_path / "lazy.sqlite3"
    open_store(str(path))
    assert not path.exists()


def test_the_store_fails_with_its_own_errors_on_either_engine(store):
    """Views catch Busy / Conflict / StoreError, never an engine's exception."""
    from bot.store.errors import Conflict, StoreError
    store.users.ensure("U" + "a" * 32)
    with pytest.raises(Conflict):
        with store.transaction() as db:
            db.execute("INSERT INTO users (user_id) VALUES (?)", ["U" + "a" * 32])
    with pytest.raises(StoreError):
        store.db.execute("SELECT no_such_column FROM users").fetchall()


@pytest.mark.sqlite_only("SQLite's own write lock held by a second connection of one file")
def test_a_writer_held_too_long_ends_as_busy(tmp_path):
    from bot.store.errors import Busy
    first = open_store(str(tmp_path / "busy.db"), busy_timeout=0.2)
    first.migrate()
    second = open_store(str(tmp_path / "busy.db"), busy_timeout=0.2)
    with first.transaction():
        with pytest.raises(Busy):
            # Outside the kernel's writer queue, SQLite's own lock answers (a second process's view).
            second.db.execute("BEGIN IMMEDIATE")
    first.close()
    second.close()


def test_lone_writes_from_many_threads_all_land_each_caller_with_its_own_result_or_error(store):
    """Lone statements (write_alone) released at once from behind a transaction: none lost, none mixed up."""
    from bot.store.database import write_alone
    from bot.store.errors import Conflict
    store.users.ensure("Utaken")
    insert = "INSERT INTO users (user_id, created_at, updated_at) VALUES (?, 'now', 'now') RETURNING user_id"
    names = [f"U{i:03d}" if i % 4 else "Utaken" for i in range(48)]
    outcomes: dict[str, list[object]] = {}
    start = threading.Barrier(len(names) + 1)

    def write(name: str) -> None:
        start.wait()
        try:
            outcomes.setdefault(name, []).append(write_alone(store.database, insert, [name]))
        except Conflict as exc:
            outcomes.setdefault(name, []).append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in names]
    for t in threads:
        t.start()
    with store.transaction():  # the writers queue behind a transaction, then all go at once
        start.wait()
    for t in threads:
        t.join()
    fresh = [n for n in names if n != "Utaken"]
    assert all([(count, [tuple(row) for row in rows]) for count, rows in outcomes[n]] == [(1, [(n,)])]
               for n in fresh)
    assert len(outcomes["Utaken"]) == 12 and all(isinstance(o, Conflict) for o in outcomes["Utaken"])
    landed = {r[0] for r in store.db.execute("SELECT user_id FROM users").fetchall()}
    assert set(fresh) | {"Utaken"} <= landed

