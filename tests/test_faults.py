"""When the disk misbehaves the citizen still gets a polite answer and the error is logged."""
from __future__ import annotations

import sqlite3

import pytest

from bot.app import create_app
from bot.registry import open_store
from tests.helpers import Citizen, all_text


@pytest.fixture
def impatient_app(config, clock, fake_line):
    """The app with a short busy timeout, so a locked database shows quickly."""
    store = open_store(config.database_path, clock=clock, config=config, busy_timeout=0.2)
    app = create_app(config, clock=clock, fake_line=fake_line, store=store)
    yield app
    store.close()


def test_a_database_locked_by_a_long_writer_still_gets_the_citizen_an_apology(impatient_app, config, fake_line, caplog):
    citizen = Citizen(impatient_app.test_client(), fake_line)
    citizen.follow()
    if config.database_url:  # PostgreSQL: another session holds the tables the event writes to
        import psycopg

        writer = psycopg.connect(config.database_url, autocommit=True)
        writer.execute("BEGIN")
        writer.execute("LOCK TABLE processed_events IN ACCESS EXCLUSIVE MODE")
    else:
        writer = sqlite3.connect(config.database_path, isolation_level=None)
        writer.execute("BEGIN EXCLUSIVE")
    try:
        replies = citizen.says("主選單")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert citizen.last_response.status_code == 200
    assert "抱歉" in all_text(replies)
    assert any("failed" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


@pytest.mark.sqlite_only("fills the SQLite file to its page limit")
def test_a_full_disk_still_gets_the_citizen_an_answer(app, store, citizen, caplog):
    citizen.follow()
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages}")
    for i in range(100_000):  # fill the last free pages: the next accepted event has no room
        try:
            store.inbound.accept([{"webhookEventId": f"{i:026d}"}])
        except sqlite3.OperationalError as exc:
            assert "full" in str(exc)
            break
    replies = citizen.says("主選單")
    assert citizen.last_response.status_code == 200
    assert replies, "no answer reached the citizen"
    assert any(r.levelname == "ERROR" for r in caplog.records)
