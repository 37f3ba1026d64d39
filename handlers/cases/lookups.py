"""Who may try a case's second factor (the phone's last 4 digits): limits per LINE user, per case and for all.

Four digits are only 10,000 guesses, so one limit per LINE user is not enough: anyone can open
more LINE accounts. Failures are therefore also counted per case, across every user (the case
number is kept only as a keyed hash, and the digits typed are never kept), and for the whole
service. A case over its limit is locked for everyone for a while; its rightful citizen is asked
to call the office, and staff see the lock on the case page. An unknown case number is counted
and locked exactly like a real one, so the answers never tell whether a case exists.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, iso, parse_iso
from bot.config import Config
from bot.store.database import Database

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class LookupBlock:
    """Why lookups are refused and until when: "user" (this LINE user), "case" (this case), "busy" (all)."""

    kind: str
    until: datetime


@dataclass(frozen=True)
class CaseLock:
    """What staff see about a case locked by failed lookups."""

    since: datetime
    until: datetime
    failures: int


@dataclass(frozen=True)
class LookupLimits:
    per_user: int = 5
    user_lockout: timedelta = timedelta(hours=1)
    per_case: int = 10
    case_lockout: timedelta = timedelta(hours=1)
    overall: int = 200

    @classmethod
    def from_config(cls, config: Config) -> "LookupLimits":
        return cls(
            per_user=max(1, config.lookup_max_failures_per_user),
            user_lockout=timedelta(minutes=max(1, config.lookup_user_lockout_minutes)),
            per_case=max(1, config.lookup_max_failures_per_case),
            case_lockout=timedelta(minutes=max(1, config.lookup_case_lockout_minutes)),
            overall=max(1, config.lookup_max_failures_global),
        )


def normalize_case_no(text: str) -> str:
    """A case number as stored: full-width folded, spaces dropped, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).upper()


class LookupGuard:
    """Counts failed lookups and answers whether the next one may be tried."""

    def __init__(self, database: Database, clock: Clock, config: Config, office_id: str = "") -> None:
        self._database = database
        self._clock = clock
        self._office_id = office_id  # whose case numbers these are ("" the first office's)
        self.limits = LookupLimits.from_config(config)
        # Keyed so that the stored hashes cannot be matched against a list of case numbers without the key.
        self._key = (config.secret_key or "case-lookups").encode()

    def case_key(self, case_no: str) -> str:
        """The normalised case number as it is kept for failed attempts (with its office, except the first
        office's, whose keys stay those from before OFFICES_FILE)."""
        name = normalize_case_no(case_no)
        if self._office_id:
            name = f"{self._office_id}\0{name}"
        return hmac.new(self._key, name.encode(), hashlib.sha256).hexdigest()[:32]

    def block(self, user_id: str, case_no: str | None = None) -> LookupBlock | None:
        """The limit the next lookup by this user (for this case, when known) is over, or None."""
        db, now = self._database.db, self._clock.stamp()
        row = db.execute("SELECT until FROM case_lookup_locks WHERE user_id = ? AND until > ?", [user_id, now]).fetchone()
        if row:
            return LookupBlock("user", parse_iso(row[0]))
        if case_no:
            lock = self._case_lock_row(self.case_key(case_no))
            if lock:
                return LookupBlock("case", parse_iso(lock[1]))
        return self._overall_block()

    def record(self, user_id: str, case_no: str, ok: bool) -> LookupBlock | None:
        """Note an attempt; returns the block this failure begins, if any (case first: it needs the office)."""
        now = self._clock.now()
        key = self.case_key(case_no)
        with self._database.transaction() as db:
            # PostgreSQL: failures of one case, or by one user, are counted one at a time, so the lock
            # begins at exactly the limit however many machines take them.
            self._database.lock(f"lookup-case:{key}", f"lookup-user:{user_id}")
            db.execute("INSERT INTO case_lookups (user_id, case_no, case_key, ok, at, office_id) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       [user_id, normalize_case_no(case_no) if ok else "", key, int(ok), iso(now), self._office_id])
            if ok:
                return None
            since = iso(now - WINDOW)
            case_failures = db.execute("SELECT count(*) FROM case_lookups WHERE case_key = ? AND ok = 0 AND at > ?",
                                       [key, since]).fetchone()[0]
            if case_failures >= self.limits.per_case:
                until = now + self.limits.case_lockout
                db.execute("INSERT INTO case_lookup_case_locks (case_key, since, until, failures) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT(case_key) DO UPDATE SET until = excluded.until, failures = excluded.failures",
                           [key, iso(now), iso(until), case_failures])
                return LookupBlock("case", until)
            user_failures = db.execute("SELECT count(*) FROM case_lookups WHERE user_id = ? AND ok = 0 AND at > ?",
                                       [user_id, since]).fetchone()[0]
            if user_failures >= self.limits.per_user:
                until = now + self.limits.user_lockout
                db.execute("INSERT INTO case_lookup_locks (user_id, until) VALUES (?, ?) "
                           "ON CONFLICT(user_id) DO UPDATE SET until = excluded.until", [user_id, iso(until)])
                return LookupBlock("user", until)
        return self._overall_block()

    def _overall_block(self) -> LookupBlock | None:
        """Too many failures an hour across the whole service: a guessing campaign, pause for everyone."""
        row = self._database.db.execute(
            "SELECT at FROM case_lookups WHERE ok = 0 AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
            [iso(self._clock.now() - WINDOW), self.limits.overall - 1],
        ).fetchone()
        return LookupBlock("busy", parse_iso(row[0]) + WINDOW) if row else None

    def _case_lock_row(self, key: str) -> tuple[str, str, int] | None:
        return self._database.db.execute(
            "SELECT since, until, failures FROM case_lookup_case_locks WHERE case_key = ? AND until > ?",
            [key, self._clock.stamp()],
        ).fetchone()

    def case_lock(self, case_no: str) -> CaseLock | None:
        """For staff: the case's online lookups are locked (since, until, failures), or None."""
        row = self._case_lock_row(self.case_key(case_no))
        return CaseLock(parse_iso(row[0]), parse_iso(row[1]), int(row[2])) if row else None

    def unlock_case(self, case_no: str) -> bool:
        """Staff checked the citizen by phone: lift the lock and forget the case's failures."""
        key = self.case_key(case_no)
        with self._database.transaction() as db:
            db.execute("DELETE FROM case_lookups WHERE case_key = ? AND ok = 0", [key])
            return db.execute("DELETE FROM case_lookup_case_locks WHERE case_key = ?", [key]).rowcount > 0

    def forget(self, days: int = 1) -> int:
        cutoff = iso(self._clock.now() - timedelta(days=days))
        db = self._database.db
        db.execute("DELETE FROM case_lookup_locks WHERE until < ?", [cutoff])
        db.execute("DELETE FROM case_lookup_case_locks WHERE until < ?", [cutoff])
        return db.execute("DELETE FROM case_lookups WHERE ok = 0 AND at < ?", [cutoff]).rowcount
