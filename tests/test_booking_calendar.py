"""The appointment calendar: opening hours, slots, holidays, make-up workdays and the national booking window."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from handlers.booking.calendar import BookingCalendar, add_months, load_rules, rules_from_data
from bot.workdays import WorkCalendar

RULES = load_rules(days_ahead=7)
CAL = BookingCalendar(RULES, WorkCalendar())
TUESDAY_10AM = datetime(2026, 12, 1, 10, 0)  # the tests' usual "now"


def service(code):
    return RULES.service(code)


def test_the_data_file_lists_the_services_with_minutes_and_documents_in_both_languages():
    codes = [s.code for s in RULES.services]
    assert {"household", "id_card", "marriage", "marriage_holiday", "certificate", "seal", "transcript",
            "other"} <= set(codes)
    for s in RULES.services:
        assert s.minutes > 0 and s.documents("zh") and s.documents("en"), s.code
        assert s.name("zh") != s.name("en")


def test_a_weekday_has_half_hour_slots_with_the_lunch_break_left_out():
    starts = [s.start for s in CAL.slot_starts(service("id_card"), date(2026, 12, 2))]
    assert starts[0] == time(8, 0) and starts[-1] == time(16, 30)
    assert time(12, 0) not in starts and time(13, 0) not in starts and time(13, 30) in starts
    assert len(starts) == 15


def test_a_service_longer_than_a_slot_needs_the_next_slot_too_and_never_spans_lunch():
    slots = CAL.slot_starts(service("marriage"), date(2026, 12, 2))  # 40 minutes = two slots
    starts = [s.start for s in slots]
    assert time(11, 30) not in starts and time(16, 30) not in starts and time(11, 0) in starts
    assert slots[0].covers == (time(8, 0), time(8, 30))


def test_weekends_and_public_holidays_take_no_ordinary_bookings():
    assert CAL.slot_starts(service("id_card"), date(2026, 12, 5)) == []  # Saturday
    assert CAL.slot_starts(service("id_card"), date(2026, 12, 25)) == []  # 行憲紀念日
    refusal = CAL.refusal(service("id_card"), date(2026, 12, 25), datetime(2026, 12, 21, 10))
    assert refusal.reason == "holiday" and refusal.detail == "行憲紀念日"


def test_a_make_up_saturday_is_a_working_day_with_the_make_up_hours():
    saturday = date(2025, 2, 8)  # 補班 known to the holidays package
    assert [s.start for s in CAL.slot_starts(service("id_card"), saturday)][0] == time(8, 0)
    assert CAL.refusal(service("id_card"), saturday, datetime(2025, 2, 5, 10)) is None


def test_a_make_up_workday_from_the_settings_counts_too():
    cal = BookingCalendar(RULES, WorkCalendar(makeup_workdays=[date(2026, 12, 5)]))
    assert cal.refusal(service("id_card"), date(2026, 12, 5), TUESDAY_10AM) is None


def test_the_window_runs_from_the_next_working_day_to_seven_days_ahead():
    days = CAL.candidate_days(service("id_card"), TUESDAY_10AM)
    assert days == [date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 8)]


@pytest.mark.parametrize("day, now, reason", [
    (date(2026, 11, 30), TUESDAY_10AM, "past"),
    (date(2026, 12, 1), TUESDAY_10AM, "today"),
    (date(2026, 12, 2), datetime(2026, 12, 1, 15, 0), "too_soon"),   # the cut-off is 15:00 the day before
    (date(2026, 12, 9), TUESDAY_10AM, "too_far"),
    (date(2026, 12, 6), TUESDAY_10AM, "not_open"),                   # a Sunday
])
def test_days_outside_the_rules_are_refused_with_a_reason(day, now, reason):
    assert CAL.refusal(service("id_card"), day, now).reason == reason


def test_tomorrow_can_be_booked_until_three_in_the_afternoon():
    assert CAL.refusal(service("id_card"), date(2026, 12, 2), datetime(2026, 12, 1, 14, 59)) is None


def test_a_closure_refuses_the_day_and_says_why():
    refusal = CAL.refusal(service("id_card"), date(2026, 12, 3), TUESDAY_10AM, {date(2026, 12, 3): "颱風停班"})
    assert refusal.reason == "closed" and refusal.detail == "颱風停班"


def test_holiday_marriage_is_booked_three_working_days_to_thirty_days_ahead_on_days_off():
    s = service("marriage_holiday")
    days = CAL.candidate_days(s, TUESDAY_10AM)
    # Wed, Thu, Fri are the three working days in between: Saturday 12/5 is the first day.
    assert days[0] == date(2026, 12, 5) and days[-1] == date(2026, 12, 27)
    assert date(2026, 12, 25) in days  # a public holiday on a Friday
    assert CAL.refusal(s, date(2026, 12, 8), TUESDAY_10AM).reason == "working_day"
    assert CAL.refusal(s, date(2026, 12, 5), datetime(2026, 12, 2, 10)).reason == "too_soon"
    assert CAL.refusal(s, date(2027, 1, 2), TUESDAY_10AM).reason == "too_far"


def test_booking_days_ahead_is_a_setting():
    rules = load_rules(days_ahead=3)
    cal = BookingCalendar(rules, WorkCalendar())
    assert cal.candidate_days(rules.service("id_card"), TUESDAY_10AM)[-1] == date(2026, 12, 4)


def test_rules_read_from_data_with_a_different_office_layout():
    rules = rules_from_data({
        "weekdays": {"mon": {"open": "09:00", "close": "11:00", "slot_minutes": 20, "seats": 3}},
        "services": [{"code": "x", "zh": "某項", "minutes": 20}],
    })
    cal = BookingCalendar(rules, WorkCalendar())
    slots = cal.slot_starts(rules.service("x"), date(2026, 12, 7))
    assert [s.start for s in slots] == [time(9, 0), time(9, 20), time(9, 40), time(10, 0), time(10, 20), time(10, 40)]
    assert slots[0].seats == 3
    assert cal.slot_starts(rules.service("x"), date(2026, 12, 8)) == []  # Tuesday not listed


def test_six_months_later_keeps_the_day_or_the_month_end():
    assert add_months(date(2026, 12, 3), 6) == date(2027, 6, 3)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
