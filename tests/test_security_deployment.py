"""Issue 10 item 1: one forgotten credential opens nothing; the simulator only when asked for, for this machine only."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from bot.app import ConfigError, create_app
from bot.config import Config
from bot.registry import open_store
from reminders.dispatcher import dispatch_due
from tests.helpers import SECRET, TOKEN, signed_post, text_event
from tests.live import ROOT, ProcfileProcess, free_port, wait_for

pytestmark = pytest.mark.e2e

CREDENTIALS = {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN}


def run_web(tmp_path: Path, env: dict[str, str]) -> tuple[int, str]:
    """The Procfile's web process with this environment; its exit code and what it printed."""
    full = {"PORT": str(free_port()), "DATABASE_PATH": str(tmp_path / "web.sqlite3"), "SECRET_KEY": "k",
            "LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": "", "SIMULATOR": "", **env}
    with ProcfileProcess("web", full) as web:
        code = web.process.wait(timeout=60)
        return code, web.output()


@pytest.mark.parametrize("missing", ["LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN"])
def test_the_web_process_refuses_to_start_with_one_credential_missing(tmp_path, missing):
    env = {k: v for k, v in CREDENTIALS.items() if k != missing}
    code, output = run_web(tmp_path, env)
    assert code != 0
    assert f"refuses to start: {missing} not set" in output
    assert "Traceback" not in output


def test_the_web_process_refuses_to_start_with_no_credentials(tmp_path):
    code, output = run_web(tmp_path, {})
    assert code != 0 and "LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN not set" in output


def test_the_web_process_never_serves_the_simulator_even_when_asked(tmp_path):
    code, output = run_web(tmp_path, {"SIMULATOR": "1"})
    assert code != 0 and "never serves the simulator" in output


def test_create_app_without_credentials_and_without_simulator_refuses(tmp_path):
    with pytest.raises(ConfigError, match="LINE_CHANNEL_ACCESS_TOKEN not set"):
        create_app(Config(database_path=str(tmp_path / "a.sqlite3"), line_channel_secret="s"))
    assert not (tmp_path / "a.sqlite3").exists(), "nothing is created by a refused start"


def test_serve_with_one_credential_refuses_with_one_line(tmp_path):
    env = {**os.environ, "LINE_CHANNEL_SECRET": "only-the-secret", "LINE_CHANNEL_ACCESS_TOKEN": "",
           "DATABASE_PATH": str(tmp_path / "s.sqlite3"), "SIMULATOR": ""}
    done = subprocess.run([sys.executable, "-m", "bot", "serve", "--port", str(free_port())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "LINE_CHANNEL_ACCESS_TOKEN not set" in done.stderr and "Traceback" not in done.stderr


def test_serve_with_no_credentials_still_starts_the_simulator(tmp_path):
    """The README's run command does not change."""
    port = free_port()
    env = {**os.environ, "LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": "",
           "DATABASE_PATH": str(tmp_path / "s.sqlite3"), "SECRET_KEY": "k"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", process=process)
        assert requests.get(f"http://127.0.0.1:{port}/simulator/", timeout=5).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_the_simulator_answers_only_this_machine(simulator):
    server, app = simulator
    client = app.test_client()
    assert client.get("/simulator/").status_code == 200
    for path in ("/simulator/", "/staff/login", "/healthz"):
        response = client.get(path, environ_base={"REMOTE_ADDR": "203.0.113.7"})
        assert response.status_code == 403, path
    response = client.post("/simulator/api/send", json={"text": "hi"}, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert response.status_code == 403


def test_the_simulator_signs_with_a_secret_nobody_else_knows(simulator):
    server, app = simulator
    for public in ("simulator-channel-secret", SECRET, ""):
        response = signed_post(app.test_client(), [text_event("U" + "9" * 32, "主選單", "tok")], secret=public)
        assert response.status_code == 400


def test_a_simulator_never_sends_what_the_real_bot_queued(tmp_path, fake_line, clock):
    database = str(tmp_path / "shared.sqlite3")
    real = Config(database_path=database, line_channel_secret=SECRET, line_channel_access_token=TOKEN,
                  line_api_base_url=fake_line.url, secret_key="k")
    real_store = open_store(database, clock=clock, config=real)
    real_store.migrate()
    real_store.users.ensure("U" + "r" * 32)
    real_store.outbox.enqueue("U" + "r" * 32, [{"type": "text", "text": "您的案件可領件了"}], urgent=True)

    app = create_app(Config(database_path=database, secret_key="k", simulator=True), clock=clock)
    services = app.extensions["services"]
    dispatch_due(services, clock.now())
    assert real_store.outbox.stats() == {"pending": 1}, "the real row waits for the real dispatcher"
    services.fake_line.stop()
