"""The office-details page (機關資訊) in a real Chromium: an admin confirms the phone and the map pin."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.app import create_app
from tests.helpers import Citizen, StaffUser, all_text
from tests.live import LiveServer, chromium_available, chromium_browser

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")]


@pytest.fixture
def live(config, clock, fake_line, knowledge_and_matcher):
    kb, matcher = knowledge_and_matcher
    app = create_app(config, clock=clock, fake_line=fake_line, knowledge=kb, matcher=matcher)
    services = app.extensions["services"]
    StaffUser(app.test_client(), services.store, "boss", admin=True, display_name="李主任")
    StaffUser(app.test_client(), services.store, "clerk", display_name="王承辦")
    with LiveServer(app) as server:
        yield server, app, services
    services.store.close()


@pytest.fixture
def browser():
    yield from chromium_browser()


def signed_in(browser, url, username, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="zh-TW")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(url + "/staff/login")
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(StaffUser.PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.get_by_role("heading", name="收件匣").wait_for()
    return context, page


def test_an_admin_confirms_the_phone_and_pin_and_a_citizen_sees_them(live, browser, fake_line, tmp_path):
    server, app, services = live
    out = Path(os.environ.get("STAFF_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    context, page = signed_in(browser, server.url, "boss")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.get_by_role("link", name="機關資訊").click()
    page.get_by_role("heading", name="機關資訊", level=1).wait_for()

    page.get_by_label("新的電話").fill("(07)801-2345")
    page.get_by_role("button", name="儲存電話").click()
    page.get_by_text("已更新「電話」為 07-8012345").wait_for()

    pin = page.get_by_label("新的地圖座標（緯度,經度）")
    pin.fill("120.354,22.5645")  # swapped, as happens when copying from some map sites
    page.get_by_role("button", name="儲存地圖座標（緯度,經度）").click()
    page.get_by_role("alert").filter(has_text="緯度和經度好像寫反了").wait_for()
    assert pin.get_attribute("aria-invalid") == "true" and pin.input_value() == "120.354,22.5645"
    page.screenshot(path=str(out / "staff-office-refused.png"), full_page=True)
    pin.fill("22.5645,120.3540")
    page.get_by_role("button", name="儲存地圖座標（緯度,經度）").click()
    page.get_by_text("已更新「地圖座標（緯度,經度）」為 22.5645,120.354").wait_for()
    page.screenshot(path=str(out / "staff-office-desktop.png"), full_page=True)
    context.close()

    phone_context, phone_page = signed_in(browser, server.url, "boss", {"width": 390, "height": 844})
    phone_page.goto(server.url + "/staff/office")
    phone_page.screenshot(path=str(out / "staff-office-phone.png"), full_page=True)
    phone_context.close()
    # The refused value answers 400 on purpose (the browser logs that); nothing else may fail.
    assert [e for e in errors if "status of 400" not in e] == []

    replies = Citizen(app.test_client(), fake_line).says("服務資訊")
    assert replies[0]["type"] == "location" and replies[0]["latitude"] == 22.5645
    assert "07-8012345" in all_text(replies)
    assert [e.target for e in services.store.audit.entries(action="office_set")] == ["map", "phone"]


def test_a_clerk_who_is_not_an_admin_cannot_open_the_page(live, browser):
    server, _, _ = live
    context, page = signed_in(browser, server.url, "clerk")
    assert page.get_by_role("link", name="機關資訊").count() == 0
    response = page.goto(server.url + "/staff/office")
    assert response.status == 403
    page.get_by_role("heading", name="沒有權限").wait_for()
    context.close()
