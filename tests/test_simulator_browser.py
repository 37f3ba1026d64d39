"""The chat simulator in a real Chromium: typing goes through the signed webhook and replies render."""
from __future__ import annotations

import pytest

from tests.live import chromium_available

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")]


def test_a_new_citizen_is_welcomed_with_the_menu_as_buttons(simulator, page):
    server, _ = simulator
    page.goto(server.url + "/simulator/")
    page.get_by_text("戶政小幫手」").first.wait_for()
    assert page.locator("#quick button", has_text="預約臨櫃").count() == 1


def test_typing_and_tapping_quick_replies_talk_to_the_real_webhook(simulator, page):
    server, app = simulator
    page.goto(server.url + "/simulator/")
    page.locator("#quick button", has_text="English").wait_for()
    page.locator("#quick button", has_text="English").click()
    page.get_by_text("Switched to English.").wait_for()
    page.fill("#text", "主選單")
    page.press("#text", "Enter")
    page.get_by_text("How can I help?").last.wait_for()
    fake = app.extensions["services"].fake_line
    assert any(c.path.endswith("/reply") for c in fake.calls())


def test_stickers_and_images_get_a_polite_answer(simulator, page):
    server, _ = simulator
    page.goto(server.url + "/simulator/")
    page.locator("#quick button", has_text="預約臨櫃").wait_for()
    page.click("#extras")
    page.click("text=貼圖 Sticker")
    page.get_by_text("謝謝您的貼圖").wait_for()


def test_a_second_citizen_has_a_separate_conversation(simulator, page):
    server, app = simulator
    page.goto(server.url + "/simulator/")
    page.locator("#quick button", has_text="English").click()
    page.get_by_text("Switched to English.").wait_for()
    page.click("#new-user")
    page.locator("#chat").get_by_text("戶政小幫手」").wait_for()
    assert page.locator("#chat").get_by_text("Switched to English.").count() == 0
    assert page.locator("#user option").count() == 2


def test_flex_cards_buttons_and_pickers_render(simulator, page):
    """Pushes and every message kind the bot uses render as a citizen would see them."""
    server, app = simulator
    from bot import messages as m

    page.goto(server.url + "/simulator/")
    page.locator("#quick button", has_text="English").wait_for()
    user = page.locator("#user").input_value()
    card = m.bubble("預約確認", ["12/3 10:00", "戶籍登記"], [m.postback_action("取消預約", "a=x"),
                                                           m.datetime_action("改日期", "a=y")])
    services = app.extensions["services"]
    services.sender.push_now(user, [m.flex("預約確認", m.carousel([card, card])),
                                    m.buttons("選單", "請選擇", [m.message_action("主選單")], title="標題"),
                                    m.location("小港戶政", "高雄市小港區", 22.56, 120.35)])
    page.locator(".card").first.wait_for()
    assert page.locator(".carousel .card").count() == 2
    assert page.locator(".picker input[type=date]").count() == 2
    assert page.locator(".push-tag").count() == 3
    page.locator(".tmpl button", has_text="主選單").click()
    page.get_by_text("請問需要什麼服務呢").last.wait_for()


def test_the_run_reminders_button_delivers_queued_pushes(simulator, page):
    """Without a clock process the simulator's ⏩ runs the clock's jobs; queued pushes then appear."""
    server, app = simulator
    page.goto(server.url + "/simulator/")
    page.locator("#quick button", has_text="English").wait_for()
    user = page.locator("#user").input_value()
    app.extensions["services"].store.outbox.enqueue(user, [{"type": "text", "text": "您的證件已可領取"}], urgent=True)
    page.click("#tick")
    page.get_by_text("您的證件已可領取").wait_for()
