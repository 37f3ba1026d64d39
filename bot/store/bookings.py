"""Counter appointments: slots, seats, bookings and attendance."""
from __future__ import annotations

from bot.clock import Clock
from bot.config import Config
from bot.store.database import Database, Migration

MIGRATIONS: list[Migration] = []


class Bookings:
    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock
        self._config = config
