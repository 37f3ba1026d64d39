"""The bookings store: seats, one booking per person per day, cancel, reschedule, attendance, closures."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, time

import pytest

from handlers.booking.store import BookingRefused
from handlers.booking.jobs import close_day

WED, THU = date(2026, 12, 2), date(2026, 12, 3)


def book(store, user="Uone", day=WED, start=time(10, 0), service="id_card", **kw):
    return store.bookings.book_slot(user, service, day, start, name=kw.pop("name", "王小明"),
                                    phone=kw.pop("phone", "0912345678"), **kw)


def refused(reason, call, *args, **kw):
    with pytest.raises(BookingRefused) as info:
        call(*args, **kw)
    assert info.value.reason == reason, info.value.reason
    return info.value


def test_a_booking_gets_a_number_and_takes_a_seat(store):
    booking = book(store, priority="elder")
    assert len(booking.booking_no) == 6 and booking.status == "booked" and booking.priority == "elder"
    assert booking.end == time(10, 20)
    free = {s.start: s.seats_left for s in store.bookings.free_slots("id_card", WED)}
    assert free[time(10, 0)] == 1 and free[time(9, 30)] == 2


def test_a_slot_takes_as_many_citizens_as_it_has_seats_and_no_more(store):
    book(store, "Ua")
    book(store, "Ub")
    refused("slot_full", book, store, "Uc")
    assert time(10, 0) not in {s.start for s in store.bookings.free_slots("id_card", WED)}


def test_a_long_service_takes_a_seat_in_each_slot_it_covers(store):
    book(store, "Ua", start=time(9, 30), service="marriage")  # 9:30 and 10:00
    book(store, "Ub", start=time(10, 0))
    refused("slot_full", book, store, "Uc", start=time(10, 0))
    refused("slot_full", book, store, "Ud", start=time(9, 30), service="marriage")


def test_one_booking_per_person_per_day(store):
    first = book(store)
    error = refused("day_taken", book, store, start=time(14, 0), service="transcript")
    assert error.booking.booking_no == first.booking_no
    assert book(store, day=THU).day == THU


def test_the_seat_table_is_a_second_guard_against_double_booking(store):
    booking = book(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO booking_seats (day, slot, seat, booking_id) VALUES (?, ?, ?, ?)",
                         [WED.isoformat(), "10:00", 1, booking.id])


def test_the_partial_unique_index_is_a_second_guard_for_one_per_day(store):
    book(store)
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO bookings (booking_no, user_id, service, day, start, minutes, created_at, updated_at) "
            "VALUES ('ZZZZZZ', 'Uone', 'id_card', ?, '11:00', 20, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')", [WED.isoformat()])


@pytest.mark.parametrize("day, start, reason", [
    (date(2026, 12, 1), time(15, 0), "today"),
    (date(2026, 12, 5), time(10, 0), "not_open"),
    (date(2026, 11, 30), time(10, 0), "past"),
    (date(2026, 12, 25), time(10, 0), "too_far"),
    (WED, time(12, 0), "no_such_time"),
    (WED, time(10, 15), "no_such_time"),
])
def test_book_slot_applies_the_calendar_rules(store, day, start, reason):
    refused(reason, book, store, day=day, start=start)


def test_cancelling_frees_the_seat_at_once(store):
    book(store, "Ua")
    mine = book(store, "Ub")
    cancelled = store.bookings.cancel(mine.booking_no, user_id="Ub")
    assert cancelled.status == "cancelled"
    assert book(store, "Uc").status == "booked"
    refused("not_active", store.bookings.cancel, mine.booking_no, user_id="Ub")


def test_a_citizen_cannot_cancel_someone_elses_booking(store):
    booking = book(store, "Ua")
    refused("not_found", store.bookings.cancel, booking.booking_no, user_id="Uintruder")


def test_rescheduling_moves_the_seat_and_keeps_the_number(store):
    booking = book(store, "Ua")
    moved = store.bookings.reschedule(booking.booking_no, THU, time(14, 0), user_id="Ua")
    assert (moved.booking_no, moved.day, moved.start) == (booking.booking_no, THU, time(14, 0))
    free_wed = {s.start: s.seats_left for s in store.bookings.free_slots("id_card", WED)}
    assert free_wed[time(10, 0)] == 2
    assert {s.start: s.seats_left for s in store.bookings.free_slots("id_card", THU)}[time(14, 0)] == 1


def test_rescheduling_within_the_same_day_is_allowed(store):
    booking = book(store, "Ua")
    assert store.bookings.reschedule(booking.booking_no, WED, time(11, 0), user_id="Ua").start == time(11, 0)


def test_rescheduling_to_a_full_slot_keeps_the_old_booking(store):
    book(store, "Ub", day=THU)
    book(store, "Uc", day=THU)
    booking = book(store, "Ua")
    refused("slot_full", store.bookings.reschedule, booking.booking_no, THU, time(10, 0), user_id="Ua")
    assert store.bookings.get(booking.booking_no).day == WED
    assert {s.start: s.seats_left for s in store.bookings.free_slots("id_card", WED)}[time(10, 0)] == 1


def test_three_no_shows_suspend_booking_for_six_months(store, clock):
    for day in (WED, THU, date(2026, 12, 4)):
        booking = book(store, day=day)
        clock.set(clock.local().replace(year=day.year, month=day.month, day=day.day, hour=12))
        store.bookings.mark_attendance(booking.booking_no, "no_show")
    assert store.bookings.suspended_until("Uone") == date(2027, 6, 4)
    clock.set(clock.local().replace(month=12, day=7, hour=10))
    refused("suspended", book, store, day=date(2026, 12, 8))
    clock.set(clock.local().replace(year=2027, month=6, day=4, hour=10))
    assert store.bookings.suspended_until("Uone") is None


def test_two_no_shows_and_an_arrival_do_not_suspend(store, clock):
    marks = {WED: "no_show", THU: "arrived", date(2026, 12, 4): "no_show"}
    for day, mark in marks.items():
        booking = book(store, day=day)
        clock.set(clock.local().replace(day=day.day, hour=12))
        store.bookings.mark_attendance(booking.booking_no, mark)
    assert store.bookings.suspended_until("Uone") is None


def test_no_show_cannot_be_marked_before_the_appointment(store):
    booking = book(store)
    refused("not_yet", store.bookings.mark_attendance, booking.booking_no, "no_show")
    assert store.bookings.mark_attendance(booking.booking_no, "arrived").status == "arrived"


def test_the_staff_day_list_is_in_time_order(store):
    book(store, "Ua", start=time(14, 0))
    book(store, "Ub", start=time(9, 0))
    cancelled = book(store, "Uc", start=time(8, 0))
    store.bookings.cancel(cancelled.booking_no)
    assert [b.start for b in store.bookings.bookings_on(WED)] == [time(9, 0), time(14, 0)]
    assert len(store.bookings.bookings_on(WED, include_cancelled=True)) == 3


def test_a_closure_cancels_the_days_bookings_and_queues_a_notice_to_each_citizen(store):
    store.users.ensure("Ua")
    store.users.update("Ub", lang="en")
    a, b = book(store, "Ua"), book(store, "Ub", start=time(14, 0))
    other_day = book(store, "Uc", day=THU)
    cancelled = close_day(store, WED, "颱風停班")
    assert {c.booking_no for c in cancelled} == {a.booking_no, b.booking_no}
    assert store.bookings.get(a.booking_no).cancel_reason == "closure"
    assert store.bookings.get(other_day.booking_no).status == "booked"
    rows = store.db.execute("SELECT to_id, messages, kind FROM outbox WHERE kind = 'booking_closure'").fetchall()
    by_user = {to: json.loads(messages)[0]["text"] for to, messages, _ in rows}
    assert "颱風停班" in by_user["Ua"] and a.booking_no in by_user["Ua"]
    assert "closed" in by_user["Ub"]
    assert store.bookings.availability("id_card").get(WED) is None
    refused("closed", book, store, "Ud")


def test_closing_a_day_twice_notifies_once(store):
    book(store, "Ua")
    close_day(store, WED, "颱風停班")
    close_day(store, WED, "颱風停班（延長）")
    assert store.db.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'booking_closure'").fetchone()[0] == 1
    assert store.bookings.closures()[WED] == "颱風停班（延長）"
    assert store.bookings.remove_closure(WED) and WED not in store.bookings.closures()


def test_availability_covers_the_window_in_one_call(store):
    book(store, "Ua")
    days = store.bookings.availability("id_card")
    assert list(days) == [WED, THU, date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 8)]
    assert all(len(slots) == 15 for slots in days.values())
