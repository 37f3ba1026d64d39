"""Pushes about appointments: the day-before reminder (a clock job) and closing a day (its notices).

Declared in feature.py:  Job("bookings.reminders", booking_reminders, TICK)
From RULES reminder_time (09:00) on the day before, each booking for tomorrow gets one reminder with
改期 / 取消 buttons, through the outbox (quiet hours respected, dedupe_key per booking and day, ref
so that cancelling or rescheduling withdraws a reminder not yet sent). Bookings made today for
tomorrow get none: their confirmation card is a few hours old.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from bot import messages as m
from bot import palette
from bot.clock import iso
from bot.context import t
from bot.workdays import format_day
from handlers.booking import texts
from handlers.core import texts as core_texts

if TYPE_CHECKING:
    from bot.services import Services
    from bot.store import Store
    from handlers.booking.store import Booking, Bookings

log = logging.getLogger(__name__)


def manage_actions(lang: str, booking: "Booking") -> list[m.Action]:
    """改期 / 取消預約 buttons valid at any time: they name the booking."""
    number = booking.booking_no
    return [
        m.postback_action(t(texts, lang, "reschedule"), urlencode({"a": "booking.reschedule", "no": number}),
                          t(texts, lang, "reschedule")),
        m.postback_action(t(texts, lang, "cancel_booking"), urlencode({"a": "booking.cancel", "no": number}),
                          t(texts, lang, "cancel_booking")),
    ]


def reminder_messages(bookings: "Bookings", booking: "Booking", lang: str) -> list[m.Message]:
    """Tomorrow's appointment: when, what to bring, the lateness rule, and 改期 / 取消."""
    service = bookings.service(booking.service)
    name = service.name(lang) if service else booking.service
    documents = "、".join(service.documents(lang)) if service else ""
    if lang == "en":
        documents = "; ".join(service.documents(lang)) if service else ""
    lines = [
        t(texts, lang, "line_no", no=booking.booking_no),
        t(texts, lang, "line_service", service=name),
        t(texts, lang, "line_day", day=format_day(booking.day, lang)),
        t(texts, lang, "line_time", start=booking.start.strftime("%H:%M"), end=booking.end.strftime("%H:%M")),
        t(texts, lang, "reminder_bring", documents=documents) if documents else "",
        t(texts, lang, "line_late", minutes=bookings.rules.late_minutes),
    ]
    title = t(texts, lang, "reminder_title")
    alt = f"{title}: {format_day(booking.day, lang)} {booking.start.strftime('%H:%M')}"
    return [m.flex(alt, m.bubble(title, lines, manage_actions(lang, booking), color=palette.BLUE))]


def closure_notice(bookings: "Bookings", booking: "Booking", reason: str, lang: str) -> list[m.Message]:
    """The office closes on a booked day: the booking is cancelled; offer to book again."""
    service = bookings.service(booking.service)
    body = t(texts, lang, "closure_notice", day=format_day(booking.day, lang), reason=reason, no=booking.booking_no,
             start=booking.start.strftime("%H:%M"), service=service.name(lang) if service else booking.service)
    book, mine = t(core_texts, lang, "menu.booking"), t(core_texts, lang, "menu.my_bookings")
    return [m.text(body, [m.message_action(book, book), m.message_action(mine, mine)])]


def close_day(store: "Store", day: date, reason: str, *, by: str = "staff", office_id: str = "") -> list["Booking"]:
    """Close an office on a day ("" the first office): cancel its bookings and queue a notice to each
    citizen, atomically. Another office's appointments that day stay."""
    bookings = store.bookings.for_office(office_id)
    urgent = day <= store.clock.local().date() + timedelta(days=1)
    with store.transaction():
        cancelled = bookings.add_closure(day, reason, by=by)
        for booking in cancelled:
            user = store.users.get(booking.user_id)
            lang = user.lang if user else booking.lang
            store.outbox.enqueue(booking.user_id, closure_notice(bookings, booking, reason, lang),
                                 kind="booking_closure", urgent=urgent,
                                 dedupe_key=f"booking-closure:{booking.booking_no}:{day.isoformat()}",
                                 ref=f"closure:{booking.booking_no}")
    return cancelled


def booking_reminders(services: "Services", now: datetime) -> int:
    """Clock job: queue the day-before reminders that are due; safe to run every tick."""
    store = services.store
    bookings = store.bookings
    local = now.astimezone(store.clock.tz)
    if local.time() < bookings.rules.reminder_time:
        return 0
    tomorrow = local.date() + timedelta(days=1)
    booked_today_from = iso(datetime.combine(local.date(), time(0), tzinfo=store.clock.tz))
    queued = 0
    for candidate in bookings.reminders_due(tomorrow):
        with store.transaction():
            booking = bookings.get(candidate.booking_no)
            if booking is None or booking.status != "booked" or booking.day != tomorrow:
                continue
            if booking.created_at < booked_today_from:
                user = store.users.get(booking.user_id)
                lang = user.lang if user and user.lang in ("zh", "en") else booking.lang
                row = store.outbox.enqueue(
                    booking.user_id, reminder_messages(bookings, booking, lang), kind="booking.reminder",
                    dedupe_key=f"booking-reminder:{booking.booking_no}:{booking.day.isoformat()}",
                    ref=bookings.ref(booking.booking_no),
                )
                queued += row is not None
            bookings.mark_reminded(booking.booking_no, booking.day)
    if queued:
        log.info("queued %s booking reminder(s) for %s", queued, tomorrow)
    return queued
