"""Counter appointments: slots, seats, bookings, closures and attendance.

A booking takes one seat in each slot its service covers (table booking_seats, primary key
(day, slot, seat)): that key is the second guard against double booking; the first is that every
check-and-take runs inside one BEGIN IMMEDIATE transaction. Days and times are the office's local
date ("YYYY-MM-DD") and time ("HH:MM"); created/updated stamps are UTC iso().

Methods (store.bookings.*) — the flow, the staff web and the command line all use these:
    rules -> Rules ; calendar -> BookingCalendar          the data-file rules and the day/slot logic
    service(code) -> Service | None ; services() -> list[Service]
    availability(service, days=None) -> dict[date, list[FreeSlot]]   seats left per start time, for the
        bookable days of the window (or the given days); days the rules refuse are left out
    free_slots(service, day) -> list[FreeSlot]           start times with at least one seat left
    day_refusal(service, day, lang="zh") -> Refusal | None   why a day cannot be booked now
    book_slot(user_id, service, day, start, *, name, phone, priority="", lang="zh") -> Booking
    reschedule(booking_no, day, start, *, user_id=None) -> Booking   same number, new seats, one transaction
    cancel(booking_no, *, user_id=None, reason="citizen") -> Booking   frees the seats at once
        (user_id given: only the citizen's own booking, and only before it starts; None: staff)
    get(booking_no) -> Booking | None ; upcoming(user_id) -> list[Booking] ; on_day_for(user_id, day)
    bookings_on(day, include_cancelled=False) -> list[Booking]        the staff's day list
    mark_attendance(booking_no, status) -> Booking     status "arrived" | "no_show" | "booked" (undo)
    suspended_until(user_id) -> date | None            3 no-shows suspend booking for 6 months
    add_closure(day, reason, *, by="staff") -> list[Booking]   cancels that day's bookings (the booking
        feature's close_day queues a notice to each citizen in the same transaction)
    remove_closure(day) -> bool ; closures(since=None) -> dict[date, str]
    reminders_due(day) -> list[Booking]                booked on that day and not yet reminded for it
    mark_reminded(booking_no, day) -> None             the reminder job queued one (rescheduling resets it)
    ref(booking_no) -> str                             the outbox `ref` of a booking's pushes; cancelling or
        rescheduling withdraws its pending reminder (store.outbox.cancel(ref))
`service` arguments take a Service or its code. Booking: booking_no, user_id, service (code), day (date),
start (time), minutes, priority ("" | elder | pregnant | disabled | infant), contact_name, contact_phone,
lang, status (booked | cancelled | arrived | no_show), cancel_reason (citizen | closure | staff ...),
created_at, updated_at; .end, .starts_at. FreeSlot: start, seats_left.
Refusals raise BookingRefused(reason, ...) with a reason code from handlers.booking.calendar or below
(.booking, .refusal and .until carry the details).
"""
from __future__ import annotations

import logging
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Iterable

from handlers.booking.calendar import BookingCalendar, Refusal, Rules, Service, add_months, load_rules
from bot.clock import Clock
from bot.config import Config
from bot.store.database import Database, Migration
from bot.store import StorePart, in_offices
from bot.store.retention import Rule, deleted

log = logging.getLogger(__name__)

MIGRATIONS: list[Migration] = [
    (
        30,
        "bookings",
        [
            """CREATE TABLE bookings (
                id INTEGER PRIMARY KEY,
                booking_no TEXT NOT NULL UNIQUE,
                user_id TEXT NOT NULL,
                service TEXT NOT NULL,
                day TEXT NOT NULL,
                start TEXT NOT NULL,
                minutes INTEGER NOT NULL,
                priority TEXT NOT NULL DEFAULT '',
                contact_name TEXT NOT NULL DEFAULT '',
                contact_phone TEXT NOT NULL DEFAULT '',
                lang TEXT NOT NULL DEFAULT 'zh',
                status TEXT NOT NULL DEFAULT 'booked'
                    CHECK (status IN ('booked', 'cancelled', 'arrived', 'no_show')),
                cancel_reason TEXT NOT NULL DEFAULT '',
                reminded_for TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            # One booking per person per day (cancelled ones do not count).
            "CREATE UNIQUE INDEX bookings_one_per_day ON bookings (user_id, day) WHERE status != 'cancelled'",
            "CREATE INDEX bookings_day ON bookings (day, start)",
            "CREATE INDEX bookings_user ON bookings (user_id, status, day)",
            # A seat in a slot belongs to at most one booking: the second guard against double booking.
            """CREATE TABLE booking_seats (
                day TEXT NOT NULL,
                slot TEXT NOT NULL,
                seat INTEGER NOT NULL CHECK (seat >= 1),
                booking_id INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
                PRIMARY KEY (day, slot, seat)
            )""",
            "CREATE INDEX booking_seats_booking ON booking_seats (booking_id)",
            """CREATE TABLE booking_closures (
                day TEXT PRIMARY KEY,
                reason TEXT NOT NULL,
                created_by TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL
            )""",
        ],
    ),
    (
        39,
        "bookings, seats and closures belong to an office (OFFICES_FILE); '' is the deployment's first office",
        [
            "ALTER TABLE bookings ADD COLUMN office_id TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX bookings_office_day ON bookings (office_id, day, start)",
            # Two offices' 10:00 slots are different seats: the office joins the seat's key.
            """CREATE TABLE booking_seats_by_office (
                office_id TEXT NOT NULL DEFAULT '',
                day TEXT NOT NULL,
                slot TEXT NOT NULL,
                seat INTEGER NOT NULL CHECK (seat >= 1),
                booking_id INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
                PRIMARY KEY (office_id, day, slot, seat)
            )""",
            "INSERT INTO booking_seats_by_office (office_id, day, slot, seat, booking_id) "
            "SELECT '', day, slot, seat, booking_id FROM booking_seats",
            "DROP TABLE booking_seats",
            "ALTER TABLE booking_seats_by_office RENAME TO booking_seats",
            "CREATE INDEX booking_seats_booking_id ON booking_seats (booking_id)",
            """CREATE TABLE booking_closures_by_office (
                office_id TEXT NOT NULL DEFAULT '',
                day TEXT NOT NULL,
                reason TEXT NOT NULL,
                created_by TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                PRIMARY KEY (office_id, day)
            )""",
            "INSERT INTO booking_closures_by_office (office_id, day, reason, created_by, created_at) "
            "SELECT '', day, reason, created_by, created_at FROM booking_closures",
            "DROP TABLE booking_closures",
            "ALTER TABLE booking_closures_by_office RENAME TO booking_closures",
        ],
    ),
]

BOOKED, CANCELLED, ARRIVED, NO_SHOW = "booked", "cancelled", "arrived", "no_show"
# Reason codes beyond the calendar's (handlers.booking.calendar): what book/cancel/reschedule may refuse.
SLOT_FULL, NO_SUCH_TIME, DAY_TAKEN, SUSPENDED, NOT_FOUND, NOT_ACTIVE, STARTED, NOT_YET, NO_SERVICE = (
    "slot_full", "no_such_time", "day_taken", "suspended", "not_found", "not_active", "started",
    "not_yet", "no_service")
PRIORITIES = ("elder", "pregnant", "disabled", "infant")
_NO_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"
_COLUMNS = ("id", "booking_no", "user_id", "service", "day", "start", "minutes", "priority", "contact_name",
            "contact_phone", "lang", "status", "cancel_reason", "created_at", "updated_at", "office_id")
# reminded_for is bookkeeping for the reminder job, not part of a Booking.
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM bookings"


class BookingRefused(Exception):
    """A booking, change or cancellation the rules do not allow; `reason` says which rule."""

    def __init__(self, reason: str, *, booking: "Booking | None" = None, refusal: Refusal | None = None,
                 until: date | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.booking = booking
        self.refusal = refusal
        self.until = until


@dataclass(frozen=True)
class FreeSlot:
    start: time
    seats_left: int


@dataclass(frozen=True)
class Booking:
    id: int
    booking_no: str
    user_id: str
    service: str
    day: date
    start: time
    minutes: int
    priority: str
    contact_name: str
    contact_phone: str
    lang: str
    status: str
    cancel_reason: str
    created_at: str
    updated_at: str
    office_id: str = ""  # "" for the deployment's first office

    @property
    def end(self) -> time:
        return (datetime.combine(self.day, self.start) + timedelta(minutes=self.minutes)).time()

    @property
    def starts_at(self) -> datetime:
        """The local (naive) date and time the appointment starts."""
        return datetime.combine(self.day, self.start)

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> "Booking":
        values = dict(zip(_COLUMNS, row))
        values["day"] = date.fromisoformat(values["day"])
        values["start"] = time.fromisoformat(values["start"])
        return cls(**values)


def _hm(t: time) -> str:
    return t.strftime("%H:%M")


class Bookings:
    """Counter appointments of one office (`for_office`), or of every office for reading (office_id None:
    the clock's reminders, the dashboard); a booking made without an office is the first office's ("")."""

    def __init__(self, database: Database, clock: Clock, config: Config, office_id: str | None = None,
                 rules_path: str | None = None) -> None:
        self._database = database
        self._clock = clock
        self._config = config
        self._calendar: BookingCalendar | None = None
        self.office_id = office_id
        self._rules_path = rules_path  # the office's own rules (OFFICES_FILE booking_rules); None: the settings'

    def for_office(self, office_id: str, rules_path: str | Path | None = None) -> "Bookings":
        """The same appointments seen from one office ("" is the deployment's first office), with its rules."""
        view = Bookings(self._database, self._clock, self._config, office_id,
                        str(rules_path) if rules_path else None)
        if rules_path is None:
            view._calendar = self._calendar
        return view

    @property
    def _office(self) -> str:
        """The office new bookings, seats and closures are written for."""
        return self.office_id or ""

    def _scope(self) -> tuple[str, list[Any]]:
        """" AND office_id IN (?)" for one office's view; nothing for every office's."""
        return in_offices(None if self.office_id is None else (self.office_id,))

    # --- rules -------------------------------------------------------------------------------
    @property
    def rules(self) -> Rules:
        return self.calendar.rules

    @property
    def calendar(self) -> BookingCalendar:
        rules = load_rules(self._rules_path or self._config.booking_rules_path or None, self._config.booking_days_ahead)
        if self._calendar is None or self._calendar.rules is not rules:
            from bot.workdays import calendar_from_config

            self._calendar = BookingCalendar(rules, calendar_from_config(self._config))
        return self._calendar

    def service(self, code: str) -> Service | None:
        return self.rules.service(code)

    def services(self) -> list[Service]:
        return list(self.rules.services)

    def _now(self) -> datetime:
        return self._clock.local().replace(tzinfo=None)

    def _service(self, code: str) -> Service:
        service = self.service(code)
        if service is None:
            raise BookingRefused(NO_SERVICE)
        return service

    # --- reading -----------------------------------------------------------------------------
    def closures(self, since: date | None = None) -> dict[date, str]:
        """Days the office is closed (from `since`, default today) and why."""
        since = since or self._now().date()
        rows = self._database.db.execute(
            "SELECT day, reason FROM booking_closures WHERE day >= ? AND office_id = ? ORDER BY day",
            [since.isoformat(), self._office],
        ).fetchall()
        return {date.fromisoformat(d): r for d, r in rows}

    def day_refusal(self, service: Service | str, day: date, lang: str = "zh") -> Refusal | None:
        """Why this day cannot be booked for the service now, or None."""
        service = self._service(service) if isinstance(service, str) else service
        return self.calendar.refusal(service, day, self._now(), self.closures(), lang)

    def _taken(self, first: date, last: date) -> dict[tuple[str, str], int]:
        rows = self._database.db.execute(
            "SELECT day, slot, COUNT(*) FROM booking_seats WHERE day BETWEEN ? AND ? AND office_id = ? "
            "GROUP BY day, slot",
            [first.isoformat(), last.isoformat(), self._office],
        ).fetchall()
        return {(d, s): n for d, s, n in rows}

    def availability(self, service: Service | str, days: Iterable[date] | None = None) -> dict[date, list[FreeSlot]]:
        """Seats left at every start time of each bookable day (the window by default), in one query."""
        service = self._service(service) if isinstance(service, str) else service
        calendar, now, closures = self.calendar, self._now(), self.closures()
        if days is None:
            days = calendar.candidate_days(service, now, closures)
        else:
            days = [d for d in days if calendar.refusal(service, d, now, closures) is None]
        if not days:
            return {}
        taken = self._taken(min(days), max(days))
        out: dict[date, list[FreeSlot]] = {}
        for day in days:
            key = day.isoformat()
            out[day] = [FreeSlot(s.start, s.seats - max(taken.get((key, k), 0) for k in s.keys))
                        for s in calendar.slot_starts(service, day)]
        return out

    def free_slots(self, service: Service | str, day: date) -> list[FreeSlot]:
        """Start times on a bookable day with at least one seat left."""
        return [s for s in self.availability(service, [day]).get(day, []) if s.seats_left > 0]

    def get(self, booking_no: str) -> Booking | None:
        row = self._database.db.execute(f"{_SELECT} WHERE booking_no = ?", [booking_no.strip().upper()]).fetchone()
        return Booking.from_row(row) if row else None

    def upcoming(self, user_id: str) -> list[Booking]:
        """The citizen's booked appointments that have not started yet, soonest first."""
        now = self._now()
        rows = self._database.db.execute(
            f"{_SELECT} WHERE user_id = ? AND status = ? AND day >= ? ORDER BY day, start",
            [user_id, BOOKED, now.date().isoformat()],
        ).fetchall()
        return [b for b in map(Booking.from_row, rows) if b.starts_at > now]

    def on_day_for(self, user_id: str, day: date) -> Booking | None:
        """The citizen's (not cancelled) booking on that day, if any."""
        row = self._database.db.execute(
            f"{_SELECT} WHERE user_id = ? AND day = ? AND status != ?", [user_id, day.isoformat(), CANCELLED]
        ).fetchone()
        return Booking.from_row(row) if row else None

    def bookings_on(self, day: date, include_cancelled: bool = False) -> list[Booking]:
        """A day's appointments in time order (for staff)."""
        scope, params = self._scope()
        sql = f"{_SELECT} WHERE day = ?{scope}" + ("" if include_cancelled else " AND status != 'cancelled'")
        rows = self._database.db.execute(sql + " ORDER BY start, id", [day.isoformat(), *params]).fetchall()
        return [Booking.from_row(r) for r in rows]

    def next_day_with_bookings(self, after: date) -> date | None:
        """The first day after `after` with a booking still standing (for staff, when today has none)."""
        scope, params = self._scope()
        row = self._database.db.execute(
            f"SELECT MIN(day) FROM bookings WHERE day > ? AND status != 'cancelled'{scope}", [after.isoformat(), *params]
        ).fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def status_counts(self, first: date, last: date) -> dict[str, int]:
        """How many bookings between two days ended in each status (for the dashboard)."""
        scope, params = self._scope()
        rows = self._database.db.execute(
            f"SELECT status, COUNT(*) FROM bookings WHERE day BETWEEN ? AND ?{scope} GROUP BY status",
            [first.isoformat(), last.isoformat(), *params],
        ).fetchall()
        return {r[0]: r[1] for r in rows}

    def per_day(self, first: date, last: date) -> dict[str, tuple[int, int]]:
        """{ISO day: (bookings not cancelled, no-shows)} for days between first and last that had any."""
        rows = self._database.db.execute(
            "SELECT day, SUM(CASE WHEN status != 'cancelled' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END) FROM bookings "
            f"WHERE day BETWEEN ? AND ?{self._scope()[0]} GROUP BY day",
            [first.isoformat(), last.isoformat(), *self._scope()[1]],
        ).fetchall()
        return {r[0]: (r[1] or 0, r[2] or 0) for r in rows}

    def _booked_on(self, day: date) -> list[Booking]:
        rows = self._database.db.execute(
            f"{_SELECT} WHERE day = ? AND status = ? AND office_id = ? ORDER BY start, id",
            [day.isoformat(), BOOKED, self._office],
        ).fetchall()
        return [Booking.from_row(r) for r in rows]

    def reminders_due(self, day: date) -> list[Booking]:
        """Appointments still booked on a day whose reminder has not been queued yet."""
        rows = self._database.db.execute(
            f"{_SELECT} WHERE day = ? AND status = ? AND reminded_for != ? ORDER BY start, id",
            [day.isoformat(), BOOKED, day.isoformat()],
        ).fetchall()
        return [Booking.from_row(r) for r in rows]

    def mark_reminded(self, booking_no: str, day: date) -> None:
        self._database.db.execute("UPDATE bookings SET reminded_for = ? WHERE booking_no = ?",
                                  [day.isoformat(), booking_no])

    @staticmethod
    def ref(booking_no: str) -> str:
        """The outbox ref of a booking's pushes, so a cancellation can withdraw its reminder."""
        return f"booking:{booking_no}"

    def _outbox(self) -> Any:
        from bot.store.outbox import Outbox

        return Outbox(self._database, self._clock, self._config)

    def suspended_until(self, user_id: str) -> date | None:
        """The day online booking opens again for someone with too many no-shows, or None."""
        rows = self._database.db.execute(
            "SELECT day FROM bookings WHERE user_id = ? AND status = ? ORDER BY day", [user_id, NO_SHOW]
        ).fetchall()
        rules, count, until = self.rules, 0, None
        for (text,) in rows:
            day = date.fromisoformat(text)
            if until is not None and day < until:
                continue
            count += 1
            if count >= rules.no_show_limit:
                until, count = add_months(day, rules.suspension_months), 0
        return until if until is not None and until > self._now().date() else None

    # --- writing -----------------------------------------------------------------------------
    def _new_number(self, db: Any) -> str:
        """Six letters and digits that cannot be misread (no 0/O, 1/I, 5/S, 8/B), not guessable."""
        while True:
            number = "".join(secrets.choice(_NO_ALPHABET) for _ in range(6))
            if db.execute("SELECT 1 FROM bookings WHERE booking_no = ?", [number]).fetchone() is None:
                return number

    def _check_slot(self, db: Any, service: Service, day: date, start: time, user_id: str,
                    ignore_booking: int | None = None) -> list[tuple[str, int]]:
        """Inside the transaction: every rule for (day, start); returns the (slot, seat) pairs to take."""
        now = self._now()
        refusal = self.calendar.refusal(service, day, now, self.closures())
        if refusal is not None:
            raise BookingRefused(refusal.reason, refusal=refusal)
        slot = self.calendar.is_bookable_start(service, day, start)
        if slot is None:
            raise BookingRefused(NO_SUCH_TIME)
        until = self.suspended_until(user_id)
        if until is not None:
            raise BookingRefused(SUSPENDED, until=until)
        same_day = self.on_day_for(user_id, day)
        if same_day is not None and same_day.id != ignore_booking:
            raise BookingRefused(DAY_TAKEN, booking=same_day)
        # Several web machines on PostgreSQL: one booking at a time per (day, slot), so the last seat
        # goes to exactly one citizen and the others see it gone (SQLite has one writer anyway).
        self._database.lock(*(f"booking-slot:{self._office}:{day.isoformat()}:{_hm(covered)}"
                              for covered in slot.covers))
        seats = []
        for covered in slot.covers:
            rows = db.execute(
                "SELECT seat FROM booking_seats WHERE office_id = ? AND day = ? AND slot = ? AND booking_id != ?",
                [self._office, day.isoformat(), _hm(covered), ignore_booking or 0],
            ).fetchall()
            free = sorted(set(range(1, slot.seats + 1)) - {r[0] for r in rows})
            if not free:
                raise BookingRefused(SLOT_FULL)
            seats.append((_hm(covered), free[0]))
        return seats

    def _take_seats(self, db: Any, booking_id: int, day: date, seats: list[tuple[str, int]]) -> None:
        try:
            for slot, seat in seats:
                db.execute("INSERT INTO booking_seats (office_id, day, slot, seat, booking_id) VALUES (?, ?, ?, ?, ?)",
                           [self._office, day.isoformat(), slot, seat, booking_id])
        except sqlite3.IntegrityError as exc:  # the second guard: someone took it outside a transaction
            raise BookingRefused(SLOT_FULL) from exc

    def book_slot(self, user_id: str, service: Service | str, day: date, start: time, *, name: str,
                  phone: str, priority: str = "", lang: str = "zh") -> Booking:
        """Check every rule and take a seat in one transaction; BookingRefused says which rule failed."""
        service = self._service(service) if isinstance(service, str) else service
        stamp = self._clock.stamp()
        with self._database.transaction() as db:
            seats = self._check_slot(db, service, day, start, user_id)
            number = self._new_number(db)
            try:
                booking_id = db.execute(
                    "INSERT INTO bookings (booking_no, user_id, service, day, start, minutes, priority, "
                    "contact_name, contact_phone, lang, created_at, updated_at, office_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [number, user_id, service.code, day.isoformat(), _hm(start), service.minutes,
                     priority if priority in PRIORITIES else "", name, phone, lang, stamp, stamp, self._office],
                ).lastrowid
            except sqlite3.IntegrityError as exc:
                raise BookingRefused(DAY_TAKEN, booking=self.on_day_for(user_id, day)) from exc
            self._take_seats(db, booking_id, day, seats)
        booking = self.get(number)
        assert booking is not None
        log.info("booking %s taken for %s %s", number, day, _hm(start))
        return booking

    def _own(self, booking_no: str, user_id: str | None) -> Booking:
        booking = self.get(booking_no)
        if booking is None or (user_id is not None and booking.user_id != user_id):
            raise BookingRefused(NOT_FOUND)
        if booking.status != BOOKED:
            raise BookingRefused(NOT_ACTIVE, booking=booking)
        return booking

    def reschedule(self, booking_no: str, day: date, start: time, *, user_id: str | None = None) -> Booking:
        """Move a booking to another day or time: take the new seats and free the old in one transaction."""
        with self._database.transaction() as db:
            booking = self._own(booking_no, user_id)
            if booking.starts_at <= self._now():
                raise BookingRefused(STARTED, booking=booking)
            service = self._service(booking.service)
            office = self.for_office(booking.office_id)  # its seats stay in its own office
            seats = office._check_slot(db, service, day, start, booking.user_id, ignore_booking=booking.id)
            db.execute("DELETE FROM booking_seats WHERE booking_id = ?", [booking.id])
            db.execute("UPDATE bookings SET day = ?, start = ?, reminded_for = '', updated_at = ? WHERE id = ?",
                       [day.isoformat(), _hm(start), self._clock.stamp(), booking.id])
            office._take_seats(db, booking.id, day, seats)
            self._outbox().cancel(self.ref(booking_no))
        moved = self.get(booking_no)
        assert moved is not None
        return moved

    def cancel(self, booking_no: str, *, user_id: str | None = None, reason: str = "citizen") -> Booking:
        """Cancel a booking and free its seats at once; a citizen can do so until it starts."""
        with self._database.transaction() as db:
            booking = self._own(booking_no, user_id)
            if user_id is not None and booking.starts_at <= self._now():
                raise BookingRefused(STARTED, booking=booking)
            db.execute("DELETE FROM booking_seats WHERE booking_id = ?", [booking.id])
            db.execute("UPDATE bookings SET status = ?, cancel_reason = ?, updated_at = ? WHERE id = ?",
                       [CANCELLED, reason, self._clock.stamp(), booking.id])
            self._outbox().cancel(self.ref(booking.booking_no))
        cancelled = self.get(booking_no)
        assert cancelled is not None
        return cancelled

    def mark_attendance(self, booking_no: str, status: str) -> Booking:
        """Staff: the citizen arrived, did not come (counts toward suspension), or undo ("booked")."""
        if status not in (ARRIVED, NO_SHOW, BOOKED):
            raise ValueError(f"unknown attendance {status!r}")
        with self._database.transaction() as db:
            booking = self.get(booking_no)
            if booking is None:
                raise BookingRefused(NOT_FOUND)
            if booking.status == CANCELLED:
                raise BookingRefused(NOT_ACTIVE, booking=booking)
            if status == NO_SHOW and booking.starts_at > self._now():
                raise BookingRefused(NOT_YET, booking=booking)
            db.execute("UPDATE bookings SET status = ?, updated_at = ? WHERE id = ?",
                       [status, self._clock.stamp(), booking.id])
        marked = self.get(booking_no)
        assert marked is not None
        return marked

    def add_closure(self, day: date, reason: str, *, by: str = "staff") -> list[Booking]:
        """Close the office on a day and cancel its bookings, atomically; returns them cancelled."""
        with self._database.transaction() as db:
            db.execute(
                "INSERT INTO booking_closures (office_id, day, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(office_id, day) DO UPDATE SET reason = excluded.reason",
                [self._office, day.isoformat(), reason, by, self._clock.stamp()],
            )
            cancelled = []
            for booking in self._booked_on(day):
                cancelled.append(self.cancel(booking.booking_no, reason="closure"))
        log.info("office closed on %s; %d bookings cancelled", day, len(cancelled))
        return cancelled

    def remove_closure(self, day: date) -> bool:
        """Open a closed day again (cancelled bookings stay cancelled)."""
        with self._database.transaction() as db:
            return db.execute("DELETE FROM booking_closures WHERE office_id = ? AND day = ?",
                              [self._office, day.isoformat()]).rowcount == 1


def _past_bookings(db: Any, _cutoff: str, day: str) -> dict[str, int]:
    # Seats go with their booking (ON DELETE CASCADE). A day before the cutoff is always in the past,
    # so every booking left there is finished, whatever its status says.
    return {"bookings": deleted(db, "DELETE FROM bookings WHERE day < ?", [day])}


PART = StorePart(
    "bookings", Bookings, MIGRATIONS,
    retention=(Rule("bookings", "retention_booking_days", _past_bookings, "past counter appointments (name, phone)"),),
    user_tables=(("bookings", "user_id"),),
    keeps_user=("EXISTS (SELECT 1 FROM bookings b WHERE b.user_id = u.user_id AND b.status = 'booked' "
                "AND b.day >= :day)",),
)


def bookings_of(ctx: Any) -> Bookings:
    """The appointments of the office the citizen deals with, under its rules."""
    return ctx.store.bookings.for_office(ctx.office_id, getattr(ctx.office(), "booking_rules", None))
