"""The staff web in a real Chromium (Debian's, never a downloaded one) against a live server on loopback."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bot.app import create_app
from reminders.dispatcher import dispatch_due
from tests.helpers import Citizen, StaffUser, all_text, file_complaint, labels
from tests.live import LiveServer, chromium_available, chromium_browser

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")]


@pytest.fixture(scope="module")
def browser():
    yield from chromium_browser()


@pytest.fixture
def live(config, clock, fake_line):
    app = create_app(config, clock=clock, fake_line=fake_line)
    # CSRF stays on: these tests check that a form without its token is refused.
    assert app.config.get("WTF_CSRF_ENABLED", True)
    services = app.extensions["services"]
    StaffUser(app.test_client(), services.store, "clerk", display_name="王承辦")
    with LiveServer(app) as server:
        yield server, app, services
    services.store.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-TW")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, url):
    page.goto(url + "/staff/login")
    page.get_by_label("帳號").fill("clerk")
    page.get_by_label("密碼").fill(StaffUser.PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.get_by_role("heading", name="收件匣").wait_for()


def citizen_files_a_complaint(app, fake_line, text="二號櫃台的人態度很差，講話很兇"):
    return file_complaint(Citizen(app.test_client(), fake_line), text)


def test_a_page_without_login_redirects_to_the_login(live, page):
    server, _, _ = live
    page.goto(server.url + "/staff/dashboard")
    assert "/staff/login" in page.url
    page.get_by_role("heading", name="同仁登入").wait_for()


def test_log_in_open_a_forwarded_complaint_reply_and_the_push_reaches_line(live, page, fake_line, clock):
    server, app, services = live
    citizen = citizen_files_a_complaint(app, fake_line)
    log_in(page, server.url)
    page.get_by_role("link", name="C-2026-0001").click()
    page.get_by_text("二號櫃台的人態度很差").wait_for()
    assert page.get_by_text("0912345678").count() == 0  # the phone is masked
    page.get_by_label("回覆市民").fill("王先生您好，已請櫃台主管了解並改善，謝謝您。")
    page.get_by_role("button", name="送出回覆").click()
    page.get_by_text("回覆已排入傳送").wait_for()
    assert dispatch_due(services, clock.now()).sent == 1
    pushed = [d["message"] for d in fake_line.delivered(citizen.user_id) if d["via"] == "push"]
    assert "已請櫃台主管了解並改善" in all_text(pushed) and "回覆承辦同仁" in labels(pushed)
    page.reload()
    page.get_by_text("已送達 LINE").wait_for()


def test_a_form_without_its_csrf_token_is_refused(live, page, fake_line):
    server, app, services = live
    citizen_files_a_complaint(app, fake_line)
    log_in(page, server.url)
    page.get_by_role("link", name="C-2026-0001").click()
    page.evaluate("document.querySelector('#reply input[name=csrf_token]').remove()")
    page.get_by_label("回覆市民").fill("這則不該送出")
    with page.expect_response(lambda r: r.url.endswith("/reply")) as response:
        page.get_by_role("button", name="送出回覆").click()
    assert response.value.status == 400
    page.get_by_role("heading", name="表單已失效").wait_for()
    assert services.store.outbox.stats() == {}
    thread = services.store.inbox.by_ref("C-2026-0001")
    assert all(m.author_kind != "staff" for m in services.store.inbox.messages(thread.id))


def test_a_citizens_script_is_shown_as_text(live, page, fake_line):
    server, app, services = live
    citizen = Citizen(app.test_client(), fake_line)
    citizen.follow()
    citizen.says("找真人")
    evil = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">救命"
    citizen.says(evil)
    log_in(page, server.url)
    page.get_by_role("link", name="Q-2026-0001").click()
    page.locator(".msg-citizen .body").first.wait_for()
    assert page.locator(".msg-citizen .body").first.inner_text() == evil
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".conversation img").count() == 0


def test_the_login_and_the_inbox_work_by_keyboard_alone(live, page, fake_line):
    server, app, _ = live
    citizen_files_a_complaint(app, fake_line)
    page.goto(server.url + "/staff/login")
    assert page.evaluate("document.activeElement.id") == "username"  # the cursor starts in the form
    page.keyboard.type("clerk")
    page.keyboard.press("Tab")
    page.keyboard.type(StaffUser.PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="收件匣").wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要內容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.get_by_role("link", name="C-2026-0001").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="往來紀錄").wait_for()


def test_a_canned_answer_is_inserted_and_closing_asks_for_confirmation(live, page, fake_line):
    server, app, services = live
    citizen_files_a_complaint(app, fake_line)
    services.store.inbox.add_canned_answer("感謝指教", "感謝您的指教，我們會改進。", "clerk")
    log_in(page, server.url)
    page.get_by_role("link", name="C-2026-0001").click()
    page.wait_for_load_state()  # the click does not wait for the deferred script that inserts answers
    page.get_by_label("罐頭回覆").select_option(label="感謝指教")
    page.get_by_role("button", name="插入").click()
    expect(page.get_by_label("回覆市民")).to_have_value("感謝您的指教，我們會改進。")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="結案").click()
    assert services.store.inbox.by_ref("C-2026-0001").status == "new"  # dismissed: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="結案").click()
    page.get_by_text("已結案，並傳送滿意度調查").wait_for()
    assert services.store.inbox.by_ref("C-2026-0001").status == "closed"


def seed_figures(app, fake_line, clock):
    """A month of activity: messages, FAQ outcomes, threads of each kind, ratings, bookings."""
    services = app.extensions["services"]
    store = services.store
    start = clock.now()
    citizen_files_a_complaint(app, fake_line)
    for day in range(12):
        clock.set(start - timedelta(days=day, hours=1))
        for i in range(3 + (day * 7) % 9):
            store.messages.add(f"Useed{i}", "in", "text", "身分證要帶什麼")
            store.faq.log_question(f"Useed{i}", "身分證換發要帶什麼", "answer" if i % 4 else "fallback",
                                   entry_id="id_card_renew" if i % 4 else None)
        if day % 3 == 0:
            store.inbox.open_thread("complaint", f"Uc{day}", ["環境很吵"], category=("environment", "process")[day % 2])
        if day % 4 == 0:
            survey = store.surveys.invite("booking", day, f"Us{day}")
            store.surveys.rate(survey, f"Us{day}", 5 - day % 3)
    clock.set(start - timedelta(days=3))
    store.inbox.open_thread("question", "Uq", ["外籍配偶怎麼辦戶籍"])
    clock.set(start)


def test_screenshots_of_the_inbox_and_the_dashboard(live, browser, fake_line, clock, tmp_path):
    server, app, _ = live
    seed_figures(app, fake_line, clock)
    out = Path(os.environ.get("STAFF_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport, locale="zh-TW")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        log_in(page, server.url)
        page.screenshot(path=str(out / f"staff-inbox-{name}.png"), full_page=True)
        page.get_by_role("link", name="C-2026-0001").click()
        page.get_by_role("heading", name="往來紀錄").wait_for()
        page.screenshot(path=str(out / f"staff-thread-{name}.png"), full_page=True)
        page.goto(server.url + "/staff/dashboard")
        page.locator("svg.chart").first.wait_for()
        assert page.locator("svg.chart").count() >= 6
        page.screenshot(path=str(out / f"staff-dashboard-{name}.png"), full_page=True)
        context.close()
        assert errors == []  # e.g. nothing blocked by the CSP, no missing files
    assert (out / "staff-dashboard-desktop.png").stat().st_size > 10_000
