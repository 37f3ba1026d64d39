"""The store's own errors, the same on both engines.

They derive from sqlite3's classes so that code written against SQLite (`except sqlite3.IntegrityError`,
a dashboard's `except sqlite3.OperationalError`) keeps working when the store runs on PostgreSQL.
"""
from __future__ import annotations

import sqlite3


class StoreError(sqlite3.OperationalError):
    """The database could not do what was asked."""


class Busy(StoreError):
    """Another writer held what was needed for longer than the busy time-out (or the server is away)."""


class Conflict(sqlite3.IntegrityError):
    """A uniqueness or other constraint refused the write."""
