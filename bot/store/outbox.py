"""Messages to push later: one row each, sent once by the dispatcher."""
from __future__ import annotations

from bot.clock import Clock
from bot.config import Config
from bot.store.database import Database, Migration

MIGRATIONS: list[Migration] = []


class Outbox:
    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock
        self._config = config
