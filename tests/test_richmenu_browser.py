"""The simulator's rich menu panel in a real Chromium: the bot's own picture, each tile through the webhook."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.live import ROOT, chromium_available

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")]

ARTIFACTS = ROOT / "test-artifacts"


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_rich_menu_panel_shows_the_deployed_picture_and_its_tiles_work(simulator, page):
    server, app = simulator
    page.set_viewport_size({"width": 420, "height": 860})
    page.goto(server.url + "/simulator/")
    menu = page.locator("#richmenu")
    menu.get_by_role("button", name="查詢進度").wait_for()
    fake = app.extensions["services"].fake_line
    assert fake.richmenus.default is not None  # the simulator deployed it through the fake LINE API
    assert page.locator("#richmenu-image").evaluate("img => img.complete && img.naturalWidth") == 2500
    assert [b.get_attribute("aria-label") for b in menu.locator(".richmenu-areas button").all()] == \
        ["常見問題", "預約臨櫃", "我的預約", "查詢進度", "意見反映", "服務資訊"]

    menu.get_by_role("button", name="查詢進度").click()
    page.locator("#chat .row.me", has_text="查詢進度").wait_for()  # the displayText, as LINE shows it
    page.get_by_text("案件編號").last.wait_for()
    user = page.locator("#user").input_value()
    postbacks = [c for c in fake.calls("/reply") if c.to == user]
    assert postbacks, "the tap went through the signed webhook and was answered"
    menu.get_by_role("button", name="服務資訊").click()
    page.locator("#chat .row.me", has_text="服務資訊").wait_for()
    shot(page, "richmenu-simulator-zh.png")


def test_the_bar_opens_and_closes_the_panel(simulator, page):
    server, _ = simulator
    page.goto(server.url + "/simulator/")
    toggle = page.locator("#richmenu-toggle")
    page.locator("#richmenu").get_by_role("button", name="常見問題").wait_for()
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.inner_text().startswith("選單")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#richmenu-panel").is_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#richmenu-panel").is_visible()


def test_a_citizen_who_chooses_english_gets_the_english_menu(simulator, page):
    server, app = simulator
    page.set_viewport_size({"width": 420, "height": 860})
    page.goto(server.url + "/simulator/")
    menu = page.locator("#richmenu")
    menu.get_by_role("button", name="常見問題").wait_for()
    page.locator("#quick button", has_text="English").click()
    page.get_by_text("Switched to English.").wait_for()
    menu.get_by_role("button", name="Book a visit").wait_for()
    assert page.locator("#richmenu-toggle").inner_text().startswith("Menu")
    page.locator("#send").focus()
    page.keyboard.press("Tab")  # from the input bar the keyboard reaches the first tile
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "FAQ"
    shot(page, "richmenu-simulator-en-focus.png")
    page.keyboard.press("Enter")
    page.locator("#chat .row.me", has_text="FAQ").wait_for()
