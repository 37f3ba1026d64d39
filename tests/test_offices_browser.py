"""Several offices in the staff web, in a real Chromium: a clerk of one office, a city-wide admin."""
from __future__ import annotations

import pytest

from bot.app import create_app
from bot.fake_line import FakeLineApi
from tests.helpers import TOKEN, Citizen, StaffUser, file_complaint
from tests.live import LiveServer, chromium_available
from tests.test_staff_browser import browser, page  # noqa: F401 - the same Chromium and desktop page
from tests.test_offices import FENGSHAN_BOT, FENGSHAN_SECRET, FENGSHAN_TOKEN, _offices_file

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")]


@pytest.fixture
def live(tmp_path, config, clock, monkeypatch, knowledge_and_matcher):
    monkeypatch.setenv("TEST_FENGSHAN_SECRET", FENGSHAN_SECRET)
    monkeypatch.setenv("TEST_FENGSHAN_TOKEN", FENGSHAN_TOKEN)
    fake = FakeLineApi(access_token={TOKEN, FENGSHAN_TOKEN}).start()
    kb, matcher = knowledge_and_matcher
    app = create_app(config.with_(offices_file=str(_offices_file(tmp_path)), line_api_base_url=fake.url),
                     clock=clock, fake_line=fake, knowledge=kb, matcher=matcher)
    store = app.extensions["services"].store
    StaffUser(app.test_client(), store, "fs-clerk", office="fengshan")
    StaffUser(app.test_client(), store, "city", admin=True)
    client = app.test_client()
    file_complaint(Citizen(client, fake, "U" + "a1" * 16), text="小港櫃台等太久了")
    file_complaint(Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT),
                   text="鳳山的停車位太少")
    with LiveServer(app) as server:
        yield server
    store.close()
    fake.stop()


def log_in(page, url, username):
    page.goto(url + "/staff/login")
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(StaffUser.PASSWORD)
    page.get_by_role("button", name="登入").click()
    page.get_by_role("heading", name="收件匣").wait_for()


def test_an_offices_clerk_sees_only_that_offices_threads(live, page):
    log_in(page, live.url, "fs-clerk")
    page.get_by_text("鳳山的停車位太少").wait_for()
    assert page.get_by_text("小港櫃台等太久了").count() == 0
    assert page.get_by_label("戶所").count() == 0  # nothing to switch between


def test_a_city_wide_admin_sees_every_office_and_filters_by_one(live, page):
    log_in(page, live.url, "city")
    page.get_by_text("鳳山的停車位太少").wait_for()
    page.get_by_text("小港櫃台等太久了").wait_for()
    page.get_by_label("戶所").select_option(label="高雄市鳳山戶政事務所")
    page.get_by_role("button", name="篩選").click()
    page.get_by_text("鳳山的停車位太少").wait_for()
    assert page.get_by_text("小港櫃台等太久了").count() == 0
    page.screenshot(path="test-artifacts/offices-inbox-city-wide.png", full_page=True)
