"""Staff accounts (werkzeug password hashes), login attempts with lockout, and the audit log."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from bot.clock import Clock, iso, parse_iso
from bot.config import Config
from bot.masking import mask
from bot.store.database import Database, Migration

MIGRATIONS: list[Migration] = [
    (
        42,
        "staff accounts and login attempts",
        [
            """CREATE TABLE staff_accounts (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                display_name TEXT NOT NULL DEFAULT '',
                password_hash TEXT NOT NULL,
                is_admin INTEGER NOT NULL DEFAULT 0,
                active INTEGER NOT NULL DEFAULT 1,
                session_version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                last_login_at TEXT
            )""",
            """CREATE TABLE login_attempts (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL,
                ip TEXT NOT NULL DEFAULT '',
                ok INTEGER NOT NULL,
                at TEXT NOT NULL
            )""",
            "CREATE INDEX login_attempts_user ON login_attempts (username, at)",
            "CREATE INDEX login_attempts_ip ON login_attempts (ip, at)",
        ],
    ),
    (
        43,
        "audit log",
        [
            """CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NOT NULL DEFAULT '',
                detail TEXT NOT NULL DEFAULT '',
                ip TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX audit_log_at ON audit_log (at)",
        ],
    ),
]

USERNAME = re.compile(r"^[A-Za-z0-9._-]{2,32}$")
MIN_PASSWORD = 10
# Failed logins from one address before it is locked out too (guessing many usernames).
IP_FAILURE_FACTOR = 10
# Checked when the username is unknown, so both answers take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")


@dataclass
class StaffAccount:
    id: int
    username: str
    display_name: str
    is_admin: bool
    active: bool
    session_version: int
    created_at: str
    last_login_at: str | None

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass
class LoginResult:
    ok: bool
    account: StaffAccount | None = None
    locked_until: datetime | None = None


_COLUMNS = "id, username, display_name, is_admin, active, session_version, created_at, last_login_at"


def _account(row: Any) -> StaffAccount:
    return StaffAccount(row[0], row[1], row[2], bool(row[3]), bool(row[4]), row[5], row[6], row[7])


def password_problem(password: str) -> str | None:
    """Why a password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密碼至少 {MIN_PASSWORD} 個字元"
    if password.isdigit() or password.isalpha():
        return "密碼需同時包含字母與數字或符號"
    return None


class StaffAccounts:
    """Who may use the staff web, and the failed-login lockout."""

    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock
        self.max_failures = max(1, config.staff_max_login_failures)
        self.lockout = timedelta(minutes=max(1, config.staff_lockout_minutes))

    @property
    def _db(self):  # noqa: ANN202
        return self._database.db

    def add(self, username: str, password: str, *, admin: bool = False, display_name: str = "") -> StaffAccount:
        """A new account; ValueError for a bad or taken username or a weak password."""
        username = username.strip()
        if not USERNAME.match(username):
            raise ValueError("帳號限 2–32 個英數字、點、底線或連字號")
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
        stamp = self._clock.stamp()
        with self._database.transaction() as db:
            if self.by_username(username):
                raise ValueError(f"帳號 {username} 已存在")
            db.execute(
                "INSERT INTO staff_accounts (username, display_name, password_hash, is_admin, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [username, display_name.strip()[:40], generate_password_hash(password), int(admin), stamp, stamp],
            )
        account = self.by_username(username)
        assert account is not None
        return account

    def get(self, account_id: int) -> StaffAccount | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM staff_accounts WHERE id = ?", [account_id]).fetchone()
        return _account(row) if row else None

    def by_username(self, username: str) -> StaffAccount | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM staff_accounts WHERE username = ?",
                               [username.strip()]).fetchone()
        return _account(row) if row else None

    def all(self) -> list[StaffAccount]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM staff_accounts ORDER BY active DESC, username").fetchall()
        return [_account(r) for r in rows]

    def active_accounts(self) -> list[StaffAccount]:
        return [a for a in self.all() if a.active]

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM staff_accounts").fetchone()[0])

    def _update(self, username: str, sql: str, params: list[Any]) -> bool:
        cursor = self._db.execute(f"UPDATE staff_accounts SET {sql}, updated_at = ? WHERE username = ?",
                                  [*params, self._clock.stamp(), username.strip()])
        return cursor.rowcount == 1

    def set_active(self, username: str, active: bool) -> bool:
        """Disable or enable; disabling also ends the account's sessions."""
        return self._update(username, "active = ?, session_version = session_version + 1", [int(active)])

    def set_admin(self, username: str, admin: bool) -> bool:
        return self._update(username, "is_admin = ?, session_version = session_version + 1", [int(admin)])

    def set_password(self, username: str, password: str) -> bool:
        """A new password; other sessions of the account end."""
        problem = password_problem(password)
        if problem:
            raise ValueError(problem)
        return self._update(username, "password_hash = ?, session_version = session_version + 1",
                            [generate_password_hash(password)])

    # --- logging in -----------------------------------------------------------------------
    def locked_until(self, username: str, ip: str = "") -> datetime | None:
        """When a lockout for this username (or this address) ends, or None when not locked."""
        now = self._clock.now()
        since = iso(now - self.lockout)
        checks = [("username", username.strip().lower(), self.max_failures)]
        if ip:
            checks.append(("ip", ip, self.max_failures * IP_FAILURE_FACTOR))
        until: datetime | None = None
        for column, value, limit in checks:
            rows = self._db.execute(
                f"SELECT ok, at FROM login_attempts WHERE {column} = ? AND at >= ? ORDER BY id",
                [value, since],
            ).fetchall()
            failures: list[str] = []
            for ok, at in rows:
                failures = [] if ok else [*failures, at]
            if len(failures) >= limit:
                end = parse_iso(failures[-1]) + self.lockout
                until = max(until, end) if until else end
        return until

    def authenticate(self, username: str, password: str, ip: str = "") -> LoginResult:
        """Check a login; every attempt is recorded, and too many failures lock the account for a while."""
        username = username.strip()[:64]
        locked = self.locked_until(username, ip)
        if locked is not None:
            return LoginResult(False, locked_until=locked)
        row = self._db.execute("SELECT id, password_hash, active FROM staff_accounts WHERE username = ?",
                               [username]).fetchone()
        ok = check_password_hash(row[1] if row else _DUMMY_HASH, password) and bool(row and row[2])
        stamp = self._clock.stamp()
        self._db.execute("INSERT INTO login_attempts (username, ip, ok, at) VALUES (?, ?, ?, ?)",
                         [username.lower(), ip[:64], int(ok), stamp])
        if not ok:
            return LoginResult(False, locked_until=self.locked_until(username, ip))
        self._db.execute("UPDATE staff_accounts SET last_login_at = ? WHERE id = ?", [stamp, row[0]])
        return LoginResult(True, self.get(row[0]))

    def forget_attempts_before(self, days: int = 30) -> int:
        cutoff = iso(self._clock.now() - timedelta(days=days))
        return self._db.execute("DELETE FROM login_attempts WHERE at < ?", [cutoff]).rowcount


@dataclass
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    target: str
    detail: str
    ip: str


class AuditLog:
    """What staff did: logins, views, replies, status changes, account changes."""

    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock

    def record(self, actor: str, action: str, target: str = "", detail: str = "", ip: str = "") -> None:
        self._database.db.execute(
            "INSERT INTO audit_log (at, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)",
            [self._clock.stamp(), actor[:64], action[:40], str(target)[:120], mask(detail)[:500], ip[:64]],
        )

    def entries(self, *, actor: str = "", action: str = "", limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        clauses, params = [], []
        if actor:
            clauses.append("actor = ?")
            params.append(actor)
        if action:
            clauses.append("action = ?")
            params.append(action)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._database.db.execute(
            f"SELECT id, at, actor, action, target, detail, ip FROM audit_log {where} ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [AuditEntry(*r) for r in rows]

    def actions(self) -> list[str]:
        return [r[0] for r in self._database.db.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]
