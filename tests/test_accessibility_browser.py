"""WCAG 2.1 AA in a real Chromium: axe-core over every staff page and the simulator at 1280 and 390 px,
focus rings of 3:1, and the simulator by keyboard (screenshots in test-artifacts/ to look at)."""
from __future__ import annotations

from datetime import date, time

import pytest

from bot.app import create_app
from tests.a11y import axe_violations, focus_ring_contrast
from tests.helpers import Citizen, StaffUser, file_complaint
from tests.live import ROOT, LiveServer, chromium_available, chromium_browser
from handlers.cases.notices import update_case

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")]

ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def browser():
    yield from chromium_browser()


@pytest.fixture
def office(config, clock, fake_line):
    """The staff web live, with something on every page: a complaint, a case, bookings, a canned answer."""
    app = create_app(config, clock=clock, fake_line=fake_line)
    services = app.extensions["services"]
    store = services.store
    StaffUser(app.test_client(), store, "boss", admin=True, display_name="李主任")
    file_complaint(Citizen(app.test_client(), fake_line))
    update_case(store, "A1150001", "reviewing", service="戶籍謄本", phone_last4="1234", source="test")
    service = store.bookings.services()[0]
    for start, user in ((time(9, 0), "U1"), (time(10, 0), "U2")):
        store.bookings.book_slot(user, service, date(2026, 12, 3), start, name="王小明", phone="0912345678")
    store.inbox.add_canned_answer("感謝指教", "感謝您的指教，我們會改進。", "boss")
    store.inbox.add_canned_answer("補件說明", "請攜帶戶口名簿正本到所補件。", "boss")
    store.faq.log_question("U3", "我的英文名字（外文姓名）要去哪裡登記或變更", "fallback")
    with LiveServer(app) as server:
        yield server, app, services
    store.close()


def open_page(browser, width: str):
    context = browser.new_context(viewport=WIDTHS[width], locale="zh-TW")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def log_in(page, url: str, username: str = "boss") -> None:
    page.goto(url + "/staff/login")
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(StaffUser.PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.get_by_role("heading", name="收件匣").wait_for()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


STAFF_PAGES = ["/staff/inbox", "/staff/threads/1", "/staff/dashboard", "/staff/knowledge", "/staff/cases",
               "/staff/cases/A1150001", "/staff/appointments", "/staff/canned", "/staff/accounts", "/staff/audit",
               "/staff/password"]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_staff_page_passes_axe_at_both_widths(office, browser, width):
    server, _, _ = office
    context, page = open_page(browser, width)
    page.goto(server.url + "/staff/login")
    found = {"/staff/login": axe_violations(page)}
    log_in(page, server.url)
    for path in STAFF_PAGES:
        page.goto(server.url + path)
        page.wait_for_load_state()
        found[path] = axe_violations(page)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_the_staff_focus_ring_stands_3_to_1_on_cards_buttons_and_the_top_bar(office, browser, width):
    server, _, _ = office
    context, page = open_page(browser, width)
    log_in(page, server.url)
    page.goto(server.url + "/staff/threads/1")
    for selector in ("#reply button[type=submit].primary", ".side .card button", "#note-text", ".crumbs a",
                     ".top nav a"):
        ratio, ring, behind = focus_ring_contrast(page, selector)
        assert ratio >= 3, f"{selector}: ring {ring} on {behind} is {ratio:.2f}:1"
    context.close()


def test_the_canned_answer_picker_browses_by_keyboard_and_inserts_on_the_button(office, browser):
    server, _, _ = office
    context, page = open_page(browser, "desktop")
    log_in(page, server.url)
    page.goto(server.url + "/staff/threads/1")
    page.wait_for_load_state()
    reply = page.get_by_label("回覆市民")
    picker = page.get_by_label("罐頭回覆")
    picker.focus()
    page.keyboard.press("ArrowDown")  # browsing the list inserts nothing
    assert picker.input_value() == "2" and reply.input_value() == ""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "插入"
    page.keyboard.press("Enter")
    assert reply.input_value() == "請攜帶戶口名簿正本到所補件。"
    assert page.evaluate("document.activeElement.id") == "reply-text"  # back in the box, to go on typing
    picker.select_option(label="感謝指教")
    page.get_by_role("button", name="插入").click()
    assert reply.input_value() == "請攜帶戶口名簿正本到所補件。\n\n感謝您的指教，我們會改進。"
    shot(page, "staff-canned-picker.png")
    context.close()


def test_without_javascript_the_insert_button_reloads_with_the_answer(office, browser):
    server, _, _ = office
    context = browser.new_context(viewport=WIDTHS["desktop"], locale="zh-TW", java_script_enabled=False)
    page = context.new_page()
    log_in(page, server.url)
    page.goto(server.url + "/staff/threads/1")
    page.get_by_label("罐頭回覆").select_option(label="補件說明")
    page.get_by_role("button", name="插入").click()
    assert page.get_by_label("回覆市民").input_value() == "請攜帶戶口名簿正本到所補件。"
    context.close()


def test_with_no_canned_answers_yet_the_reply_box_links_to_adding_one(office, browser):
    server, _, services = office
    for answer in services.store.inbox.canned_answers():
        services.store.inbox.remove_canned_answer(answer.id)
    context, page = open_page(browser, "desktop")
    log_in(page, server.url)
    page.goto(server.url + "/staff/threads/1")
    page.get_by_text("還沒有罐頭回覆").wait_for()
    page.get_by_role("link", name="新增罐頭回覆").click()
    page.get_by_role("heading", name="罐頭回覆").wait_for()
    context.close()


def tiles_per_row(page) -> list[int]:
    tops = page.locator(".kpis .kpi").evaluate_all("tiles => tiles.map(t => Math.round(t.getBoundingClientRect().top))")
    return [tops.count(top) for top in sorted(set(tops))]


def labels_outside_their_chart(page) -> list[str]:
    """Text drawn past the right edge of its SVG's viewBox (what a reader would see cut off)."""
    return page.evaluate("""() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
        const width = svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].filter(t => t.getBBox().x + t.getBBox().width > width + 1)
                                                 .map(t => t.textContent);
    })""")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dashboard_fits_its_tiles_and_labels_at_both_widths(office, browser, width):
    server, _, _ = office
    context, page = open_page(browser, width)
    log_in(page, server.url)
    page.goto(server.url + "/staff/dashboard")
    page.locator("svg.chart").first.wait_for()
    rows = tiles_per_row(page)
    assert rows == ([5, 5] if width == "desktop" else [2] * 5)  # never one tile alone
    assert page.get_by_text("未來預約（明天起 30 天）").count() == 1
    assert page.locator(".kpi-ahead .kpi-value").first.inner_text() == "2"
    assert labels_outside_their_chart(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways page scroll
    shot(page, f"staff-dashboard-{width}.png")
    page.goto(server.url + "/staff/appointments")
    page.get_by_text("今天沒有預約，顯示下一個有預約的上班日 12/03（四）").wait_for()
    shot(page, f"staff-appointments-{width}.png")
    context.close()


# --- the simulator ----------------------------------------------------------------------------------
def simulator_page(browser, server, width: str):
    context, page = open_page(browser, width)
    page.goto(server.url + "/simulator/")
    page.locator("#quick button", has_text="預約臨櫃").wait_for()
    return context, page


def tap_quick(page, label: str) -> None:
    page.locator("#quick button", has_text=label).first.click()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_simulator_passes_axe_with_cards_quick_replies_and_english(simulator, browser, width):
    server, app = simulator
    context, page = simulator_page(browser, server, width)
    found = {"welcome": axe_violations(page)}
    page.fill("#text", "結婚登記要帶什麼")
    page.press("#text", "Enter")
    page.locator("#chat .card").last.wait_for()
    found["faq card"] = axe_violations(page)
    page.fill("#text", "English")
    page.press("#text", "Enter")
    page.get_by_text("Switched to English.").wait_for()
    found["english"] = axe_violations(page)
    page.click("#extras")
    found["extras menu"] = axe_violations(page)
    page.keyboard.press("Escape")
    shot(page, f"simulator-{width}.png")
    context.close()
    assert {k: v for k, v in found.items() if v} == {}


def test_the_simulator_focus_ring_stands_3_to_1_on_the_chat(simulator, browser):
    server, _ = simulator
    context, page = simulator_page(browser, server, "phone")
    for selector in ("#quick button", "#text", "#send", "#new-user"):
        ratio, ring, behind = focus_ring_contrast(page, selector)
        assert ratio >= 3, f"{selector}: ring {ring} on {behind} is {ratio:.2f}:1"
    context.close()


def test_only_the_latest_answer_acts_and_the_keyboard_stays_in_the_input(simulator, browser):
    server, _ = simulator
    context, page = simulator_page(browser, server, "phone")
    page.fill("#text", "結婚登記要帶什麼")
    page.press("#text", "Enter")
    page.locator("#chat .card button", has_text="詳細說明").last.wait_for()
    # This card's button, by position: the first quick reply may bring another card with its own button.
    detail = page.locator("#chat .card button", has_text="詳細說明").nth(
        page.locator("#chat .card button", has_text="詳細說明").count() - 1)
    assert detail.is_enabled()  # the latest answer acts
    bot_rows = page.locator("#chat .row.bot").count()
    page.locator("#quick button").first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "text"  # not dropped to the page
    page.wait_for_function(f"document.querySelectorAll('#chat .row.bot').length > {bot_rows}")
    assert detail.is_disabled()  # the FAQ card is history now
    assert page.evaluate("""() => [...document.querySelectorAll('#chat .row.bot')].slice(0, -1)
                              .every(r => !r.querySelector('button:not([disabled])'))""")
    page.locator("#quick button").first.wait_for()
    page.locator("#quick button").first.click()  # a tap keeps the keyboard in the input too
    assert page.evaluate("document.activeElement.id") == "text"
    page.locator("#quick button").first.wait_for()
    # From the input, the newest quick replies are two Shift+Tabs away (past ＋), never behind old buttons.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('#quick') !== null")
    context.close()


def test_the_plus_menu_says_whether_it_is_open_and_escape_closes_it(simulator, browser):
    server, _ = simulator
    context, page = simulator_page(browser, server, "desktop")
    extras = page.locator("#extras")
    assert extras.get_attribute("aria-expanded") == "false"
    extras.focus()
    page.keyboard.press("Enter")
    assert extras.get_attribute("aria-expanded") == "true" and page.locator("#extras-menu").is_visible()
    assert page.evaluate("document.activeElement.dataset.kind") == "sticker"
    page.keyboard.press("Escape")
    assert extras.get_attribute("aria-expanded") == "false" and not page.locator("#extras-menu").is_visible()
    assert page.evaluate("document.activeElement.id") == "extras"
    context.close()


def test_english_messages_are_marked_lang_en(simulator, browser):
    server, _ = simulator
    context, page = simulator_page(browser, server, "desktop")
    assert page.locator("#quick button", has_text="English").get_attribute("lang") == "en"
    tap_quick(page, "English")
    page.get_by_text("Switched to English.").wait_for()
    assert page.locator("#chat [lang=en]", has_text="Switched to English.").count() >= 1
    assert page.locator("#chat .row.bot").first.locator("[lang=en]").count() == 0  # the zh-TW welcome
    context.close()
