"""One store: the kernel's tables, and the tables each feature declares as a StorePart.

The kernel's parts (users, events, conversations, the message log, accepted webhook events, the outbox,
staff accounts and the audit log, office details, the knowledge version, retention) are always there.
A feature's part (handlers/<feature>/store.py) is named in its Feature declaration and reaches the store
through bot.registry.open_store(); it becomes an attribute under its name (store.bookings, store.inbox),
its migrations join the kernel's, and its retention rules join the daily purge.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from bot.clock import Clock
from bot.config import Config
from bot.store import core, inbound, knowledge_state, office, outbox, retention, staff
from bot.store.database import BUSY_TIMEOUT_SECONDS, Database, Migration, open_database
from bot.store.errors import Busy, Conflict, StoreError
from bot.store.retention import Rule
from bot.store.scope import in_offices

# Migration numbers: core 1-9, faq 10-19, cases and outbox 20-29, bookings 30-39, inbox 40-49,
# retention 50-54, office details 61-64, knowledge version 70-74, accepted webhook events 80-84,
# tables without a kind constraint 90-93, the audit log's office 94 (push counts per channel: 26).
# A feature's part keeps its own range.
KERNEL_MIGRATIONS: list[Migration] = [
    *core.MIGRATIONS,
    *outbox.MIGRATIONS,
    *staff.MIGRATIONS,
    *retention.MIGRATIONS,
    *office.MIGRATIONS,
    *knowledge_state.MIGRATIONS,
    *inbound.MIGRATIONS,
]


@dataclass(frozen=True)
class StorePart:
    """A feature's tables as the kernel sees them: made from the database, the clock and the settings.

    user_tables: (table, column) holding a user id, emptied when retention forgets an inactive user.
    keeps_user: SQL conditions on `u.user_id` (and :day, the cutoff's local day) under which a user
    still has business here and is not forgotten.
    """

    name: str
    make: Callable[[Database, Clock, Config], Any]
    migrations: Sequence[Migration] = ()
    retention: Sequence[Rule] = ()
    user_tables: Sequence[tuple[str, str]] = ()
    keeps_user: Sequence[str] = ()


class Store:
    """The database (the SQLite file, or PostgreSQL with DATABASE_URL) and every part's view of it."""

    def __init__(self, path: str, clock: Clock | None = None, config: Config | None = None,
                 busy_timeout: float = BUSY_TIMEOUT_SECONDS, parts: Iterable[StorePart] = ()) -> None:
        self.config = config or Config(database_path=path)
        self.clock = clock or Clock(self.config.office_timezone)
        self.database = open_database(path, self.config.database_url, busy_timeout=busy_timeout,
                                      pool_size=self.config.database_pool_size)
        self.parts = tuple(parts)
        self.users = core.Users(self.database, self.clock)
        self.events = core.Events(self.database, self.clock)
        self.inbound = inbound.Inbound(self.database, self.clock, self.config.inbound_lease_seconds)
        self.conversations = core.Conversations(
            self.database, self.clock, self.config.conversation_timeout_minutes
        )
        self.messages = core.MessageLog(self.database, self.clock, self.config.message_log_retention_days)
        self.outbox = outbox.Outbox(self.database, self.clock, self.config)
        self.staff = staff.StaffAccounts(self.database, self.clock, self.config)
        self.audit = staff.AuditLog(self.database, self.clock, self.config)
        self.office = office.OfficeDetails(self.database, self.clock, self.config)
        self.knowledge = knowledge_state.KnowledgeState(self.database)
        for part in self.parts:
            if hasattr(self, part.name):
                raise ValueError(f"store part {part.name!r} is declared twice or shadows the kernel's")
            setattr(self, part.name, part.make(self.database, self.clock, self.config))
        self.retention = retention.Retention(
            self.database, self.clock, self.config, self.messages,
            rules=[rule for part in self.parts for rule in part.retention],
            user_tables=[table for part in self.parts for table in part.user_tables],
            keeps_user=[condition for part in self.parts for condition in part.keeps_user],
        )

    def __getattr__(self, name: str) -> Any:
        # Only reached for a name no part set: say which parts this store was opened with.
        raise AttributeError(f"this store has no part {name!r} (open it with bot.registry.open_store; "
                             f"parts: {[p.name for p in self.__dict__.get('parts', ())]})")

    @property
    def db(self):  # noqa: ANN201 - sqlite_utils.Database
        return self.database.db

    def migrations(self) -> list[Migration]:
        return [*KERNEL_MIGRATIONS, *(m for part in self.parts for m in part.migrations)]

    def migrate(self) -> list[int]:
        return self.database.migrate(self.migrations())

    def transaction(self):  # noqa: ANN201 - context manager
        return self.database.transaction()

    def ping(self) -> bool:
        """True when the database answers."""
        return self.db.execute("SELECT 1").fetchone() == (1,)

    def close(self) -> None:
        self.database.close()

    def release(self) -> None:
        """Close this process's connections but stay usable: they reopen on next use (after a fork)."""
        self.database.release()


__all__ = ["Busy", "Conflict", "Database", "Migration", "Rule", "Store", "StoreError", "StorePart", "in_offices"]
