"""The store seam: the kernel's tables stand alone, each feature brings its own tables as a StorePart."""
from __future__ import annotations

import re

import pytest

from bot import registry
from bot.store import KERNEL_MIGRATIONS, Conflict, Store
from handlers.inbox.kinds import KINDS, PREFIXES, THREAD_KINDS


def _tables_created(migrations) -> set[str]:
    return {name for _, _, statements in migrations for sql in statements
            for name in re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", sql)}


def test_the_kernel_store_migrates_without_any_feature(config, clock):
    store = Store(config.database_path, clock=clock, config=config)
    store.migrate()
    assert store.parts == ()
    assert store.ping()
    with pytest.raises(AttributeError, match="open it with bot.registry.open_store"):
        store.bookings  # noqa: B018 - a feature's part is not the kernel's
    assert store.retention.run() is not None  # the purge runs on the kernel's tables alone


def test_each_features_tables_are_made_by_its_own_part_and_no_table_twice():
    kernel = _tables_created(KERNEL_MIGRATIONS)
    seen = set(kernel)
    for part in registry.store_parts():
        mine = _tables_created(part.migrations)
        assert mine, f"{part.name} declares no table"
        assert not mine & seen, f"{part.name} creates a table someone else does: {mine & seen}"
        seen |= mine
    assert {"threads", "bookings", "cases", "surveys", "faq_log", "kb_reviewed"} <= seen - kernel


def test_migration_numbers_are_unique_across_the_kernel_and_the_features(config, clock):
    numbers = [n for n, _, _ in registry.open_store(config=config, clock=clock).migrations()]
    assert len(numbers) == len(set(numbers))


def test_the_store_opened_through_the_registry_has_every_features_part(config, clock):
    store = registry.open_store(config=config, clock=clock)
    store.migrate()
    assert {p.name for p in store.parts} == {"inbox", "faq", "kb_review", "cases", "bookings", "surveys"}
    assert store.inbox.due_days == {"question": 1, "complaint": 6, "home_visit": 3}
    settings = store.retention.windows()
    assert {"retention_closed_thread_days", "retention_booking_days", "retention_conversation_days",
            "retention_inactive_user_days"} <= set(settings)


def _insert_thread(store, ref: str, kind: str, status: str = "new") -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO threads (ref, global_ref, kind, user_id, status, created_at, updated_at, due_at) "
                   "VALUES (?, ?, ?, 'U1', ?, ?, ?, ?)",
                   [ref, ref, kind, status, "2026-12-03T09:00:00Z", "2026-12-03T09:00:00Z", "2026-12-04T09:00:00Z"])


def test_a_new_thread_kind_is_one_row_of_the_kinds_table(config, clock):
    """The threads table takes any kind (no CHECK constraint): a kind is declared in kinds.py alone."""
    store = registry.open_store(config=config, clock=clock)
    store.migrate()
    assert KINDS == tuple(k.name for k in THREAD_KINDS) and set(PREFIXES) == set(KINDS)
    _insert_thread(store, "A-2026-0001", "address_change")
    assert store.db.execute("SELECT kind FROM threads WHERE ref = 'A-2026-0001'").fetchone()[0] == "address_change"
    with pytest.raises(Conflict):  # the status check is kept
        _insert_thread(store, "A-2026-0002", "question", status="bogus")
