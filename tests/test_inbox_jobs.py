"""The morning chase of overdue threads."""
from __future__ import annotations

from datetime import datetime

from reminders.dispatcher import dispatch_due
from handlers.inbox.jobs import chase_overdue


def test_overdue_threads_are_listed_by_assignee_once_a_day(store, services, clock):
    store.staff.add("clerk", "clerk-pass-123", display_name="王承辦")
    late = store.inbox.open_thread("question", "U1", ["a"])
    store.inbox.assign(late.id, "clerk")
    store.inbox.open_thread("question", "U2", ["b"])
    store.inbox.open_thread("complaint", "U3", ["c"])  # not due yet
    clock.set(datetime(2026, 12, 3, 8, 30))
    assert chase_overdue(services, clock.now()) == 2
    note = store.outbox.staff_notes()[0]["text"]
    assert "逾期案件提醒" in note and "王承辦：Q-2026-0001" in note and "未指派：Q-2026-0002" in note
    assert "C-2026-0001" not in note
    assert note.index("未指派") < note.index("王承辦")
    chase_overdue(services, clock.now())
    assert len(store.outbox.staff_notes()) == 1


def test_nothing_is_sent_when_nothing_is_late_or_on_a_weekend(store, services, clock):
    assert chase_overdue(services, clock.now()) == 0
    store.inbox.open_thread("question", "U1", ["a"])
    clock.set(datetime(2026, 12, 5, 8, 30))  # Saturday
    assert chase_overdue(services, clock.now()) == 0
    assert store.outbox.staff_notes() == []


def test_with_a_staff_group_the_chase_is_pushed_there(tmp_path, config, clock, fake_line):
    from bot.app import create_app

    app = create_app(config.with_(staff_line_group_id="Cstaffgroup0001"), clock=clock, fake_line=fake_line)
    services = app.extensions["services"]
    services.store.inbox.open_thread("home_visit", "U1", [], subject="住院")
    clock.set(datetime(2026, 12, 7, 8, 30))  # Monday: Friday 17:00 was the deadline
    assert chase_overdue(services, clock.now()) == 1
    dispatch_due(services, clock.now())
    pushes = fake_line.calls("/push")
    assert len(pushes) == 1 and pushes[0].to == "Cstaffgroup0001"
    assert "H-2026-0001" in pushes[0].body["messages"][0]["text"]
    services.store.close()


def test_arrivals_marked_anywhere_get_one_survey_after_the_visit(store, services, clock):
    from datetime import date, time

    service = store.bookings.services()[0]
    booking = store.bookings.book_slot("U1", service, date(2026, 12, 2), time(9, 0), name="王", phone="0912345678")
    clock.set(datetime(2026, 12, 2, 9, 5))
    store.bookings.mark_attendance(booking.booking_no, "arrived")  # e.g. from the command line
    from handlers.survey.jobs import survey_attended_visits

    assert survey_attended_visits(services, clock.now()) == 1
    assert survey_attended_visits(services, clock.now()) == 0
    survey = store.surveys.for_source("booking", booking.booking_no)
    row = store.db.execute("SELECT due_at FROM outbox WHERE kind = 'survey'").fetchone()
    assert survey.user_id == "U1" and row[0] == "2026-12-02T02:00:00Z"  # 09:30 end + 30 minutes, Taipei
