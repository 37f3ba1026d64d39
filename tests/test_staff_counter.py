"""The Cases and Appointments pages: they act through the cases and bookings stores."""
from __future__ import annotations

from datetime import date, datetime, time

from reminders.dispatcher import dispatch_due
from tests.helpers import all_text, labels
from handlers.cases.notices import update_case


def test_a_case_is_found_and_its_status_change_notifies_its_followers(staff, store, services, clock, fake_line,
                                                                      citizen):
    citizen.follow()
    update_case(store, "A1150001", "reviewing", service="戶籍謄本", phone_last4="5678", source="csv")
    store.cases.follow("A1150001", citizen.user_id)
    page = staff.page("/staff/cases?q=1150")
    assert "A1150001" in page and "審核中" in page
    assert "A1150001" not in staff.page("/staff/cases?q=ZZZ")
    response = staff.post("/staff/cases/update", {"case_no": "A1150001", "status": "ready", "pickup_by": "2026-12-31"})
    assert response.headers["Location"].endswith("/staff/cases/A1150001")
    case = store.cases.get("A1150001")
    assert case.status == "ready" and case.pickup_by == date(2026, 12, 31)
    assert store.cases.history("A1150001")[-1]["source"] == "staff:clerk"
    dispatch_due(services, clock.now())
    assert [c.to for c in fake_line.calls("/push")] == [citizen.user_id]  # the ready notice
    page = staff.page("/staff/cases/A1150001")
    assert "可領件" in page and "staff:clerk" in page
    assert store.audit.entries(action="case_status")[0].target == "A1150001"


def test_a_bad_case_update_is_explained(staff, store):
    update_case(store, "A1150002", "received", service="身分證", phone_last4="1234")
    page = staff.post("/staff/cases/update", {"case_no": "A1150002", "status": "flying"}, follow=True)
    assert "無法更新" in page.get_data(as_text=True)
    assert store.cases.get("A1150002").status == "received"


def test_staff_can_create_a_case(staff, store):
    staff.post("/staff/cases/update", {"case_no": "B2", "status": "received", "service": "印鑑證明",
                                       "phone_last4": "4321"})
    assert store.cases.get("B2") is None  # too short a number: refused
    staff.post("/staff/cases/update", {"case_no": "B1150009", "status": "received", "service": "印鑑證明",
                                       "phone_last4": "4321"})
    assert store.cases.get("B1150009").service == "印鑑證明"


def book(store, user_id, start=time(9, 0), name="王小明"):
    service = store.bookings.services()[0]
    return store.bookings.book_slot(user_id, service, date(2026, 12, 2), start, name=name, phone="0912345678")


def test_the_days_appointments_are_listed_with_masked_phones(staff, store):
    booking = book(store, "U1")
    book(store, "U2", time(10, 0), name="林美美")
    page = staff.page("/staff/appointments?date=2026-12-02")
    assert booking.booking_no in page and "林美美" in page and "0912345678" not in page and "*******678" in page
    assert page.index("09:00") < page.index("10:00")
    assert "這天沒有預約" in staff.page("/staff/appointments?date=2026-12-01")  # today (Tuesday) has none


def test_with_none_today_the_page_opens_on_the_next_day_with_bookings(staff, store):
    page = staff.page("/staff/appointments")
    assert "這天沒有預約" in page and "今天沒有預約，顯示" not in page  # nothing ahead either: stay on today
    booking = book(store, "U1")  # Wednesday 12/02
    page = staff.page("/staff/appointments")
    assert "今天沒有預約，顯示下一個有預約的上班日 12/02（三）" in page and booking.booking_no in page
    assert "預約：2026/12/02（三）" in page


def test_status_is_a_badge_and_actions_are_verbs(staff, store):
    booking = book(store, "U1")
    page = staff.page("/staff/appointments?date=2026-12-02")
    assert '<span class="status badge-state att-booked">已預約</span>' in page
    assert f'class="outline">報到<span class="sr-only"> {booking.booking_no}</span>' in page
    assert f'class="outline danger">未到<span class="sr-only"> {booking.booking_no}</span>' in page
    assert "已報到</button>" not in page


def test_arrived_brings_a_survey_after_the_visit_and_no_show_counts(staff, store, services, clock, fake_line,
                                                                    citizen):
    citizen.follow()
    booking = book(store, citizen.user_id)
    other = book(store, "Uother", time(11, 0))
    clock.set(datetime(2026, 12, 2, 9, 5))
    staff.post(f"/staff/appointments/{booking.booking_no}/attendance", {"status": "arrived", "date": "2026-12-02"})
    assert store.bookings.get(booking.booking_no).status == "arrived"
    assert store.surveys.for_source("booking", booking.booking_no) is not None
    assert dispatch_due(services, clock.now()).sent == 0  # the survey waits until after the visit
    clock.set(datetime(2026, 12, 2, 10, 5))
    dispatch_due(services, clock.now())
    pushed = [d["message"] for d in fake_line.delivered(citizen.user_id) if d["via"] == "push"]
    assert "謝謝您今天到所" in all_text(pushed) and "5 非常滿意" in labels(pushed)
    page = staff.post(f"/staff/appointments/{other.booking_no}/attendance",
                      {"status": "no_show", "date": "2026-12-02"}, follow=True).get_data(as_text=True)
    assert "還沒到" in page and store.bookings.get(other.booking_no).status == "booked"
    clock.set(datetime(2026, 12, 2, 11, 30))
    staff.post(f"/staff/appointments/{other.booking_no}/attendance", {"status": "no_show"})
    assert store.bookings.get(other.booking_no).status == "no_show"
    assert [e.action for e in store.audit.entries(action="attendance")] == ["attendance", "attendance"]
