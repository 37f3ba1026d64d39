"""The simulator with several offices (OFFICES_FILE): the tester writes to the shared bot or an office's own.

Through the real server: the page's /api/send signs each event with the chosen channel's secret and its
bot's destination, the webhook accepts it for that channel, and the page shows what that channel's bot
delivered (replies and pushes) and which office the citizen belongs to. 小港 and 前鎮 share the default
channel; 鳳山 has its own bot, whose variables are not set: the simulator makes up a secret and token.
"""
from __future__ import annotations

from typing import Any

import pytest
import requests

from bot.app import ConfigError, create_app
from bot.config import Config
from bot.offices import OfficesError, load_offices
from tests.conftest import on_postgresql
from tests.helpers import SECRET, TOKEN, actions_in, all_text
from tests.live import LiveServer, chromium_available
from tests.test_offices import FENGSHAN_BOT, _offices_file

FENGSHAN = "line:fengshan"


@pytest.fixture
def offices_simulator(tmp_path, monkeypatch, knowledge_and_matcher):
    """`python -m bot serve` with no LINE credentials and an OFFICES_FILE whose office bot has no variables."""
    monkeypatch.delenv("TEST_FENGSHAN_SECRET", raising=False)
    monkeypatch.delenv("TEST_FENGSHAN_TOKEN", raising=False)
    kb, matcher = knowledge_and_matcher
    app = create_app(Config(database_path=str(tmp_path / "sim.sqlite3"), simulator=True,
                            offices_file=str(_offices_file(tmp_path, shared=True)),
                            secret_key="test-secret-key" if on_postgresql() else ""),
                     knowledge=kb, matcher=matcher)
    with LiveServer(app) as server:
        yield server, app
    app.extensions["services"].fake_line.stop()
    app.extensions["services"].store.close()


def _send(server: LiveServer, user: str, channel: str | None, **payload: Any) -> requests.Response:
    body = {"user": user, **payload, **({"channel": channel} if channel is not None else {})}
    return requests.post(server.url + "/simulator/api/send", json=body, timeout=30)


def _page(server: LiveServer, user: str, channel: str | None = None) -> dict[str, Any]:
    params = {"user": user, **({"channel": channel} if channel is not None else {})}
    return requests.get(server.url + "/simulator/api/messages", params=params, timeout=30).json()


def _messages(server: LiveServer, user: str, channel: str | None = None) -> list[dict[str, Any]]:
    return [d["message"] for d in _page(server, user, channel)["messages"]]


def test_the_page_offers_each_channel_by_its_offices(offices_simulator):
    server, _ = offices_simulator
    html = requests.get(server.url + "/simulator/", timeout=30).text
    assert 'id="channel"' in html
    assert '<option value="line">高雄市小港戶政事務所、高雄市前鎮戶政事務所（共用頻道 shared bot）' in html
    assert f'<option value="{FENGSHAN}">高雄市鳳山戶政事務所（專屬頻道 own bot）' in html


def test_writing_to_an_offices_own_channel_is_answered_by_its_bot_with_its_address(offices_simulator):
    server, app = offices_simulator
    services = app.extensions["services"]
    user = "U" + "b2" * 16

    assert _send(server, user, FENGSHAN, type="text", text="服務資訊").json() == {"status": 200}

    answer = all_text(_messages(server, user, FENGSHAN))
    assert "高雄市鳳山區" in answer and "小港" not in answer
    assert _messages(server, user, "line") == []  # the shared bot's chat stays empty
    assert services.store.users.get(user).channel == FENGSHAN  # the webhook took it as 鳳山's event
    fengshan_token = services.line_for(FENGSHAN).access_token
    assert fengshan_token and fengshan_token != services.line.access_token
    assert {c.token for c in services.fake_line.calls("/v2/bot/message/")} == {fengshan_token}
    assert _page(server, user, FENGSHAN)["office"] == {
        "zh": "高雄市鳳山戶政事務所", "en": "Fengshan Household Registration Office, Kaohsiung City",
        "can_switch": False}


def test_writing_to_the_shared_channel_asks_for_the_office_and_the_label_follows_the_choice(offices_simulator):
    server, app = offices_simulator
    user = "U" + "e5" * 16

    _send(server, user, "line", type="text", text="服務資訊")

    asked = _messages(server, user, "line")
    assert "哪一個戶政事務所" in all_text(asked)
    assert _page(server, user, "line")["office"] == {"zh": "尚未選擇", "en": "not chosen yet", "can_switch": True}
    cianjhen = {a["label"]: a for a in actions_in(asked)}["前鎮戶政事務所"]
    _send(server, user, "line", type="postback", data=cianjhen["data"])
    assert "高雄市前鎮區" in all_text(_messages(server, user, "line"))
    assert _page(server, user, "line")["office"]["zh"] == "高雄市前鎮戶政事務所"
    # The same citizen on 鳳山's own bot belongs to 鳳山 there, whatever they chose on the shared one.
    assert _page(server, user, FENGSHAN)["office"]["zh"] == "高雄市鳳山戶政事務所"


def test_a_push_to_an_office_channels_citizen_reaches_that_channels_chat(offices_simulator):
    """A queued push (a staff reply, a reminder) goes out through the citizen's bot, in simulator mode too."""
    server, app = offices_simulator
    services = app.extensions["services"]
    user = "U" + "c3" * 16
    _send(server, user, FENGSHAN, type="follow")
    row = services.store.outbox.enqueue(user, [{"type": "text", "text": "您的證件已可領取"}], urgent=True)
    assert services.store.outbox.get(row)["channel"] == "simulator:fengshan"

    requests.post(server.url + "/simulator/api/tick", timeout=30)

    pushed = [d for d in _page(server, user, FENGSHAN)["messages"] if d["via"] == "push"]
    assert [d["message"]["text"] for d in pushed] == ["您的證件已可領取"]
    assert "token" not in pushed[0]  # the page never sees a bot's token
    assert services.store.outbox.get(row)["status"] == "sent"
    assert "您的證件已可領取" not in all_text(_messages(server, user, "line"))


def test_an_unknown_channel_is_refused_and_nothing_reaches_the_webhook(offices_simulator):
    server, app = offices_simulator
    user = "U" + "d4" * 16
    response = _send(server, user, "line:nowhere", type="text", text="服務資訊")
    assert response.status_code == 400
    assert app.extensions["services"].store.users.get(user) is None


def test_only_the_simulator_makes_up_an_office_channels_secret(tmp_path, monkeypatch):
    """Production still refuses an office channel whose variables are missing."""
    monkeypatch.delenv("TEST_FENGSHAN_SECRET", raising=False)
    monkeypatch.delenv("TEST_FENGSHAN_TOKEN", raising=False)
    config = Config(line_channel_secret=SECRET, line_channel_access_token=TOKEN,
                    database_path=str(tmp_path / "bot.sqlite3"), secret_key="test-secret-key",
                    offices_file=str(_offices_file(tmp_path)))
    with pytest.raises(OfficesError, match="TEST_FENGSHAN_SECRET is not set"):
        load_offices(config, environ={})
    with pytest.raises(ConfigError, match="TEST_FENGSHAN_SECRET is not set"):
        create_app(config)
    first, second = (load_offices(config.with_(simulator=True), environ={}) for _ in range(2))
    own = next(c for c in first.channels if c.key == FENGSHAN)
    assert own.destination == FENGSHAN_BOT and own.secret and own.access_token
    assert own.secret != next(c for c in second.channels if c.key == FENGSHAN).secret  # fresh per start


def test_without_offices_file_the_page_has_no_channel_or_office(simulator):
    server, _ = simulator
    html = requests.get(server.url + "/simulator/", timeout=30).text
    assert 'id="channel"' not in html and 'id="office"' not in html
    user = "U" + "a1" * 16
    assert _send(server, user, None, type="text", text="服務資訊").json() == {"status": 200}
    answer = _page(server, user)
    assert "office" not in answer
    assert "高雄市小港區" in all_text([d["message"] for d in answer["messages"]])


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")
def test_a_tester_switches_between_the_shared_bot_and_an_offices_own(offices_simulator, page):
    server, _ = offices_simulator
    page.goto(server.url + "/simulator/")
    page.locator("#quick button", has_text="預約臨櫃").wait_for()  # the shared bot's welcome
    page.get_by_label("切換頻道 Switch channel").select_option(FENGSHAN)
    page.locator("#chat").get_by_text("（加入好友 followed）").wait_for()  # a new chat: the citizen adds 鳳山's bot
    page.fill("#text", "服務資訊")
    page.press("#text", "Enter")
    page.locator("#chat").get_by_text("高雄市鳳山區", exact=False).first.wait_for()
    page.locator("#office", has_text="高雄市鳳山戶政事務所").wait_for()
    assert page.locator("#switch-office").is_hidden()  # 鳳山's bot serves one office

    page.get_by_label("切換頻道 Switch channel").select_option("line")
    page.locator("#office", has_text="尚未選擇").wait_for()
    assert page.locator("#chat").get_by_text("高雄市鳳山區", exact=False).count() == 0  # the shared bot's chat
    page.fill("#text", "服務資訊")
    page.press("#text", "Enter")
    page.locator("#quick button", has_text="前鎮戶政事務所").click()
    page.locator("#office", has_text="高雄市前鎮戶政事務所").wait_for()
    page.click("#switch-office")
    page.locator("#quick button", has_text="小港戶政事務所").click()
    page.locator("#office", has_text="高雄市小港戶政事務所").wait_for()
    page.screenshot(path="test-artifacts/simulator-offices.png", full_page=True)


@pytest.mark.browser
@pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")
def test_the_office_bar_passes_axe_and_its_focus_rings_stand_3_to_1_on_a_phone(offices_simulator, page):
    from tests.a11y import axe_violations, focus_ring_contrast

    server, _ = offices_simulator
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/simulator/")
    page.locator("#quick button", has_text="預約臨櫃").wait_for()
    page.locator("#switch-office").wait_for()  # the shared bot: the citizen may change office
    assert axe_violations(page) == []
    for selector in ("#channel", "#switch-office"):
        ratio, ring, behind = focus_ring_contrast(page, selector)
        assert ratio >= 3, f"{selector}: ring {ring} on {behind} is {ratio:.2f}:1"
