"""Staff accounts (werkzeug password hashes), server-side sessions, login attempts with lockout, the audit log."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from bot.clock import Clock, iso, parse_iso
from bot.config import Config
from bot.masking import mask
from bot.store.database import Database, Migration
from bot.store.scope import in_offices

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
    (
        46,
        "server-side staff sessions",
        [
            # Only a hash of the cookie's session id is kept, so a copy of the database opens no session.
            """CREATE TABLE staff_sessions (
                id TEXT PRIMARY KEY,
                account_id INTEGER NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                ip TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX staff_sessions_account ON staff_sessions (account_id)",
            "CREATE INDEX login_attempts_pair ON login_attempts (username, ip, id)",
        ],
    ),
    (
        62,
        "an account may belong to one office (several offices, OFFICES_FILE); '' is city-wide",
        ["ALTER TABLE staff_accounts ADD COLUMN office_id TEXT NOT NULL DEFAULT ''"],
    ),
    (
        94,
        "an audit entry belongs to the office whose thing was acted on; '' is the first office (and city-wide)",
        [
            "ALTER TABLE audit_log ADD COLUMN office_id TEXT NOT NULL DEFAULT ''",
            # An office's audit page reads its own entries newest first.
            "CREATE INDEX audit_log_office ON audit_log (office_id, id)",
        ],
    ),
]

USERNAME = re.compile(r"^[A-Za-z0-9._-]{2,32}$")
MIN_PASSWORD = 10
# Long enough for any passphrase, short enough that hashing it cannot be used to tie up a worker.
MAX_PASSWORD = 256
# Passwords every guessing list starts with (OWASP: block common passwords).
COMMON_PASSWORDS = frozenset({
    "password123", "password1234", "1234567890", "0123456789", "qwertyuiop", "qwerty1234", "1q2w3e4r5t",
    "a123456789", "abc1234567", "abcd123456", "iloveyou12", "password12", "passw0rd123", "admin12345",
    "administrator", "1qaz2wsx3edc", "zaq12wsxcde3", "qwerty123456", "11111111111", "welcome123",
})
WINDOW = timedelta(hours=1)
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
    office_id: str = ""  # the one office this account sees; "" sees every office (city-wide)

    @property
    def name(self) -> str:
        return self.display_name or self.username


@dataclass
class LoginResult:
    ok: bool
    account: StaffAccount | None = None
    locked_until: datetime | None = None
    # Which limit refused it ("user+address", "address", "username"), and whether this attempt began it.
    lock: str = ""
    new_lock: bool = False


@dataclass(frozen=True)
class LoginLimits:
    """The sign-in limits (see README, "Staff sign-in (OWASP)")."""

    pair_failures: int = 5          # failures in a row for one username from one address before a lock
    first_lockout: timedelta = timedelta(minutes=15)  # doubled for every further failure after a lock
    max_lockout: timedelta = timedelta(hours=24)
    address_failures: int = 30      # failures an hour from one address (any usernames); a success does not reset
    username_failures: int = 100    # failures an hour for one username from all addresses ...
    slow_down: timedelta = timedelta(seconds=60)  # ... then one try a minute, except from a trusted device

    @classmethod
    def from_config(cls, config: Config) -> "LoginLimits":
        return cls(
            pair_failures=max(1, config.staff_max_login_failures),
            first_lockout=timedelta(minutes=max(1, config.staff_lockout_minutes)),
            max_lockout=timedelta(hours=max(1, config.staff_lockout_max_hours)),
            address_failures=max(1, config.staff_address_max_failures),
            username_failures=max(1, config.staff_username_max_failures),
            slow_down=timedelta(seconds=max(1, config.staff_username_slow_seconds)),
        )


_COLUMNS = "id, username, display_name, is_admin, active, session_version, created_at, last_login_at, office_id"


def _account(row: Any) -> StaffAccount:
    return StaffAccount(row[0], row[1], row[2], bool(row[3]), bool(row[4]), row[5], row[6], row[7], row[8])


def password_problem(password: str, username: str = "") -> str | None:
    """Why a password is not acceptable, or None (any characters allowed, never truncated)."""
    if len(password) < MIN_PASSWORD:
        return f"密碼至少 {MIN_PASSWORD} 個字元"
    if len(password) > MAX_PASSWORD:
        return f"密碼最多 {MAX_PASSWORD} 個字元"
    if password.isdigit() or password.isalpha():
        return "密碼需同時包含字母與數字或符號"
    folded = password.casefold()
    if folded in COMMON_PASSWORDS or len(set(folded)) < 4:
        return "這個密碼太常見，請換一個"
    if username and folded == username.casefold():
        return "密碼不可與帳號相同"
    return None


def _session_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffAccounts:
    """Who may use the staff web, and the failed-login lockout."""

    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock
        self.limits = LoginLimits.from_config(config)
        self.session_length = timedelta(hours=max(1, config.staff_session_hours))

    @property
    def _db(self):  # noqa: ANN202
        return self._database.db

    def add(self, username: str, password: str, *, admin: bool = False, display_name: str = "",
            office_id: str = "") -> StaffAccount:
        """A new account; ValueError for a bad or taken username or a weak password."""
        username = username.strip()
        if not USERNAME.match(username):
            raise ValueError("帳號限 2–32 個英數字、點、底線或連字號")
        problem = password_problem(password, username)
        if problem:
            raise ValueError(problem)
        stamp = self._clock.stamp()
        with self._database.transaction() as db:
            if self.by_username(username):
                raise ValueError(f"帳號 {username} 已存在")
            db.execute(
                "INSERT INTO staff_accounts (username, display_name, password_hash, is_admin, created_at, updated_at, "
                "office_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [username, display_name.strip()[:40], generate_password_hash(password), int(admin), stamp, stamp,
                 office_id],
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
        changed = self._update(username, "active = ?, session_version = session_version + 1", [int(active)])
        self._forget_sessions(username)
        return changed

    def set_admin(self, username: str, admin: bool) -> bool:
        return self._update(username, "is_admin = ?, session_version = session_version + 1", [int(admin)])

    def set_password(self, username: str, password: str) -> bool:
        """A new password; other sessions of the account end."""
        problem = password_problem(password, username)
        if problem:
            raise ValueError(problem)
        changed = self._update(username, "password_hash = ?, session_version = session_version + 1",
                               [generate_password_hash(password)])
        self._forget_sessions(username)
        return changed

    # --- sessions ---------------------------------------------------------------------------
    def start_session(self, account: StaffAccount, ip: str = "") -> str:
        """A new session id for the cookie; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        now = self._clock.now()
        self._db.execute(
            "INSERT INTO staff_sessions (id, account_id, created_at, expires_at, ip) VALUES (?, ?, ?, ?, ?)",
            [_session_key(token), account.id, iso(now), iso(now + self.session_length), ip[:64]],
        )
        return token

    def session_account(self, token: str, account_id: int, version: Any) -> StaffAccount | None:
        """The active account a session cookie names, if that session has not been ended or expired."""
        if not isinstance(token, str) or not token:
            return None
        # Expiry is the signed cookie's own timestamp (Flask checks it against STAFF_SESSION_HOURS on the
        # real clock); expires_at only lets old rows be purged.
        row = self._db.execute("SELECT account_id FROM staff_sessions WHERE id = ?", [_session_key(token)]).fetchone()
        if row is None or row[0] != account_id:
            return None
        account = self.get(account_id)
        if account is None or not account.active or account.session_version != version:
            return None
        return account

    def end_session(self, token: str) -> None:
        """Logout: this session ends for every copy of its cookie."""
        if isinstance(token, str) and token:
            self._db.execute("DELETE FROM staff_sessions WHERE id = ?", [_session_key(token)])

    def sign_out_everywhere(self, username: str) -> bool:
        """End every session of the account, on every device."""
        changed = self._update(username, "session_version = session_version + 1", [])
        self._forget_sessions(username)
        return changed

    def _forget_sessions(self, username: str) -> None:
        self._db.execute("DELETE FROM staff_sessions WHERE account_id IN "
                         "(SELECT id FROM staff_accounts WHERE username = ?)", [username.strip()])

    # --- logging in -----------------------------------------------------------------------
    def locked_until(self, username: str, ip: str = "", trusted: bool = False) -> datetime | None:
        """When the lock on this username from this address ends, or None when a try is allowed."""
        refusal = self._refusal(username.strip().lower(), ip[:64], trusted)
        return refusal[0] if refusal else None

    def _refusal(self, username: str, ip: str, trusted: bool) -> tuple[datetime, str] | None:
        """The latest-ending limit this attempt is over, as (until, which), or None."""
        now = self._clock.now()
        found = [r for r in (self._pair_lock(username, ip, now), self._address_lock(ip, now),
                             None if trusted else self._username_slow(username, now)) if r and r[0] > now]
        return max(found, key=lambda r: r[0]) if found else None

    def _pair_lock(self, username: str, ip: str, now: datetime) -> tuple[datetime, str] | None:
        """Failures in a row for this username from this address: locked, twice as long each time."""
        limits = self.limits
        rows = self._db.execute(
            "SELECT at FROM login_attempts WHERE username = ? AND ip = ? AND at >= ? AND ok = 0 AND id > "
            "coalesce((SELECT max(id) FROM login_attempts WHERE username = ? AND ip = ? AND ok = 1), 0)",
            [username, ip, iso(now - limits.max_lockout), username, ip],
        ).fetchall()
        if len(rows) < limits.pair_failures:
            return None
        length = min(limits.first_lockout * 2 ** min(len(rows) - limits.pair_failures, 20), limits.max_lockout)
        return parse_iso(rows[-1][0]) + length, "user+address"

    def _address_lock(self, ip: str, now: datetime) -> tuple[datetime, str] | None:
        """Failures from one address in the last hour, whatever usernames; successes do not reset it."""
        if not ip:
            return None
        limit = self.limits.address_failures
        rows = self._db.execute(
            "SELECT at FROM login_attempts WHERE ip = ? AND ok = 0 AND at >= ? ORDER BY id DESC LIMIT ?",
            [ip, iso(now - WINDOW), limit],
        ).fetchall()
        return (parse_iso(rows[-1][0]) + WINDOW, "address") if len(rows) >= limit else None

    def _username_slow(self, username: str, now: datetime) -> tuple[datetime, str] | None:
        """Past the hourly limit for a username: one try a minute from devices it never signed in on."""
        limit = self.limits.username_failures
        rows = self._db.execute(
            "SELECT at FROM login_attempts WHERE username = ? AND ok = 0 AND at >= ? ORDER BY id DESC LIMIT ?",
            [username, iso(now - WINDOW), limit],
        ).fetchall()
        return (parse_iso(rows[0][0]) + self.limits.slow_down, "username") if len(rows) >= limit else None

    def _failures_this_hour(self, username: str) -> int:
        return int(self._db.execute("SELECT count(*) FROM login_attempts WHERE username = ? AND ok = 0 AND at >= ?",
                                    [username, iso(self._clock.now() - WINDOW)]).fetchone()[0])

    def authenticate(self, username: str, password: str, ip: str = "", trusted: bool = False) -> LoginResult:
        """Check a login; every checked attempt is recorded, and too many failures refuse tries for a while.

        trusted: the browser carries proof of an earlier sign-in as this username (a device cookie),
        so the per-username limit, which strangers could trigger, does not apply to it.
        """
        username, ip = username.strip()[:64], ip[:64]
        key = username.lower()
        refusal = self._refusal(key, ip, trusted)
        if refusal is not None:
            return LoginResult(False, locked_until=refusal[0], lock=refusal[1])
        row = self._db.execute("SELECT id, password_hash, active FROM staff_accounts WHERE username = ?",
                               [username]).fetchone()
        ok = (len(password) <= MAX_PASSWORD
              and check_password_hash(row[1] if row else _DUMMY_HASH, password)
              and bool(row and row[2]))
        stamp = self._clock.stamp()
        self._db.execute("INSERT INTO login_attempts (username, ip, ok, at) VALUES (?, ?, ?, ?)",
                         [key, ip, int(ok), stamp])
        if not ok:
            refusal = self._refusal(key, ip, trusted)
            # The username limit slows every try past it; only crossing it is news worth auditing.
            crossed = self._failures_this_hour(key) == self.limits.username_failures
            if refusal is None:
                return LoginResult(False, lock="username" if crossed else "", new_lock=crossed)
            return LoginResult(False, locked_until=refusal[0], lock=refusal[1],
                               new_lock=refusal[1] != "username" or crossed)
        self._db.execute("UPDATE staff_accounts SET last_login_at = ? WHERE id = ?", [stamp, row[0]])
        return LoginResult(True, self.get(row[0]))

    def forget_attempts_before(self, days: int = 30) -> int:
        cutoff = iso(self._clock.now() - timedelta(days=days))
        self._db.execute("DELETE FROM staff_sessions WHERE expires_at < ?", [cutoff])
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
    office_id: str = ""  # the office acted for, as office_id columns store it ("" is the first office)


class AuditLog:
    """What staff did: logins, views, replies, status changes, account changes."""

    def __init__(self, database: Database, clock: Clock, config: Config) -> None:
        self._database = database
        self._clock = clock

    def record(self, actor: str, action: str, target: str = "", detail: str = "", ip: str = "", *,
               office_id: str = "") -> None:
        """One entry; office_id: the office whose thing it was ("" for the first office and city-wide actions)."""
        self._database.db.execute(
            "INSERT INTO audit_log (at, actor, action, target, detail, ip, office_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [self._clock.stamp(), actor[:64], action[:40], str(target)[:120], mask(detail)[:500], ip[:64],
             office_id[:32]],
        )

    def entries(self, *, actor: str = "", action: str = "", offices: tuple[str, ...] | None = None,
                limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        """Newest first; offices: only these offices' entries (None: every office's)."""
        clauses, params = ["1 = 1"], []
        if actor:
            clauses.append("actor = ?")
            params.append(actor)
        if action:
            clauses.append("action = ?")
            params.append(action)
        scope, scope_params = in_offices(offices)
        rows = self._database.db.execute(
            "SELECT id, at, actor, action, target, detail, ip, office_id FROM audit_log "
            f"WHERE {' AND '.join(clauses)}{scope} ORDER BY id DESC LIMIT ? OFFSET ?",
            [*params, *scope_params, limit, offset],
        ).fetchall()
        return [AuditEntry(*r) for r in rows]

    def actions(self) -> list[str]:
        return [r[0] for r in self._database.db.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]
