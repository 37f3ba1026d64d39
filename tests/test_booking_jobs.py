"""The day-before reminder job, closure notices through the clock, and the staff command line."""
from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest

from bot import cli
from handlers.booking.commands import close_day, day_listing
from handlers.booking.jobs import booking_reminders
from reminders.jobs import JOBS, run_tick
from tests.helpers import Citizen, actions_in, all_text

THU = date(2026, 12, 3)


def book(store, user="Uone", day=THU, start=time(10, 0)):
    store.users.ensure(user)
    return store.bookings.book_slot(user, "id_card", day, start, name="王小明", phone="0912345678")


def reminder_rows(store):
    return store.db.execute(
        "SELECT to_id, messages, status, ref FROM outbox WHERE kind = 'booking.reminder'").fetchall()


def at(clock, day, hour, minute=0):
    clock.set(datetime(day.year, day.month, day.day, hour, minute))
    return clock.now()


def test_the_reminder_job_is_in_the_clock_table():
    assert any(job.id == "bookings.reminders" and job.run is booking_reminders for job in JOBS)


def test_the_reminder_is_queued_the_day_before_from_nine_once(services, store, clock):
    booking = book(store)
    assert booking_reminders(services, at(clock, date(2026, 12, 2), 8, 59)) == 0
    assert booking_reminders(services, at(clock, date(2026, 12, 2), 9, 0)) == 1
    assert booking_reminders(services, at(clock, date(2026, 12, 2), 9, 1)) == 0
    (to, messages, status, ref), = reminder_rows(store)
    assert (to, status, ref) == ("Uone", "pending", f"booking:{booking.booking_no}")
    text = all_text(json.loads(messages))
    assert "明天的臨櫃預約提醒" in text and "12/03（四）" in text and "最近 2 年內彩色正面半身照片" in text
    datas = [a["data"] for a in actions_in(json.loads(messages))]
    assert f"a=booking.cancel&no={booking.booking_no}" in datas


def test_a_booking_made_today_for_tomorrow_gets_no_reminder(services, store, clock):
    at(clock, date(2026, 12, 2), 8, 30)
    book(store)
    assert booking_reminders(services, at(clock, date(2026, 12, 2), 9, 30)) == 0
    assert reminder_rows(store) == []


def test_cancelling_withdraws_a_reminder_not_yet_sent(services, store, clock):
    booking = book(store)
    booking_reminders(services, at(clock, date(2026, 12, 2), 9, 0))
    store.bookings.cancel(booking.booking_no, user_id="Uone")
    assert [row[2] for row in reminder_rows(store)] == ["cancelled"]


def test_a_rescheduled_booking_is_reminded_again_for_its_new_day(services, store, clock):
    booking = book(store)
    booking_reminders(services, at(clock, date(2026, 12, 2), 9, 0))
    at(clock, date(2026, 12, 2), 10, 0)
    store.bookings.reschedule(booking.booking_no, date(2026, 12, 4), time(9, 0), user_id="Uone")
    assert booking_reminders(services, at(clock, date(2026, 12, 3), 9, 0)) == 1
    assert sorted(row[2] for row in reminder_rows(store)) == ["cancelled", "pending"]


def test_the_clock_pushes_the_reminder_and_its_cancel_button_frees_the_seat(client, services, store, clock,
                                                                              fake_line):
    citizen = Citizen(client, fake_line)
    citizen.follow()
    booking = book(store, citizen.user_id)
    run_tick(services, at(clock, date(2026, 12, 2), 9, 0))
    pushed = [d["message"] for d in fake_line.delivered(citizen.user_id) if d["via"] == "push"]
    assert "明天的臨櫃預約提醒" in all_text(pushed)
    replies = citizen.taps_button(pushed, "取消預約")
    replies = citizen.taps_button(replies, "確定取消")
    assert "名額已釋出" in all_text(replies)
    assert {s.start: s.seats_left for s in store.bookings.free_slots("id_card", THU)}[time(10, 0)] == 2
    assert store.bookings.get(booking.booking_no).status == "cancelled"


def test_a_closure_notice_reaches_the_citizen_through_the_clock(client, services, store, clock, fake_line):
    citizen = Citizen(client, fake_line)
    citizen.follow()
    book(store, citizen.user_id)
    close_day(store, THU, "颱風停班")
    run_tick(services, clock.now())
    assert "本所 12/03（四） 停止服務（颱風停班）" in "\n".join(fake_line.texts(citizen.user_id))


@pytest.fixture
def cli_env(monkeypatch, config):
    monkeypatch.setenv("DATABASE_PATH", config.database_path)
    for name in ("LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN", "BOOKING_RULES_PATH"):
        monkeypatch.delenv(name, raising=False)


def test_the_staff_day_list_masks_mobiles_unless_asked(store):
    book(store, "Ua", start=time(14, 0))
    store.bookings.book_slot("Ub", "id_card", THU, time(9, 0), name="陳大文", phone="0987654321",
                             priority="elder")
    lines = day_listing(store, THU)
    assert lines[0].startswith("09:00-09:20") and "[年長] 陳大文" in lines[0] and "*******321" in lines[0]
    assert "0912345678" in day_listing(store, THU, show_phone=True)[1]


def test_appointments_commands(cli_env, store, capsys):
    booking = book(store)
    assert cli.main(["appointments", "list", "--date", "2026-12-03"]) == 0
    out = capsys.readouterr().out
    assert "2026-12-03: 1 appointment(s)" in out and booking.booking_no in out and "0912345678" not in out
    assert cli.main(["appointments", "mark", booking.booking_no, "arrived"]) == 0
    assert f"{booking.booking_no}: arrived" in capsys.readouterr().out
    assert cli.main(["appointments", "mark", "NOSUCH", "no-show"]) == 1
    assert cli.main(["appointments", "list", "--date", "not-a-date"]) == 2


def test_closure_commands(cli_env, store, capsys):
    day = date(2027, 1, 6)
    assert cli.main(["closures", "add", day.isoformat(), "--reason", "員工訓練"]) == 0
    assert "closed (員工訓練); 0 booking(s)" in capsys.readouterr().out
    assert cli.main(["closures", "list"]) == 0
    assert "2027-01-06  員工訓練" in capsys.readouterr().out
    assert cli.main(["closures", "remove", day.isoformat()]) == 0
    assert cli.main(["closures", "remove", day.isoformat()]) == 1
    assert cli.main(["closures", "add", "2020-01-01", "--reason", "x"]) == 2


def test_closing_a_day_from_the_command_line_reports_the_cancelled_bookings(store):
    booking = book(store)
    assert close_day(store, THU, "颱風停班").endswith(f"1 booking(s) cancelled and notified: {booking.booking_no}")
