"""Command-line verbs for counter appointments.

    python -m bot closures add 2026-12-04 --reason 颱風停班   (cancels that day's bookings, notifies each citizen)
    python -m bot closures list | closures remove DATE
    python -m bot appointments list [--date D] [--all] [--show-phone]
    python -m bot appointments mark BOOKING_NO arrived|no-show|booked
"""
from __future__ import annotations

import argparse
import functools
import sys
from datetime import date, timedelta
from typing import Callable

from bot.store import Store
from handlers.booking.store import ARRIVED, BOOKED, NO_SHOW, BookingRefused
from handlers.booking.jobs import close_day as close_office_day

MARKS = {"arrived": ARRIVED, "no-show": NO_SHOW, "no_show": NO_SHOW, "booked": BOOKED}
PRIORITY_NAMES = {"elder": "年長", "pregnant": "孕婦", "disabled": "行動不便", "infant": "攜幼兒"}


def register(verbs: argparse._SubParsersAction) -> None:
    closures = verbs.add_parser("closures", help="days the office takes no appointments (typhoon, training)")
    sub = closures.add_subparsers(dest="closures_verb", metavar="ACTION")
    sub.required = True
    add = sub.add_parser("add", help="close a day: its bookings are cancelled and each citizen is notified")
    add.add_argument("date", help="YYYY-MM-DD, today or tomorrow")
    add.add_argument("--reason", required=True, help="what citizens are told, e.g. 颱風停班")
    add.add_argument("--by", default="cli", help="who closed it (for the record)")
    add.set_defaults(run=_with_store(run_closure_add))
    listing = sub.add_parser("list", help="closed days from today on")
    listing.set_defaults(run=_with_store(run_closure_list))
    remove = sub.add_parser("remove", help="open a closed day again (cancelled bookings stay cancelled)")
    remove.add_argument("date")
    remove.set_defaults(run=_with_store(run_closure_remove))
    for verb in (add, listing, remove):
        verb.add_argument("--office", default="", help="the office (OFFICES_FILE id); default: the first office")

    appointments = verbs.add_parser("appointments", help="a day's appointments; mark arrived or no-show")
    sub = appointments.add_subparsers(dest="appointments_verb", metavar="ACTION")
    sub.required = True
    listing = sub.add_parser("list", help="the appointments of a day, in time order")
    listing.add_argument("--date", default="today", help="YYYY-MM-DD, today (default) or tomorrow")
    listing.add_argument("--all", action="store_true", help="include cancelled bookings")
    listing.add_argument("--show-phone", action="store_true", help="print mobile numbers in full")
    listing.set_defaults(run=_with_store(run_list))
    mark = sub.add_parser("mark", help="arrived, no-show (counts toward suspension) or booked (undo)")
    mark.add_argument("booking_no")
    mark.add_argument("status", choices=("arrived", "no-show", "booked"))
    mark.set_defaults(run=_with_store(run_mark))


def _store(args: argparse.Namespace) -> Store:
    store = args.open_store()  # every feature's tables (bot/cli.py)
    store.migrate()
    return store


def _with_store(run: Callable[[argparse.Namespace, Store], int]) -> Callable[[argparse.Namespace], int]:
    """A verb that opens the store from the environment and closes it when done (a pool must not linger)."""
    @functools.wraps(run)
    def verb(args: argparse.Namespace) -> int:
        store = _store(args)
        try:
            return run(args, store)
        finally:
            store.close()
    return verb


def parse_day(text: str, today: date) -> date:
    """YYYY-MM-DD, or the words today / tomorrow."""
    words = {"today": today, "今天": today, "tomorrow": today + timedelta(days=1), "明天": today + timedelta(days=1)}
    if text.strip().lower() in words:
        return words[text.strip().lower()]
    return date.fromisoformat(text.strip())


def _day_arg(store: Store, text: str) -> date | None:
    try:
        return parse_day(text, store.clock.local().date())
    except ValueError:
        print(f"not a date: {text!r} (use YYYY-MM-DD)", file=sys.stderr)
        return None


def close_day(store: Store, day: date, reason: str, by: str = "cli", office_id: str = "") -> str:
    """Close an office's day and describe what happened (used by the command and its tests)."""
    cancelled = close_office_day(store, day, reason, by=by, office_id=office_id)
    numbers = ", ".join(b.booking_no for b in cancelled)
    return f"{day}: closed ({reason}); {len(cancelled)} booking(s) cancelled and notified" + \
        (f": {numbers}" if numbers else "")


def _office_arg(args: argparse.Namespace) -> str | None:
    """The office_id --office names ("" the first office), or None (told why) for an id OFFICES_FILE lacks."""
    from bot.offices import OfficesError, stored_id_named

    try:
        return stored_id_named(args.services().offices if args.office else None, args.office)
    except OfficesError as exc:
        print(exc, file=sys.stderr)
        return None


def run_closure_add(args: argparse.Namespace, store: Store) -> int:
    day, office = _day_arg(store, args.date), _office_arg(args)
    if day is None or office is None:
        return 2
    if day < store.clock.local().date():
        print(f"{day} is in the past", file=sys.stderr)
        return 2
    print(close_day(store, day, args.reason.strip() or "-", args.by, office))
    return 0


def run_closure_list(args: argparse.Namespace, store: Store) -> int:
    office = _office_arg(args)
    if office is None:
        return 2
    closures = store.bookings.for_office(office).closures()
    if not closures:
        print("no closed days ahead")
    for day, reason in closures.items():
        print(f"{day}  {reason}")
    return 0


def run_closure_remove(args: argparse.Namespace, store: Store) -> int:
    day, office = _day_arg(store, args.date), _office_arg(args)
    if day is None or office is None:
        return 2
    if not store.bookings.for_office(office).remove_closure(day):
        print(f"{day} was not closed", file=sys.stderr)
        return 1
    print(f"{day}: open again (bookings cancelled by the closure stay cancelled)")
    return 0


def day_listing(store: Store, day: date, include_cancelled: bool = False, show_phone: bool = False) -> list[str]:
    """One line per appointment: time, number, service, priority, name, mobile, status."""
    from bot.masking import mask_phone

    lines = []
    for b in store.bookings.bookings_on(day, include_cancelled):
        service = store.bookings.service(b.service)
        phone = b.contact_phone if show_phone else mask_phone(b.contact_phone)
        priority = PRIORITY_NAMES.get(b.priority, "")
        lines.append(f"{b.start:%H:%M}-{b.end:%H:%M}  {b.booking_no}  {service.name_zh if service else b.service}"
                     f"  {('[' + priority + '] ') if priority else ''}{b.contact_name}  {phone}  {b.status}")
    return lines


def run_list(args: argparse.Namespace, store: Store) -> int:
    day = _day_arg(store, args.date)
    if day is None:
        return 2
    lines = day_listing(store, day, args.all, args.show_phone)
    closed = store.bookings.closures(day).get(day)
    print(f"{day}: {len(lines)} appointment(s)" + (f" — office closed ({closed})" if closed else ""))
    for line in lines:
        print("  " + line)
    return 0


def run_mark(args: argparse.Namespace, store: Store) -> int:
    try:
        booking = store.bookings.mark_attendance(args.booking_no, MARKS[args.status])
    except BookingRefused as refused:
        print(f"{args.booking_no}: cannot mark ({refused.reason})", file=sys.stderr)
        return 1
    print(f"{booking.booking_no}: {booking.status}")
    until = store.bookings.suspended_until(booking.user_id)
    if until is not None:
        print(f"  this citizen's online booking is suspended until {until}")
    return 0
