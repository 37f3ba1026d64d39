"""Shared fixtures: a fake LINE API on loopback, a settable clock, the app on a real SQLite file.

`pytest --engine postgresql` (or TEST_DATABASE=postgresql) runs the same tests on PostgreSQL: a private
cluster is started once per session and every test gets a fresh database, copied from a migrated
template, through DATABASE_URL (which every Config, and every process a test starts, follows).
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any, Iterator

import pytest

from bot.app import create_app
from bot.clock import FakeClock
from bot.config import Config
from bot.fake_line import FakeLineApi
from tests.helpers import SECRET, TOKEN, Citizen

# A Tuesday morning in the office's time zone; tests move the clock, never sleep.
START = datetime(2026, 12, 1, 10, 0)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--engine", choices=("sqlite", "postgresql"), default=None,
                     help="database engine for the whole suite (default: TEST_DATABASE or sqlite)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): checks something only the SQLite file has")
    config.addinivalue_line("markers", "no_database(reason): touches no database, so the PostgreSQL run skips it")
    engine = config.getoption("--engine") or os.environ.get("TEST_DATABASE") or "sqlite"
    os.environ["TEST_DATABASE"] = engine  # processes the tests start see it too
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)


def on_postgresql() -> bool:
    return os.environ.get("TEST_DATABASE") == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not on_postgresql():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "SQLite only"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))
        marker = item.get_closest_marker("no_database")
        if marker is not None:  # the SQLite run already covered it; the second run stays within CI's time
            reason = marker.args[0] if marker.args else "no database involved"
            item.add_marker(pytest.mark.skip(reason=f"same on every engine: {reason}"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """One private PostgreSQL cluster and a migrated template database, for the whole session."""
    from bot.registry import open_store
    from tests.pg_cluster import Cluster

    cluster = Cluster().start()
    try:
        url = cluster.create_database("template_bot")
        template = open_store(":memory:", config=Config(database_url=url))
        template.migrate()
        template.close()
        yield cluster
    finally:
        cluster.stop()


_databases = iter(range(1, 1_000_000))


@pytest.fixture(autouse=True)
def database_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """SQLite: nothing to do (each test's Config points at its own file). PostgreSQL: a fresh database."""
    if not on_postgresql():
        yield "sqlite"
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = f"test_{os.getpid()}_{next(_databases)}"
    monkeypatch.setenv("DATABASE_URL", cluster.create_database(name, template="template_bot"))
    yield "postgresql"
    cluster.drop_database(name)


def _spec_violations() -> list[dict[str, Any]]:
    return [v for log in FakeLineApi.spec_logs for v in log.violations]


def _low_contrast() -> list[str]:
    return [p for log in FakeLineApi.spec_logs for p in log.low_contrast]


@pytest.fixture(autouse=True)
def every_request_is_valid_for_line() -> Iterator[None]:
    """Each test fails if any request it made to a fake LINE API breaks LINE's spec (bot/line_spec.py)."""
    before, dim_before = len(_spec_violations()), len(_low_contrast())
    yield
    dim = _low_contrast()[dim_before:]
    if dim:
        pytest.fail(f"{len(dim)} card colour(s) below WCAG AA 4.5:1:\n" + "\n".join(dim[:5]), pytrace=False)
    new = _spec_violations()[before:]
    if new:
        details = "\n".join(f"{v['path']}: {json.dumps(v['details'], ensure_ascii=False)}" for v in new[:5])
        pytest.fail(f"{len(new)} request(s) LINE would refuse:\n{details}", pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The whole session fails on any spec violation, even one made outside a test's own span."""
    found = _spec_violations()
    report = os.environ.get("LINE_SPEC_REPORT")
    if report:
        checked = sum(log.checked for log in FakeLineApi.spec_logs)
        with open(report, "w", encoding="utf-8") as out:
            json.dump({"checked": checked, "violations": found}, out, ensure_ascii=False, indent=1)
    if (found or _low_contrast()) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    checked = sum(log.checked for log in FakeLineApi.spec_logs)
    found = _spec_violations()
    terminalreporter.write_line(f"LINE spec: {checked} request(s) checked against messaging-api.yml, "
                                f"{len(found)} refused, {len(_low_contrast())} card colour(s) below 4.5:1")


@pytest.fixture(scope="session")
def fake_line_server() -> Iterator[FakeLineApi]:
    fake = FakeLineApi(access_token=TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_line(fake_line_server: FakeLineApi) -> FakeLineApi:
    fake_line_server.reset()
    return fake_line_server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def config(tmp_path, fake_line: FakeLineApi) -> Config:
    return Config(
        line_channel_secret=SECRET,
        line_channel_access_token=TOKEN,
        line_api_base_url=fake_line.url,
        database_path=str(tmp_path / "bot.sqlite3"),
        secret_key="test-secret-key",
        staff_api_token="test-staff-api-token",
    )


@pytest.fixture(scope="session")
def knowledge_and_matcher():
    """The real knowledge base and matcher, built once: building the matcher takes seconds."""
    from knowledge import load_knowledge_base
    from knowledge.matcher import Matcher

    kb = load_knowledge_base()
    return kb, Matcher.learned(kb)


@pytest.fixture
def app(config: Config, clock: FakeClock, fake_line: FakeLineApi, knowledge_and_matcher):
    kb, matcher = knowledge_and_matcher
    app = create_app(config, clock=clock, fake_line=fake_line, knowledge=kb, matcher=matcher)
    app.config["TESTING"] = True
    yield app
    app.extensions["services"].store.close()


@pytest.fixture
def app_with(config, clock, fake_line, knowledge_and_matcher):
    """The app with some settings changed, as an office would set them in the environment."""
    made = []

    def build(**changes):
        kb, matcher = knowledge_and_matcher
        app = create_app(config.with_(**changes), clock=clock, fake_line=fake_line, knowledge=kb, matcher=matcher)
        app.config["TESTING"] = True
        made.append(app)
        return app

    yield build
    for app in made:
        app.extensions["services"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def services(app):
    return app.extensions["services"]


@pytest.fixture
def store(services):
    return services.store


@pytest.fixture
def citizen(client, fake_line: FakeLineApi) -> Citizen:
    return Citizen(client, fake_line)


@pytest.fixture
def staff(client, store):
    """A signed-in member of staff (not an admin) using the staff web."""
    from tests.helpers import StaffUser

    user = StaffUser(client, store, "clerk", display_name="王承辦")
    assert user.login().status_code == 302
    return user


@pytest.fixture
def admin(app, store):
    """A signed-in admin, in a browser session of their own."""
    from tests.helpers import StaffUser

    user = StaffUser(app.test_client(), store, "boss", admin=True, display_name="李主任")
    assert user.login().status_code == 302
    return user


@pytest.fixture
def simulator(tmp_path):
    """`python -m bot serve` without LINE credentials: the simulator and its own fake LINE API, live on loopback."""
    from tests.live import LiveServer

    app = create_app(Config(database_path=str(tmp_path / "sim.sqlite3"), simulator=True,
                            secret_key="test-secret-key" if on_postgresql() else ""))
    assert app.extensions["services"].config.simulator
    with LiveServer(app) as server:
        yield server, app
    app.extensions["services"].fake_line.stop()


@pytest.fixture
def page():
    """A page in Debian's Chromium, driven by playwright."""
    from tests.live import browser_pages

    yield from browser_pages()
