"""Applications (cases), their status history, lookups and the users who follow them.

The one way a case changes, whether from the CSV import, POST /api/cases or the staff web:

    store.cases.apply_update(case_no, status, *, service=None, phone_last4=None, updated_at=None,
                             missing=None, pickup_by=None, source="staff") -> UpdateResult

    status       a code in STATUSES (received, reviewing, need_documents, ready, picked_up, cancelled)
                 or its zh-TW / English label (可領件, "Ready for pickup").
    service      what was applied for; required for a new case, None keeps the current one.
    phone_last4  the last 4 digits of the applicant's phone (the citizen's second factor); required
                 for a new case, None keeps it. No full phone or ID number is ever stored.
    updated_at   when the office's system changed the case (datetime, or text such as
                 "2026-12-01 10:00", "2026-12-01T10:00:00+08:00", ROC "115/12/01 10:00"; a time without
                 a zone is office time); None means now. An update older than the stored one is "stale"
                 and ignored, so out-of-order deliveries never move a case backwards.
    missing      what the applicant must still bring (need_documents); None keeps it, "" clears it.
                 Cleared automatically when the status is anything else.
    pickup_by    the pickup deadline, a date or "YYYY-MM-DD" (ROC "115/12/31" too); None keeps, "" clears.
    source       who made the change ("csv", "api", "staff:<login>", ...), kept in the history.

It raises CaseError (a ValueError whose .problems lists what is wrong) and otherwise, in one
transaction: writes the case, records history when the status (or what is missing) changes and
withdraws the case's pending notices and reminders. It returns UpdateResult(case_no, outcome in
{"created", "updated", "unchanged", "stale"}, status_changed, notices) whose `notice_due` names the
changed case when a notice (ready / need_documents) is due: the progress feature's use-case
`update_case` queues it, in the same transaction, for every linked, active user (the store builds
no LINE messages).
check_update(fields, tz) validates raw CSV/JSON fields without writing anything.
"""
from __future__ import annotations

import hmac
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from bot.clock import Clock, iso, parse_iso
from bot.config import Config
from handlers.cases.lookups import LookupBlock, LookupGuard, normalize_case_no
from bot.store.database import Database, Migration
from bot.store import StorePart, in_offices
from bot.store.retention import Rule, deleted
from bot.store.outbox import Outbox

MIGRATIONS: list[Migration] = [
    (
        20,
        "cases, history, followers and lookups",
        [
            """CREATE TABLE cases (
                case_no TEXT PRIMARY KEY,
                service TEXT NOT NULL,
                status TEXT NOT NULL,
                phone_last4 TEXT NOT NULL,
                missing TEXT NOT NULL DEFAULT '',
                pickup_by TEXT,
                updated_at TEXT NOT NULL,
                ready_since TEXT,
                created_at TEXT NOT NULL,
                changed_at TEXT NOT NULL
            )""",
            "CREATE INDEX cases_status ON cases (status)",
            """CREATE TABLE case_history (
                id INTEGER PRIMARY KEY,
                case_no TEXT NOT NULL REFERENCES cases (case_no) ON DELETE CASCADE,
                status TEXT NOT NULL,
                missing TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                source TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX case_history_case ON case_history (case_no, id)",
            """CREATE TABLE case_followers (
                case_no TEXT NOT NULL REFERENCES cases (case_no) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (case_no, user_id)
            )""",
            "CREATE INDEX case_followers_user ON case_followers (user_id)",
            """CREATE TABLE case_lookups (
                id INTEGER PRIMARY KEY,
                user_id TEXT NOT NULL,
                case_no TEXT NOT NULL DEFAULT '',
                ok INTEGER NOT NULL,
                at TEXT NOT NULL
            )""",
            "CREATE INDEX case_lookups_user ON case_lookups (user_id, at)",
            "CREATE TABLE case_lookup_locks (user_id TEXT PRIMARY KEY, until TEXT NOT NULL)",
        ],
    ),
    (
        47,
        "failed lookups counted per case (a keyed hash of the case number) and case locks",
        [
            "ALTER TABLE case_lookups ADD COLUMN case_key TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX case_lookups_case ON case_lookups (case_key, at)",
            "CREATE INDEX case_lookups_failed ON case_lookups (ok, at)",
            """CREATE TABLE case_lookup_case_locks (
                case_key TEXT PRIMARY KEY,
                since TEXT NOT NULL,
                until TEXT NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0
            )""",
        ],
    ),
    (
        93,
        "cases belong to an office (OFFICES_FILE): case numbers are unique per office; '' is the first office",
        [
            # Two offices may both have case A123: the office joins the key of the case and of its children.
            """CREATE TABLE cases_by_office (
                office_id TEXT NOT NULL DEFAULT '',
                case_no TEXT NOT NULL,
                service TEXT NOT NULL,
                status TEXT NOT NULL,
                phone_last4 TEXT NOT NULL,
                missing TEXT NOT NULL DEFAULT '',
                pickup_by TEXT,
                updated_at TEXT NOT NULL,
                ready_since TEXT,
                created_at TEXT NOT NULL,
                changed_at TEXT NOT NULL,
                PRIMARY KEY (office_id, case_no)
            )""",
            "INSERT INTO cases_by_office (office_id, case_no, service, status, phone_last4, missing, pickup_by, "
            "updated_at, ready_since, created_at, changed_at) SELECT '', case_no, service, status, phone_last4, "
            "missing, pickup_by, updated_at, ready_since, created_at, changed_at FROM cases",
            # History keeps its ids: pending notices' dedupe keys name them.
            """CREATE TABLE case_history_by_office (
                id INTEGER PRIMARY KEY,
                office_id TEXT NOT NULL DEFAULT '',
                case_no TEXT NOT NULL,
                status TEXT NOT NULL,
                missing TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                source TEXT NOT NULL DEFAULT '',
                FOREIGN KEY (office_id, case_no) REFERENCES cases_by_office (office_id, case_no) ON DELETE CASCADE
            )""",
            "INSERT INTO case_history_by_office (id, office_id, case_no, status, missing, updated_at, recorded_at, "
            "source) SELECT id, '', case_no, status, missing, updated_at, recorded_at, source FROM case_history",
            """CREATE TABLE case_followers_by_office (
                office_id TEXT NOT NULL DEFAULT '',
                case_no TEXT NOT NULL,
                user_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (office_id, case_no, user_id),
                FOREIGN KEY (office_id, case_no) REFERENCES cases_by_office (office_id, case_no) ON DELETE CASCADE
            )""",
            "INSERT INTO case_followers_by_office (office_id, case_no, user_id, created_at) "
            "SELECT '', case_no, user_id, created_at FROM case_followers",
            # Children first: dropping a parent first would cascade its delete into the old children.
            "DROP TABLE case_followers",
            "DROP TABLE case_history",
            "DROP TABLE cases",
            "ALTER TABLE cases_by_office RENAME TO cases",
            "ALTER TABLE case_history_by_office RENAME TO case_history",
            "ALTER TABLE case_followers_by_office RENAME TO case_followers",
            "CREATE INDEX cases_status ON cases (status)",
            "CREATE INDEX case_history_case ON case_history (office_id, case_no, id)",
            "CREATE INDEX case_followers_user ON case_followers (user_id)",
            "ALTER TABLE case_lookups ADD COLUMN office_id TEXT NOT NULL DEFAULT ''",
        ],
    ),
]

# Status code -> (zh-TW label, English label), in the order a case usually moves.
STATUSES: dict[str, tuple[str, str]] = {
    "received": ("已收件", "Received"),
    "reviewing": ("審核中", "Under review"),
    "need_documents": ("待補件", "Documents needed"),
    "ready": ("可領件", "Ready for pickup"),
    "picked_up": ("已領件", "Picked up"),
    "cancelled": ("已撤件", "Cancelled"),
}
FINAL_STATUSES = frozenset({"picked_up", "cancelled"})
NOTICE_STATUSES = frozenset({"ready", "need_documents"})
MAX_AHEAD = timedelta(days=1)  # how far an updated_at may run ahead of our clock

_CASE_NO = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
_WHEN = re.compile(
    r"^(\d{2,4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_STATUS_WORDS = {
    key: code
    for code, labels in STATUSES.items()
    for key in (code, labels[0], labels[1].lower(), code.replace("_", " "), code.replace("_", "-"))
}


class CaseError(ValueError):
    """A case update that cannot be applied; .problems says why, one phrase each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def status_label(status: str, lang: str = "zh") -> str:
    zh, en = STATUSES.get(status, (status, status))
    return en if lang == "en" else zh


def valid_case_no(case_no: str) -> bool:
    return bool(_CASE_NO.match(case_no))


def normalize_status(text: str) -> str | None:
    return _STATUS_WORDS.get(unicodedata.normalize("NFKC", text or "").strip().lower())


def parse_when(value: Any, tz: ZoneInfo) -> datetime:
    """A timestamp from the office's systems (ISO, slashes or ROC years; no zone = office time)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    match = _WHEN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date and time like 2026-12-01 10:00")
    year = int(match[1]) + (1911 if len(match[1]) <= 3 else 0)
    when = datetime(year, int(match[2]), int(match[3]), int(match[4] or 0), int(match[5] or 0), int(match[6] or 0))
    zone = match[7]
    if not zone:
        return when.replace(tzinfo=tz)
    return datetime.fromisoformat(when.isoformat() + ("+00:00" if zone == "Z" else zone[:3] + ":" + zone[-2:]))


def parse_day(value: Any, tz: ZoneInfo) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return parse_when(value, tz).date()


@dataclass(frozen=True)
class CaseUpdate:
    """A validated change; None fields keep what is stored ("" clears missing / pickup_by)."""

    case_no: str
    status: str
    service: str | None = None
    phone_last4: str | None = None
    updated_at: datetime | None = None
    missing: str | None = None
    pickup_by: date | str | None = None

    def as_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of Cases.apply_update for this change."""
        return {"case_no": self.case_no, "status": self.status, "service": self.service,
                "phone_last4": self.phone_last4, "updated_at": self.updated_at, "missing": self.missing,
                "pickup_by": self.pickup_by}


def check_update(fields: Mapping[str, Any], tz: ZoneInfo, *, full: bool = True,
                 now: datetime | None = None) -> CaseUpdate:
    """Validate raw fields (a CSV row, a JSON item); full=True requires every header column.

    With `now`, an updated_at more than a day ahead is refused: it would make every later update stale.
    """
    problems: list[str] = []

    def text(name: str) -> str | None:
        value = fields.get(name)
        return None if value is None else unicodedata.normalize("NFKC", str(value)).strip()

    case_no = normalize_case_no(text("case_no") or "")
    if not valid_case_no(case_no):
        problems.append(f"case_no {fields.get('case_no')!r} must be 3-32 letters, digits or '-'")
    status = normalize_status(text("status") or "")
    if status is None:
        problems.append(f"unknown status {fields.get('status')!r} (use one of {', '.join(STATUSES)})")
    service, phone = text("service"), text("phone_last4")
    if full and not service:
        problems.append("service is empty")
    if service is not None and len(service) > 100:
        problems.append("service is longer than 100 characters")
    if (full or phone is not None) and not re.fullmatch(r"\d{4}", phone or ""):
        problems.append("phone_last4 must be exactly 4 digits")
    updated_at = None
    if full or fields.get("updated_at") not in (None, ""):
        try:
            updated_at = parse_when(fields.get("updated_at"), tz)
        except ValueError as exc:
            problems.append(f"updated_at: {exc}")
        else:
            if now is not None and updated_at > now + MAX_AHEAD:
                problems.append(f"updated_at {fields.get('updated_at')!r} is in the future")
    missing = text("missing")
    if missing is not None and len(missing) > 500:
        problems.append("missing is longer than 500 characters")
    pickup_by: date | str | None = None
    raw_pickup = fields.get("pickup_by")
    if raw_pickup is not None:
        try:
            pickup_by = parse_day(raw_pickup, tz) if str(raw_pickup).strip() else ""
        except ValueError as exc:
            problems.append(f"pickup_by: {exc}")
    if problems:
        raise CaseError(problems)
    return CaseUpdate(case_no, status or "", service or None, phone or None, updated_at, missing, pickup_by)


@dataclass(frozen=True)
class Case:
    case_no: str
    service: str
    status: str
    phone_last4: str
    missing: str
    pickup_by: date | None
    updated_at: datetime
    ready_since: datetime | None
    office_id: str = ""  # "" for the deployment's first office

    @property
    def key(self) -> str:
        """The case's name across offices (another office's A123 is another case); the first office's
        cases keep their bare number, so keys made before OFFICES_FILE still hold."""
        return f"{self.office_id}:{self.case_no}" if self.office_id else self.case_no

    @property
    def ref(self) -> str:
        """What the case's outbox rows are filed under."""
        return f"case:{self.key}"


@dataclass(frozen=True)
class UpdateResult:
    case_no: str
    outcome: str  # created, updated, unchanged, stale
    status_changed: bool = False
    notices: int = 0
    # The changed case when its followers are due a notice, and the history row the notice is for.
    notice_due: Case | None = field(default=None, compare=False, repr=False)
    history_id: int | None = field(default=None, compare=False, repr=False)


_CASE_COLUMNS = "case_no, service, status, phone_last4, missing, pickup_by, updated_at, ready_since, office_id"
_WIDTH = len(_CASE_COLUMNS.split(","))


def _case(r: tuple[Any, ...]) -> Case:
    return Case(r[0], r[1], r[2], r[3], r[4], date.fromisoformat(r[5]) if r[5] else None,
                parse_iso(r[6]), parse_iso(r[7]) if r[7] else None, r[8])


class Cases:
    """The cases of one office (`for_office`; "" is the deployment's first office), or, for reading, of
    every office (`offices=None` in `search`, and the clock's `ready_followers`). A case number names a
    case within its office: another office's A123 is another case."""

    def __init__(self, database: Database, clock: Clock, config: Config, office_id: str = "") -> None:
        self._database = database
        self._clock = clock
        self._config = config
        self.office_id = office_id
        self.tz = ZoneInfo(config.office_timezone)

    def for_office(self, office_id: str) -> "Cases":
        """The same cases seen from one office ("" is the deployment's first office)."""
        return self if office_id == self.office_id else Cases(self._database, self._clock, self._config, office_id)

    def get(self, case_no: str) -> Case | None:
        row = self._database.db.execute(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE office_id = ? AND case_no = ?",
            [self.office_id, normalize_case_no(case_no)],
        ).fetchone()
        return _case(row) if row else None

    def search(self, query: str = "", limit: int = 50) -> list[Case]:
        """This office's cases whose number contains the query, latest change first (all recent ones for an
        empty query)."""
        return self.search_in((self.office_id,), query, limit)

    def search_in(self, offices: tuple[str, ...] | None, query: str = "", limit: int = 50) -> list[Case]:
        """The same in some offices ("" is the first office; None: every office's)."""
        scope, params = in_offices(offices)
        rows = self._database.db.execute(
            f"SELECT {_CASE_COLUMNS} FROM cases WHERE case_no LIKE ?{scope} ORDER BY changed_at DESC LIMIT ?",
            [f"%{normalize_case_no(query)}%" if query else "%", *params, limit],
        ).fetchall()
        return [_case(row) for row in rows]

    def history(self, case_no: str) -> list[dict[str, Any]]:
        """The case's status changes, oldest first."""
        return list(self._database.db.query(
            "SELECT status, missing, updated_at, recorded_at, source FROM case_history "
            "WHERE office_id = ? AND case_no = ? ORDER BY id", [self.office_id, normalize_case_no(case_no)]
        ))

    def apply_update(self, case_no: str, status: str, *, service: str | None = None,
                     phone_last4: str | None = None, updated_at: datetime | str | None = None,
                     missing: str | None = None, pickup_by: date | str | None = None,
                     source: str = "staff") -> UpdateResult:
        """Create or change a case and record history (see the module docstring)."""
        fields = {"case_no": case_no, "status": status, "service": service, "phone_last4": phone_last4,
                  "updated_at": updated_at, "missing": missing, "pickup_by": pickup_by}
        update = check_update(fields, self.tz, full=False, now=self._clock.now())
        with self._database.transaction():
            self._database.lock(f"case:{self.office_id}:{update.case_no}")  # PostgreSQL: one update at a time
            current = self.get(update.case_no)
            if current is None:
                return self._create(update, source)
            return self._change(current, update, source)

    def _create(self, u: CaseUpdate, source: str) -> UpdateResult:
        if not u.service or not u.phone_last4:
            raise CaseError(["a new case needs service and phone_last4"])
        now = self._clock.now()
        when = u.updated_at or now
        missing = (u.missing or "") if u.status == "need_documents" else ""
        self._database.db.execute(
            f"INSERT INTO cases ({_CASE_COLUMNS}, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [u.case_no, u.service, u.status, u.phone_last4, missing, _day(u.pickup_by) or None, iso(when),
             iso(now) if u.status == "ready" else None, self.office_id, iso(now), iso(now)],
        )
        self._record_history(u.case_no, u.status, missing, when, source)
        return UpdateResult(u.case_no, "created", True, 0)

    def _change(self, current: Case, u: CaseUpdate, source: str) -> UpdateResult:
        now = self._clock.now()
        if u.updated_at is not None and u.updated_at < current.updated_at:
            return UpdateResult(current.case_no, "stale")
        when = u.updated_at or now
        missing = "" if u.status != "need_documents" else (current.missing if u.missing is None else u.missing)
        status_changed = u.status != current.status
        missing_changed = u.status == "need_documents" and missing != current.missing
        new = Case(
            current.case_no, u.service or current.service, u.status, u.phone_last4 or current.phone_last4, missing,
            current.pickup_by if u.pickup_by is None else (u.pickup_by or None), max(when, current.updated_at),
            (now if u.status == "ready" else None) if status_changed else current.ready_since, current.office_id,
        )
        if new != current:
            self._write(new, now)
        if replace(new, updated_at=current.updated_at) == current:
            return UpdateResult(current.case_no, "unchanged")
        if status_changed or missing_changed:
            history_id = self._record_history(new.case_no, new.status, new.missing, when, source)
            self._outbox.cancel(new.ref)
            if new.status in NOTICE_STATUSES:
                return UpdateResult(current.case_no, "updated", status_changed, 0, new, history_id)
        return UpdateResult(current.case_no, "updated", status_changed)

    def _write(self, case: Case, now: datetime) -> None:
        self._database.db.execute(
            "UPDATE cases SET service = ?, status = ?, phone_last4 = ?, missing = ?, pickup_by = ?, "
            "updated_at = ?, ready_since = ?, changed_at = ? WHERE office_id = ? AND case_no = ?",
            [case.service, case.status, case.phone_last4, case.missing, _day(case.pickup_by) or None,
             iso(case.updated_at), iso(case.ready_since) if case.ready_since else None, iso(now), case.office_id,
             case.case_no],
        )

    def _record_history(self, case_no: str, status: str, missing: str, when: datetime, source: str) -> int:
        cursor = self._database.db.execute(
            "INSERT INTO case_history (office_id, case_no, status, missing, updated_at, recorded_at, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [self.office_id, case_no, status, missing, iso(when), self._clock.stamp(), source[:80]],
        )
        return int(cursor.lastrowid)

    @cached_property
    def _outbox(self) -> Outbox:
        """The outbox on the same database, so withdrawing notices joins the case's transaction."""
        return Outbox(self._database, self._clock, self._config)

    # --- the citizen's lookups -----------------------------------------------------------------
    def lookup(self, case_no: str, phone_last4: str) -> Case | None:
        """The case, only when the second factor matches; unknown case and wrong digits look alike."""
        case = self.get(case_no)
        given = (phone_last4 or "").encode()
        expected = (case.phone_last4 if case else "0000").encode()
        return case if hmac.compare_digest(given, expected) and case is not None else None

    @cached_property
    def guard(self) -> LookupGuard:
        """The limits on failed lookups per user, per case and overall."""
        return LookupGuard(self._database, self._clock, self._config, self.office_id)

    def record_lookup(self, user_id: str, case_no: str, ok: bool) -> LookupBlock | None:
        """Note an attempt; returns the block (user, case or busy) a failure begins, if any."""
        return self.guard.record(user_id, case_no, ok)

    def lookup_block(self, user_id: str, case_no: str | None = None) -> LookupBlock | None:
        return self.guard.block(user_id, case_no)

    def locked_until(self, user_id: str) -> datetime | None:
        block = self.guard.block(user_id)
        return block.until if block else None

    def verified(self, user_id: str, case_no: str) -> bool:
        """True once this user has looked the case up with the right digits."""
        return self._database.db.execute(
            "SELECT 1 FROM case_lookups WHERE user_id = ? AND office_id = ? AND case_no = ? AND ok = 1 LIMIT 1",
            [user_id, self.office_id, normalize_case_no(case_no)],
        ).fetchone() is not None

    def forget_failed_lookups(self, days: int = 1) -> int:
        return self.guard.forget(days)

    # --- followers --------------------------------------------------------------------------
    def follow(self, case_no: str, user_id: str) -> bool:
        """Link a user to a case (several users may follow one case); False if already linked."""
        return self._database.db.execute(
            "INSERT OR IGNORE INTO case_followers (office_id, case_no, user_id, created_at) VALUES (?, ?, ?, ?)",
            [self.office_id, normalize_case_no(case_no), user_id, self._clock.stamp()],
        ).rowcount == 1

    def unfollow(self, case_no: str, user_id: str) -> bool:
        return self._database.db.execute(
            "DELETE FROM case_followers WHERE office_id = ? AND case_no = ? AND user_id = ?",
            [self.office_id, normalize_case_no(case_no), user_id]
        ).rowcount == 1

    def is_following(self, case_no: str, user_id: str) -> bool:
        return self._database.db.execute(
            "SELECT 1 FROM case_followers WHERE office_id = ? AND case_no = ? AND user_id = ?",
            [self.office_id, normalize_case_no(case_no), user_id]
        ).fetchone() is not None

    def followers(self, case_no: str) -> list[tuple[str, str, datetime]]:
        """(user id, language, since) of the active users following a case."""
        rows = self._database.db.execute(
            "SELECT f.user_id, u.lang, f.created_at FROM case_followers f JOIN users u ON u.user_id = f.user_id "
            "WHERE f.office_id = ? AND f.case_no = ? AND u.active = 1 ORDER BY f.created_at, f.user_id",
            [self.office_id, normalize_case_no(case_no)],
        ).fetchall()
        return [(r[0], r[1], parse_iso(r[2])) for r in rows]

    def ready_followers(self) -> list[tuple[Case, str, str, datetime]]:
        """(case, user id, language, following since) for every ready case and active follower, every office's."""
        rows = self._database.db.execute(
            f"SELECT {', '.join('c.' + c.strip() for c in _CASE_COLUMNS.split(','))}, f.user_id, u.lang, "
            "f.created_at FROM cases c JOIN case_followers f ON f.office_id = c.office_id AND f.case_no = c.case_no "
            "JOIN users u ON u.user_id = f.user_id WHERE c.status = 'ready' AND u.active = 1 "
            "ORDER BY c.office_id, c.case_no, f.user_id"
        ).fetchall()
        return [(_case(r[:_WIDTH]), r[_WIDTH], r[_WIDTH + 1], parse_iso(r[_WIDTH + 2])) for r in rows]


def _day(value: date | str | None) -> str:
    return value.isoformat() if isinstance(value, date) else ""


_FINISHED = "(" + ", ".join(f"'{s}'" for s in sorted(FINAL_STATUSES)) + ")"


def _finished_cases(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    # History and followers go with their case (ON DELETE CASCADE).
    return {"cases": deleted(db, f"DELETE FROM cases WHERE status IN {_FINISHED} AND changed_at < ?", [cutoff])}


def _case_lookups(db: Any, cutoff: str, _day: str) -> dict[str, int]:
    db.execute("DELETE FROM case_lookup_locks WHERE until < ?", [cutoff])
    return {"case_lookups": deleted(db, "DELETE FROM case_lookups WHERE at < ?", [cutoff])}


PART = StorePart(
    "cases", Cases, MIGRATIONS,
    retention=(Rule("finished_cases", "retention_finished_case_days", _finished_cases,
                    "picked-up or withdrawn cases with history and followers"),
               Rule("case_lookups", "retention_case_lookup_days", _case_lookups, "case-progress lookup attempts")),
    user_tables=(("case_followers", "user_id"), ("case_lookups", "user_id"), ("case_lookup_locks", "user_id")),
    keeps_user=("EXISTS (SELECT 1 FROM case_followers f JOIN cases c ON c.office_id = f.office_id "
                f"AND c.case_no = f.case_no WHERE f.user_id = u.user_id AND c.status NOT IN {_FINISHED})",),
)
