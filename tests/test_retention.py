"""Retention: personal data past its window is deleted, newer data and anything still in use stays,
every window is a setting, the clock runs it daily, and the database files are private (0600)."""
from __future__ import annotations

import os
import stat
from datetime import date, time

import pytest

from bot.cli import main as cli_main
from bot.config import Config, config_from_env
from bot.registry import open_store
from reminders import jobs
from tests.helpers import file_complaint
from handlers.cases.notices import update_case


def rows(store, sql, *params):
    return store.db.execute(sql, params).fetchall()


def count(store, table, where="1", *params):
    return store.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]


def book(store, user, day, start=time(10, 0), service="id_card"):
    return store.bookings.book_slot(user, service, day, start, name="王小明", phone="0912345678")


# --- closed threads ------------------------------------------------------------------------------
def test_closed_threads_past_the_window_go_with_their_messages_open_ones_never(citizen, store, clock):
    file_complaint(citizen)                                                      # C-2026-0001, closed below
    old_open = store.inbox.open_thread("question", "Uother", ["請問可以代辦嗎"])  # stays open for a year
    closed = store.inbox.by_ref("C-2026-0001")
    store.inbox.add_note(closed.id, "clerk", "已致電市民")
    store.inbox.close(closed.id)
    clock.advance(days=200)
    recent = store.inbox.open_thread("question", "Uthird", ["另一個問題"])
    store.inbox.close(recent.id)

    clock.advance(days=166)  # the first thread was closed 366 days ago, the recent one 166 days ago
    counts = store.retention.run()

    assert counts["threads"] == 1 and counts["thread_messages"] >= 2
    assert store.inbox.by_ref("C-2026-0001") is None
    assert count(store, "thread_messages", "thread_id = ?", closed.id) == 0
    assert store.inbox.get(old_open.id) is not None and store.inbox.get(old_open.id).is_open
    assert store.inbox.get(recent.id) is not None


# --- the FAQ log, the message log, surveys ------------------------------------------------------
def test_faq_and_message_logs_past_their_windows_are_purged_newer_entries_kept(citizen, store, clock):
    citizen.follow()
    citizen.says("身分證遺失怎麼補辦")
    clock.advance(days=181)
    citizen.says("戶籍謄本要帶什麼")

    counts = store.retention.run()

    assert counts["faq_log"] == 1 and counts["message_log"] >= 2
    assert [r[0] for r in rows(store, "SELECT text FROM faq_log")] == ["戶籍謄本要帶什麼"]
    assert {r[0] for r in rows(store, "SELECT text FROM message_log WHERE direction = 'in'")} == {"戶籍謄本要帶什麼"}


def test_survey_ratings_and_comments_go_after_their_window(store, clock):
    old = store.surveys.invite("booking", "OLD123", "Ua")
    store.surveys.add_comment(old, "Ua", "櫃台很親切，我的電話 0912345678")
    clock.advance(days=300)
    new = store.surveys.invite("booking", "NEW456", "Ub")
    clock.advance(days=66)

    assert store.retention.run()["surveys"] == 1
    assert store.surveys.get(old) is None and store.surveys.get(new) is not None


# --- bookings -----------------------------------------------------------------------------------
def test_past_bookings_go_after_the_window_upcoming_and_recent_ones_stay(store, clock):
    old = book(store, "Ua", date(2026, 12, 2))
    store.bookings.mark_attendance(old.booking_no, "arrived")
    clock.advance(days=367)  # now 2027-12-03: the visit day is 366 days ago
    upcoming = book(store, "Ub", date(2027, 12, 6))

    assert store.retention.run()["bookings"] == 1
    assert store.bookings.get(old.booking_no) is None
    assert count(store, "booking_seats", "booking_id = ?", old.id) == 0
    assert store.bookings.get(upcoming.booking_no) is not None


# --- cases and lookups --------------------------------------------------------------------------
def test_finished_cases_and_old_lookups_go_cases_in_progress_stay(store, clock):
    update_case(store, "11312001", "picked_up", service="身分證", phone_last4="5678")
    update_case(store, "11312002", "reviewing", service="戶籍謄本", phone_last4="1234")
    store.cases.record_lookup("Ua", "11312001", ok=True)
    clock.advance(days=181)
    store.cases.record_lookup("Ub", "11312002", ok=False)

    counts = store.retention.run()

    assert counts["cases"] == 1 and counts["case_lookups"] == 1
    assert store.cases.get("11312001") is None and store.cases.history("11312001") == []
    assert store.cases.get("11312002") is not None
    assert [r[0] for r in rows(store, "SELECT user_id FROM case_lookups")] == ["Ub"]


# --- conversations and users --------------------------------------------------------------------
def test_a_half_finished_dialogue_forgets_what_was_typed_after_a_day(citizen, store, clock):
    citizen.follow()
    citizen.dialog([("行動戶政所", "情況"), ("住院或安養中", "本人"), ("我本人", "業務"), ("身分證", "地址"),
                    ("高雄市小港區山明路 482 號", "姓名")])
    assert "山明路" in rows(store, "SELECT data FROM conversations")[0][0]
    clock.advance(days=2)

    assert store.retention.run()["conversations_cleared"] == 1
    assert rows(store, "SELECT state, data FROM conversations") == [("idle", "{}")]


def test_users_silent_past_the_window_are_forgotten_unless_something_is_still_open(client, fake_line, store,
                                                                                  clock):
    from tests.helpers import Citizen

    silent = Citizen(client, fake_line, "U" + "a1" * 16)
    waiting = Citizen(client, fake_line, "U" + "b2" * 16)
    active = Citizen(client, fake_line, "U" + "c3" * 16)
    for someone in (silent, waiting, active):
        someone.follow()
        someone.says("身分證遺失怎麼補辦")
    store.users.update(silent.user_id, contact_name="王小明", contact_phone="0912345678")
    update_case(store, "11312001", "picked_up", service="身分證", phone_last4="5678")
    store.cases.follow("11312001", silent.user_id)
    waiting.says("找真人")                     # an open thread: the office still owes an answer
    clock.advance(days=366)
    active.says("戶籍謄本要帶什麼")

    counts = store.retention.run()

    assert counts["inactive_users"] == 1
    assert store.users.get(silent.user_id) is None
    for table in ("conversations", "message_log", "faq_log", "case_followers"):
        assert count(store, table, "user_id = ?", silent.user_id) == 0, table
    assert store.users.get(waiting.user_id) is not None and store.users.get(active.user_id) is not None


# --- staff records ------------------------------------------------------------------------------
def test_audit_entries_staff_notes_and_login_attempts_follow_their_windows(staff, store, clock):
    store.outbox.notify_staff("舊的提醒")
    clock.advance(days=91)
    counts = store.retention.run()
    assert counts["login_attempts"] >= 1 and counts["audit_log"] == 0     # audit kept 730 days
    clock.advance(days=640)
    counts = store.retention.run()
    assert counts["audit_log"] >= 1 and counts["staff_notes"] == 1


# --- settings, the clock, the command line ------------------------------------------------------
def test_every_window_is_a_setting_and_zero_keeps_data_forever(tmp_path, clock):
    config = config_from_env({"RETENTION_FAQ_LOG_DAYS": "0", "RETENTION_CLOSED_THREAD_DAYS": "30",
                              "DATABASE_PATH": str(tmp_path / "bot.sqlite3")})
    assert config.retention_faq_log_days == 0 and config.retention_closed_thread_days == 30
    store = open_store(config.database_path, clock=clock, config=config)
    store.migrate()
    store.faq.log_question("Ua", "身分證遺失怎麼補辦", "answer", "id_card", 95.0)
    clock.advance(days=3650)
    counts = store.retention.run()
    assert "faq_log" not in counts and count(store, "faq_log") == 1
    assert store.retention.windows()["retention_closed_thread_days"] == 30
    store.close()


def test_the_clock_runs_retention_daily(services, store, clock):
    job = {j.id: j for j in jobs.daily_jobs()}["maintenance.retention"]
    store.faq.log_question("Ua", "老問題", "fallback")
    clock.advance(days=200)
    assert job.run(services, clock.now())["faq_log"] == 1


def test_retention_run_by_hand_prints_what_it_deleted(tmp_path, monkeypatch, capsys):
    path = tmp_path / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_PATH", str(path))
    store = open_store(str(path))
    store.migrate()
    store.db.execute("INSERT INTO faq_log (user_id, text, outcome, created_at) VALUES "
                     "('Ua', '老問題', 'fallback', '2020-01-01T00:00:00Z')")
    store.close()
    assert cli_main(["retention", "run"]) == 0
    out = capsys.readouterr().out
    assert any(line.split() == ["faq_log", "1"] for line in out.splitlines()) and "total" in out
    assert cli_main(["retention", "show"]) == 0
    assert "RETENTION_INACTIVE_USER_DAYS" in capsys.readouterr().out


# --- file modes ---------------------------------------------------------------------------------
def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.sqlite_only("file modes of the SQLite file, its WAL and lock file")
def test_the_database_and_its_companion_files_are_created_private(tmp_path):
    path = tmp_path / "data" / "bot.sqlite3"
    store = open_store(str(path), config=Config(database_path=str(path)))
    store.migrate()
    with store.transaction() as db:  # a write: the WAL, shared-memory and lock files now exist
        db.execute("INSERT INTO users (user_id, created_at, updated_at) VALUES ('Ua', 'x', 'x')")
    for name in ("bot.sqlite3", "bot.sqlite3-wal", "bot.sqlite3-shm", "bot.sqlite3.lock"):
        assert mode(path.parent / name) == 0o600, name
    assert mode(path.parent) == 0o700
    store.close()


@pytest.mark.sqlite_only("file mode of the SQLite file")
def test_an_older_world_readable_database_is_made_private_on_open(tmp_path):
    path = tmp_path / "bot.sqlite3"
    open_store(str(path)).migrate()
    os.chmod(path, 0o644)
    store = open_store(str(path))
    store.ping()
    assert mode(path) == 0o600
    store.close()
