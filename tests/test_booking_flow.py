"""Booking a counter visit through the real webhook: taps, typed dates, refusals with a next best choice."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from handlers import booking as flow
from tests.helpers import actions_in, all_text, labels

WED, THU, FRI = date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)
ID_CARD = "國民身分證"


def other_booking(store, user, day=THU, start=time(10, 0), service="id_card"):
    return store.bookings.book_slot(user, service, day, start, name="林小華", phone="0922333444")


def to_days(citizen, service=ID_CARD):
    replies = citizen.says("預約臨櫃")
    replies = citizen.taps_button(replies, service)
    return citizen.taps_button(replies, "文件備齊，選日期")


def to_confirm(citizen, day_label="12/03（四）", time_label="10:00（剩2）"):
    replies = citizen.taps_button(to_days(citizen), day_label)
    replies = citizen.taps_button(replies, time_label)
    replies = citizen.taps_button(replies, "不需要")
    if "使用這組資料" in labels(replies):
        return citizen.taps_button(replies, "使用這組資料")
    citizen.says("王小明")
    return citizen.says("0912345678")


def booking_no(replies):
    for line in all_text(replies).splitlines():
        if line.startswith("預約編號："):
            return line.removeprefix("預約編號：")
    raise AssertionError(all_text(replies))


def test_a_citizen_books_by_taps_alone(citizen, store):
    citizen.follow()
    replies = citizen.says("預約臨櫃")
    assert "請選擇要預約的臨櫃服務項目" in all_text(replies)
    assert {"戶籍登記", ID_CARD, "結婚登記", "假日結婚登記", "自然人憑證", "印鑑", "戶籍謄本"} <= set(labels(replies))

    replies = citizen.taps_button(replies, ID_CARD)
    assert "最近 2 年內彩色正面半身照片" in all_text(replies) and "約 20 分鐘" in all_text(replies)

    replies = citizen.taps_button(replies, "文件備齊，選日期")
    assert labels(replies)[:5] == ["12/02（三）", "12/03（四）", "12/04（五）", "12/07（一）", "12/08（二）"]
    assert "📅 選其他日期" in labels(replies)

    replies = citizen.taps_button(replies, "12/03（四）")
    assert "剩餘名額" in all_text(replies)
    times = [label for label in labels(replies) if "剩" in label]
    assert times[0] == "08:00（剩2）" and "12:00（剩2）" not in times and len(times) == 15

    replies = citizen.taps_button(replies, "10:00（剩2）")
    assert "愛心親善櫃台" in all_text(replies)
    assert {"年長者（65歲以上）", "孕婦", "行動不便", "攜帶幼兒", "不需要"} <= set(labels(replies))

    replies = citizen.taps_button(replies, "孕婦")
    assert "姓名" in all_text(replies)
    assert "手機號碼" in all_text(citizen.says("王小明"))
    replies = citizen.says("0912-345-678")
    text = all_text(replies)
    assert "請確認預約內容" in text and "12/03（四）" in text and "10:00–10:20" in text
    assert "逾時 15 分鐘未報到即視同放棄" in text and "09**-***-678" in text and "0912345678" not in text

    replies = citizen.taps_button(replies, "確認預約")
    assert "預約成功" in all_text(replies)
    number = booking_no(replies)
    assert {"改期", "取消預約", "預約臨櫃", "我的預約"} <= set(labels(replies))
    booking = store.bookings.get(number)
    assert (booking.day, booking.start, booking.priority, booking.contact_phone) == (THU, time(10, 0), "pregnant",
                                                                                      "0912345678")
    user = store.users.get(citizen.user_id)
    assert (user.contact_name, user.contact_phone) == ("王小明", "0912345678")
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_the_next_booking_offers_last_times_name_and_mobile(citizen, store):
    citizen.follow()
    citizen.taps_button(to_confirm(citizen), "確認預約")
    replies = citizen.taps_button(to_days(citizen), "12/04（五）")
    replies = citizen.taps_button(citizen.taps_button(replies, "09:00（剩2）"), "不需要")
    assert "上次的聯絡資料" in all_text(replies) and "王小明" in all_text(replies)
    replies = citizen.taps_button(citizen.taps_button(replies, "使用這組資料"), "確認預約")
    assert store.bookings.get(booking_no(replies)).contact_name == "王小明"


def test_typing_yes_to_last_times_details_uses_them(citizen, store):
    citizen.follow()
    citizen.taps_button(to_confirm(citizen), "確認預約")
    replies = citizen.taps_button(to_days(citizen), "12/04（五）")
    citizen.taps_button(citizen.taps_button(replies, "09:00（剩2）"), "不需要")
    assert "請確認預約內容" in all_text(citizen.says("好"))


def test_the_date_picker_chooses_any_day_in_the_window(citizen):
    citizen.follow()
    replies = to_days(citizen)
    picker = next(a for a in actions_in(replies) if a["type"] == "datetimepicker")
    assert (picker["mode"], picker["min"], picker["max"]) == ("date", "2026-12-02", "2026-12-08")
    replies = citizen.taps(picker["data"], {"date": "2026-12-07"})
    assert "12/07（一） 可預約的時段" in all_text(replies)


@pytest.mark.parametrize("typed, expected", [
    ("12/3 10點", "愛心親善櫃台"),
    ("12月3日", "12/03（四） 可預約的時段"),
    ("明天下午", "12/02（三） 下午"),
    ("週五早上", "12/04（五） 上午"),
])
def test_typed_dates_and_times_work_where_a_button_would(citizen, typed, expected):
    citizen.follow()
    to_days(citizen)
    assert expected in all_text(citizen.says(typed))


def test_a_typed_afternoon_shows_only_afternoon_times(citizen):
    citizen.follow()
    to_days(citizen)
    times = [label for label in labels(citizen.says("明天下午")) if "剩" in label]
    assert times[0] == "13:30（剩2）" and all(t >= "13" for t in times)


def test_a_typed_time_in_the_time_step_takes_it(citizen):
    citizen.follow()
    citizen.taps_button(to_days(citizen), "12/03（四）")
    assert "愛心親善櫃台" in all_text(citizen.says("下午2點半"))


@pytest.mark.parametrize("typed, expected", [
    ("11/30", "11/30（一） 已經過了"),
    ("今天", "當天無法線上預約"),
    ("12/5", "12/05（六） 本所未開放預約"),
    ("12/20", "目前只開放預約到 12/08（二）"),
    ("你好嗎", "我看不懂這個日期"),
])
def test_a_day_that_cannot_be_booked_gets_a_reason_and_the_free_days(citizen, typed, expected):
    citizen.follow()
    to_days(citizen)
    replies = citizen.says(typed)
    assert expected in all_text(replies)
    assert "12/02（三）" in labels(replies)


def test_a_public_holiday_is_named(citizen, clock):
    clock.set(datetime(2026, 12, 21, 10, 0))
    citizen.follow()
    to_days(citizen)
    replies = citizen.says("12/25")
    assert "12/25（五） 是行憲紀念日，本所休息" in all_text(replies)
    assert "12/24（四）" in labels(replies) and "12/25（五）" not in labels(replies)


def test_after_three_in_the_afternoon_tomorrow_is_closed_for_booking(citizen, clock):
    clock.set(datetime(2026, 12, 1, 15, 30))
    citizen.follow()
    replies = to_days(citizen)
    assert "12/02（三）" not in labels(replies)
    assert "已截止（須在前一天 15:00 前預約）" in all_text(citizen.says("明天"))


def test_a_closed_day_is_refused_with_the_reason(citizen, store):
    store.bookings.add_closure(THU, "颱風停班")
    citizen.follow()
    replies = to_days(citizen)
    assert "12/03（四）" not in labels(replies)
    replies = citizen.says("12/3")
    assert "12/03（四） 本所停止服務（颱風停班）" in all_text(replies) and "12/04（五）" in labels(replies)


def test_a_full_time_offers_the_nearest_free_ones(citizen, store):
    other_booking(store, "Ua")
    other_booking(store, "Ub")
    citizen.follow()
    citizen.taps_button(to_days(citizen), "12/03（四）")
    replies = citizen.says("10點")
    assert "12/03（四） 10:00 這個時段剛被預約額滿了" in all_text(replies)
    assert labels(replies)[:2] == ["12/03（四） 09:30", "12/03（四） 10:30"]
    assert "愛心親善櫃台" in all_text(citizen.taps_button(replies, "12/03（四） 10:30"))


def test_a_full_day_is_not_offered_and_typing_it_explains(citizen, store):
    for i, slot in enumerate(store.bookings.calendar.slot_starts(store.bookings.service("id_card"), FRI)):
        other_booking(store, f"Ua{i}", FRI, slot.start)
        other_booking(store, f"Ub{i}", FRI, slot.start)
    citizen.follow()
    assert "12/04（五）" not in labels(to_days(citizen))
    assert "12/04（五） 的時段已全部額滿" in all_text(citizen.says("12/4"))


def test_someone_faster_takes_the_last_seat_before_confirming(citizen, store):
    citizen.follow()
    replies = to_confirm(citizen)
    other_booking(store, "Ua")
    other_booking(store, "Ub")
    replies = citizen.taps_button(replies, "確認預約")
    assert "剛被預約額滿了" in all_text(replies) and "最接近的空檔" in all_text(replies)
    replies = citizen.taps_button(replies, "12/03（四） 09:30")
    assert "請確認預約內容" in all_text(replies)  # priority, name and mobile are kept
    assert store.bookings.get(booking_no(citizen.taps_button(replies, "確認預約"))).start == time(9, 30)


def test_a_double_tap_that_reached_two_workers_shows_the_one_booking(citizen, store):
    citizen.follow()
    replies = to_confirm(citizen)
    twin = store.bookings.book_slot(citizen.user_id, "id_card", THU, time(10, 0), name="王小明", phone="0912345678")
    replies = citizen.taps_button(replies, "確認預約")
    assert "預約成功" in all_text(replies) and booking_no(replies) == twin.booking_no
    assert len(store.bookings.upcoming(citizen.user_id)) == 1


def test_one_booking_per_day_is_explained(citizen, store):
    citizen.follow()
    first = booking_no(citizen.taps_button(to_confirm(citizen), "確認預約"))
    replies = to_days(citizen, "戶籍謄本")
    assert "12/03（四）" not in labels(replies)
    replies = citizen.says("12/3 14:00")
    assert f"您在 12/03（四） 已有一筆預約（{first}，10:00）" in all_text(replies)


def test_a_suspended_citizen_is_told_until_when(citizen, store, clock):
    for day in (WED, THU, FRI):
        booking = other_booking(store, citizen.user_id, day)
        clock.set(datetime(day.year, day.month, day.day, 12, 0))
        store.bookings.mark_attendance(booking.booking_no, "no_show")
    citizen.follow()
    replies = citizen.says("預約臨櫃")
    assert "累計 3 次預約未到，線上預約暫停至 6/04（五）" in all_text(replies)
    assert "預約臨櫃" in labels(replies)


def test_invalid_names_and_mobile_numbers_are_asked_again(citizen):
    citizen.follow()
    replies = citizen.taps_button(to_days(citizen), "12/03（四）")
    citizen.taps_button(citizen.taps_button(replies, "10:00（剩2）"), "不需要")
    assert "不含數字" in all_text(citizen.says("0912345678"))
    citizen.says("王小明")
    assert "格式不正確" in all_text(citizen.says("12345"))
    assert "格式不正確" in all_text(citizen.says("0812345678"))
    assert "請確認預約內容" in all_text(citizen.says("０９１２３４５６７８"))


def test_my_bookings_lists_upcoming_ones_with_reschedule_and_cancel(citizen, store):
    citizen.follow()
    assert "您目前沒有預約" in all_text(citizen.says("我的預約"))
    number = booking_no(citizen.taps_button(to_confirm(citizen), "確認預約"))
    replies = citizen.says("我的預約")
    assert number in all_text(replies) and {"改期", "取消預約"} <= set(labels(replies))


def test_cancelling_from_my_bookings_asks_once_and_frees_the_seat(citizen, store):
    other_booking(store, "Ua")
    citizen.follow()
    number = booking_no(citizen.taps_button(to_confirm(citizen, time_label="10:00（剩1）"), "確認預約"))
    replies = citizen.taps_button(citizen.says("我的預約"), "取消預約")
    assert "確定要取消這筆預約嗎" in all_text(replies)
    assert store.bookings.get(number).status == "booked"
    replies = citizen.taps_button(replies, "確定取消")
    assert f"已取消預約 {number}" in all_text(replies)
    assert {s.start: s.seats_left for s in store.bookings.free_slots("id_card", THU)}[time(10, 0)] == 1
    # The same button again: a clear answer, nothing done.
    assert "已經取消了" in all_text(citizen.taps(f"a=booking.cancel_yes&no={number}"))


def test_keep_leaves_the_booking_alone(citizen, store):
    citizen.follow()
    number = booking_no(citizen.taps_button(to_confirm(citizen), "確認預約"))
    replies = citizen.taps_button(citizen.taps_button(citizen.says("我的預約"), "取消預約"), "保留預約")
    assert "預約保留" in all_text(replies) and store.bookings.get(number).status == "booked"


def test_rescheduling_by_taps_keeps_the_number_and_moves_the_seat(citizen, store):
    citizen.follow()
    number = booking_no(citizen.taps_button(to_confirm(citizen), "確認預約"))
    replies = citizen.taps_button(citizen.says("我的預約"), "改期")
    assert "12/03（四）" in labels(replies)  # its own day stays open for another time
    replies = citizen.taps_button(citizen.taps_button(replies, "12/07（一）"), "14:00（剩2）")
    assert "請確認改期內容" in all_text(replies) and "原預約：12/03（四） 10:00" in all_text(replies)
    replies = citizen.taps_button(replies, "確認改期")
    assert "改期成功" in all_text(replies) and booking_no(replies) == number
    booking = store.bookings.get(number)
    assert (booking.day, booking.start) == (date(2026, 12, 7), time(14, 0))


def test_buttons_of_a_booking_that_is_over_get_a_clear_answer(citizen, store, clock):
    citizen.follow()
    number = booking_no(citizen.taps_button(to_confirm(citizen), "確認預約"))
    clock.set(datetime(2026, 12, 3, 10, 5))
    assert "時間已經到了" in all_text(citizen.taps(f"a=booking.reschedule&no={number}"))
    store.bookings.mark_attendance(number, "arrived")
    assert "已經結束（已報到）" in all_text(citizen.taps(f"a=booking.cancel&no={number}"))
    assert "找不到這筆預約" in all_text(citizen.taps("a=booking.cancel&no=NOSUCH"))


def test_someone_elses_booking_number_is_not_found(citizen, store):
    theirs = other_booking(store, "Uother")
    citizen.follow()
    assert "找不到這筆預約" in all_text(citizen.taps(f"a=booking.cancel_yes&no={theirs.booking_no}"))
    assert store.bookings.get(theirs.booking_no).status == "booked"


def test_the_confirm_button_of_a_finished_flow_is_stale(citizen, store):
    citizen.follow()
    replies = to_confirm(citizen)
    citizen.taps_button(replies, "確認預約")
    assert "過期" in all_text(citizen.taps_button(replies, "確認預約"))
    assert len(store.bookings.upcoming(citizen.user_id)) == 1


def test_typing_the_menu_words_inside_the_flow_starts_over_or_lists(citizen):
    citizen.follow()
    to_days(citizen)
    assert "請選擇要預約的臨櫃服務項目" in all_text(citizen.says("預約臨櫃"))
    assert "您目前沒有預約" in all_text(citizen.says("我的預約"))


def test_typed_service_names_are_understood(citizen):
    citizen.follow()
    citizen.says("預約臨櫃")
    assert "自然人憑證：請備妥以下文件" in all_text(citizen.says("憑證"))
    citizen.says("預約臨櫃")
    assert "結婚登記：請備妥以下文件" in all_text(citizen.says("結婚"))
    citizen.says("預約臨櫃")
    assert "找不到這個項目" in all_text(citizen.says("換駕照"))


def test_holiday_marriage_offers_days_off_only(citizen):
    citizen.follow()
    replies = to_days(citizen, "假日結婚登記")
    assert labels(replies)[:3] == ["12/05（六）", "12/06（日）", "12/12（六）"]
    assert "假日結婚登記只受理週末及國定假日" in all_text(citizen.says("12/8"))


def test_when_nothing_is_free_the_citizen_is_told_to_come_by(citizen, store):
    for day in (WED, THU, FRI, date(2026, 12, 7), date(2026, 12, 8)):
        store.bookings.add_closure(day, "系統維護")
    citizen.follow()
    replies = to_days(citizen)
    assert "已無可預約的空檔" in all_text(replies) and "預約臨櫃" in labels(replies)


def test_the_flow_in_english(citizen, store):
    citizen.follow()
    citizen.says("English")
    replies = citizen.says("Book a visit")
    assert "Which counter service" in all_text(replies)
    seen = list(replies)
    replies = citizen.taps_button(citizen.taps_button(replies, "ID card"), "Ready: pick a day")
    seen += replies + citizen.says("Dec 3")
    replies = citizen.says("Dec 3 10am")
    assert "priority counter" in all_text(replies)
    replies = citizen.says("no")
    citizen.says("Alex Chen")
    replies = citizen.says("0912345678")
    assert "more than 15 minutes late" in all_text(replies)
    replies = citizen.taps_button(replies, "Confirm booking")
    assert "Booked" in all_text(replies)
    seen += replies + citizen.says("My bookings")
    assert not [label for label in labels(seen) if label.endswith("…")], labels(seen)


def test_every_message_is_a_kind_the_simulator_renders(citizen):
    citizen.follow()
    seen = []
    replies = to_days(citizen)
    seen += replies
    replies = citizen.taps_button(replies, "12/03（四）")
    seen += replies
    replies = to_confirm(citizen)
    seen += replies + citizen.taps_button(replies, "確認預約") + citizen.says("我的預約")
    assert {msg["type"] for msg in seen} <= {"text", "flex", "template"}
    assert {a["type"] for a in actions_in(seen)} <= {"message", "postback", "datetimepicker"}
    assert not [a["label"] for a in actions_in(seen) if a["label"].endswith("…")]


def test_state_names_are_module_constants():
    assert flow.DATE == "booking.date" and flow.CONFIRM == "booking.confirm"
