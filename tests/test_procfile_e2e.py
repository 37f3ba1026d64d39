"""The Procfile's web process, exactly as written, answering a signed webhook through the fake LINE API."""
from __future__ import annotations

import json

import pytest
import requests

from bot.webhook import signature_for
from tests.helpers import SECRET, TOKEN, text_event
from tests.live import ProcfileProcess, free_port, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def database(tmp_path):
    return str(tmp_path / "web.sqlite3")


@pytest.fixture
def web(database, fake_line):
    port = free_port()
    env = {
        "PORT": str(port),
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "LINE_API_BASE_URL": fake_line.url,
        "DATABASE_PATH": database,
        "SECRET_KEY": "e2e-secret",
        "WEB_CONCURRENCY": "2",
    }
    with ProcfileProcess("web", env) as process:
        wait_for(f"http://127.0.0.1:{port}/healthz", process=process.process)
        yield f"http://127.0.0.1:{port}"


def post_signed(url: str, events: list[dict]) -> requests.Response:
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    return requests.post(url + "/callback", data=body, timeout=10,
                         headers={"X-Line-Signature": signature_for(SECRET, body), "Content-Type": "application/json"})


def test_the_web_process_answers_health_and_a_signed_message(web, fake_line):
    assert requests.get(web + "/healthz", timeout=5).status_code == 200
    user = "U" + "e2e0" * 8
    response = post_signed(web, [text_event(user, "主選單", fake_line.issue_reply_token(user))])
    assert response.status_code == 200  # acknowledged first; the answer follows
    assert eventually(lambda: fake_line.texts(user)) == ["請問需要什麼服務呢？請點選下方選單，或直接輸入您的問題。"]


def eventually(read, seconds: float = 20.0):
    """What `read` returns once it returns something (the work after the acknowledgement is done)."""
    import time

    deadline = time.monotonic() + seconds
    while not (value := read()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def test_the_web_process_refuses_an_unsigned_webhook(web, fake_line):
    response = requests.post(web + "/callback", json={"events": []}, timeout=5)
    assert response.status_code == 400
    assert fake_line.calls() == []


def test_when_line_is_down_the_webhook_still_answers_200_and_queues_the_reply(web, fake_line, database):
    from bot.registry import open_store
    from reminders.dispatcher import dispatch_due

    fake_line.set_faults(down=True)
    user = "U" + "d0w1" * 8
    response = post_signed(web, [text_event(user, "主選單", fake_line.issue_reply_token(user))])
    assert response.status_code == 200
    store = open_store(database)
    assert eventually(lambda: store.outbox.stats()) == {"pending": 1}
    fake_line.set_faults(down=False)
    from bot.app import build_services
    from bot.config import Config

    services = build_services(Config(database_path=database, line_channel_secret=SECRET,
                                     line_channel_access_token=TOKEN, line_api_base_url=fake_line.url),
                              knowledge=object(), matcher=object())
    dispatch_due(services, services.store.clock.now())
    assert fake_line.texts(user) == ["請問需要什麼服務呢？請點選下方選單，或直接輸入您的問題。"]
