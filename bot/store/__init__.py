"""One store with intention-revealing methods, grouped by feature."""
from __future__ import annotations

from bot.clock import Clock
from bot.config import Config
from bot.store import bookings, cases, core, faq_log, inbox, outbox
from bot.store import inbound, kb_review, office, retention, staff, surveys
from bot.store.database import BUSY_TIMEOUT_SECONDS, Database, Migration, open_database
from bot.store.errors import Busy, Conflict, StoreError

# Migration numbers: core 1-9, faq 10-19, cases and outbox 20-29, bookings 30-39, inbox 40-49,
# retention 50-54, office details 61-64, accepted webhook events 80-84.
ALL_MIGRATIONS: list[Migration] = [
    *core.MIGRATIONS,
    *faq_log.MIGRATIONS,
    *cases.MIGRATIONS,
    *outbox.MIGRATIONS,
    *bookings.MIGRATIONS,
    *inbox.MIGRATIONS,
    *staff.MIGRATIONS,
    *surveys.MIGRATIONS,
    *kb_review.MIGRATIONS,
    *retention.MIGRATIONS,
    *office.MIGRATIONS,
    *inbound.MIGRATIONS,
]


class Store:
    """The database (the SQLite file, or PostgreSQL with DATABASE_URL) and every feature's view of it."""

    def __init__(self, path: str, clock: Clock | None = None, config: Config | None = None,
                 busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.config = config or Config(database_path=path)
        self.clock = clock or Clock(self.config.office_timezone)
        self.database = open_database(path, self.config.database_url, busy_timeout=busy_timeout,
                                      pool_size=self.config.database_pool_size)
        self.users = core.Users(self.database, self.clock)
        self.events = core.Events(self.database, self.clock)
        self.inbound = inbound.Inbound(self.database, self.clock, self.config.inbound_lease_seconds)
        self.conversations = core.Conversations(
            self.database, self.clock, self.config.conversation_timeout_minutes
        )
        self.messages = core.MessageLog(self.database, self.clock, self.config.message_log_retention_days)
        self.faq = faq_log.FaqLog(self.database, self.clock, self.config)
        self.cases = cases.Cases(self.database, self.clock, self.config)
        self.outbox = outbox.Outbox(self.database, self.clock, self.config)
        self.bookings = bookings.Bookings(self.database, self.clock, self.config)
        self.inbox = inbox.Inbox(self.database, self.clock, self.config)
        self.staff = staff.StaffAccounts(self.database, self.clock, self.config)
        self.audit = staff.AuditLog(self.database, self.clock, self.config)
        self.surveys = surveys.Surveys(self.database, self.clock, self.config)
        self.kb_review = kb_review.KbReview(self.database, self.clock, self.config)
        self.office = office.OfficeDetails(self.database, self.clock, self.config)
        self.retention = retention.Retention(self.database, self.clock, self.config, self.messages)

    @property
    def db(self):  # noqa: ANN201 - sqlite_utils.Database
        return self.database.db

    def migrate(self) -> list[int]:
        return self.database.migrate(ALL_MIGRATIONS)

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
