"""The case lookup's second factor cannot be brute-forced (issue 10, item 2), and it forgives a typo.

Every case goes through the real signed webhook with several LINE user ids: four digits are only
10,000 guesses, so besides the per-user limit there is a limit per case across all users and one
for the whole service. The digits typed are never stored, logged or taken as an FAQ question.
"""
from __future__ import annotations

import hashlib
import hmac

import pytest

from tests.helpers import Citizen, StaffUser, all_text, labels
from handlers.cases.notices import update_case

CASE = "A1150001"
RIGHT = "1234"


def add_case(store, case_no: str = CASE, last4: str = RIGHT) -> None:
    update_case(store, case_no, "reviewing", service="戶籍謄本", phone_last4=last4,
                             updated_at="2026-12-01 09:00", source="test")


def citizens(client, fake_line, count: int, prefix: str = "a") -> list[Citizen]:
    return [Citizen(client, fake_line, user_id="U" + f"{prefix}{n:031x}") for n in range(count)]


def guess(citizen: Citizen, digits: str, case_no: str = CASE) -> str:
    """A whole lookup; the answers to the case number and to the digits."""
    citizen.says("查詢進度")
    return all_text(citizen.says(case_no)) + "\n" + all_text(citizen.says(digits))


def wrong_guesses():
    """Four-digit guesses that are never the right ones."""
    return (f"{n:04d}" for n in range(5000, 10000))


# --- per case, across all LINE users ----------------------------------------------------------
def test_sixteen_line_accounts_get_ten_guesses_at_a_case_between_them(client, store, fake_line):
    add_case(store)
    digits = wrong_guesses()
    answers = [guess(c, next(digits)) for c in citizens(client, fake_line, 16) for _ in range(5)]
    assert "錯誤次數過多" in answers[4]  # the first account's own limit (5) as before
    assert sum("查無符合的案件" in a for a in answers) == 8
    assert "線上查詢已暫時停止" in answers[9]  # the tenth failure locks the case for everyone
    assert all("查無符合" not in a and "審核中" not in a for a in answers[10:])
    failures = store.db.execute("SELECT count(*) FROM case_lookups WHERE ok = 0").fetchone()[0]
    assert failures == 10  # tries at a locked case are not even checked


def test_the_rightful_citizen_is_asked_to_call_the_office_even_with_the_right_digits(client, store, fake_line,
                                                                                      citizen):
    add_case(store)
    digits = wrong_guesses()
    for intruder in citizens(client, fake_line, 2):
        for _ in range(5):
            guess(intruder, next(digits))
    citizen.says("查詢進度")
    text = all_text(citizen.says(CASE))  # told at once, before typing the digits
    assert "來電或臨櫃洽詢本所" in text and "11:00 後恢復" in text
    assert "審核中" not in guess(citizen, RIGHT)


def test_staff_see_the_lock_on_the_case_page_and_can_lift_it(client, store, fake_line, citizen, staff):
    add_case(store)
    digits = wrong_guesses()
    for intruder in citizens(client, fake_line, 2):
        for _ in range(5):
            guess(intruder, next(digits))
    page = staff.page(f"/staff/cases/{CASE}")
    assert "線上查詢已暫停" in page and "10 次輸入錯誤的電話末四碼" in page and "11:00" in page
    assert staff.post(f"/staff/cases/{CASE}/unlock").status_code == 302
    assert "線上查詢已暫停" not in staff.page(f"/staff/cases/{CASE}")
    assert [e.action for e in store.audit.entries(action="case_unlock")] == ["case_unlock"]
    assert "審核中" in guess(citizen, RIGHT)


def test_a_case_lock_ends_by_itself_after_an_hour(client, store, fake_line, citizen, clock):
    add_case(store)
    digits = wrong_guesses()
    for intruder in citizens(client, fake_line, 2):
        for _ in range(5):
            guess(intruder, next(digits))
    clock.advance(minutes=59)
    assert "線上查詢已暫時停止" in guess(citizen, RIGHT)
    clock.advance(minutes=2)
    assert "審核中" in guess(citizen, RIGHT)


def test_an_unknown_case_number_is_counted_and_locked_exactly_like_a_real_one(client, store, fake_line):
    add_case(store)
    real, unknown = [], []
    digits = wrong_guesses()
    for n, intruder in enumerate(citizens(client, fake_line, 4)):
        for _ in range(5):
            (real if n < 2 else unknown).append(guess(intruder, next(digits), CASE if n < 2 else "Z9999999"))
    assert real == unknown
    assert "線上查詢已暫時停止" in unknown[-1]


def test_the_other_cases_of_the_office_keep_working_while_one_is_locked(client, store, fake_line, citizen):
    add_case(store)
    add_case(store, "A1150002", "5678")
    digits = wrong_guesses()
    for intruder in citizens(client, fake_line, 2):
        for _ in range(5):
            guess(intruder, next(digits))
    assert "線上查詢已暫時停止" in guess(citizen, RIGHT)
    assert "審核中" in guess(citizen, "5678", "A1150002")


# --- overall --------------------------------------------------------------------------------
def test_many_failures_across_many_cases_pause_every_lookup_for_a_while(app_with, fake_line, clock):
    app = app_with(lookup_max_failures_global=12)
    client, store = app.test_client(), app.extensions["services"].store
    for n in range(6):
        add_case(store, f"A11500{n:02d}")
    digits = wrong_guesses()
    answers = [guess(c, next(digits), f"A11500{i:02d}")
               for i, c in enumerate(citizens(client, fake_line, 6)) for _ in range(2)]
    assert all("查無符合" in a for a in answers[:11])
    assert "線上查詢暫停至 11:00" in answers[11]
    fresh = Citizen(client, fake_line, user_id="U" + "f" * 32)
    assert "線上查詢暫停至" in all_text(fresh.says("查詢進度"))
    clock.advance(minutes=61)
    assert "審核中" in guess(fresh, RIGHT, "A1150000")


def test_the_limits_come_from_the_environment(app_with, fake_line):
    from bot.config import config_from_env

    config = config_from_env({"LOOKUP_MAX_FAILURES_PER_CASE": "3", "LOOKUP_MAX_FAILURES_PER_USER": "2",
                              "LOOKUP_CASE_LOCKOUT_MINUTES": "30", "LOOKUP_USER_LOCKOUT_MINUTES": "10",
                              "LOOKUP_MAX_FAILURES_GLOBAL": "50"})
    assert (config.lookup_max_failures_per_case, config.lookup_max_failures_per_user,
            config.lookup_case_lockout_minutes, config.lookup_user_lockout_minutes,
            config.lookup_max_failures_global) == (3, 2, 30, 10, 50)
    app = app_with(lookup_max_failures_per_case=3)
    client, store = app.test_client(), app.extensions["services"].store
    add_case(store)
    digits = wrong_guesses()
    answers = [guess(c, next(digits)) for c in citizens(client, fake_line, 3)]
    assert "查無符合" in answers[1] and "線上查詢已暫時停止（11:00 後恢復）" in answers[2]


# --- what is kept -----------------------------------------------------------------------------
def test_failed_attempts_keep_a_keyed_hash_of_the_case_number_and_never_the_digits(client, store, fake_line,
                                                                                 config, citizen):
    add_case(store)
    citizen.follow()
    guess(citizen, "8642")
    citizen.says("8642")  # typed again in the re-ask
    row = store.db.execute("SELECT user_id, case_no, case_key, ok FROM case_lookups").fetchall()
    expected = hmac.new(config.secret_key.encode(), CASE.encode(), hashlib.sha256).hexdigest()[:32]
    assert row == [(citizen.user_id, "", expected, 0)] * 2
    stored = "\n".join(f"{table} {row}" for table in store.db.table_names() if table != "processed_events"
                       for row in store.db.execute(f"SELECT * FROM {table}").fetchall())
    assert "8642" not in stored  # not in message_log, faq_log, conversations or anywhere else
    assert CASE not in "\n".join(line for line in stored.splitlines() if "case_lookups" in line)


# --- the forgiving flow (issue 13, item 5) -------------------------------------------------------
def test_wrong_digits_are_asked_for_again_keeping_the_case_number(citizen, store):
    add_case(store)
    citizen.follow()
    text = guess(citizen, "4321")
    assert "查無符合的案件" in text and "再輸入一次" in text
    card = citizen.says(RIGHT)  # the right digits next: the status card, not an FAQ answer
    assert "審核中" in all_text(card) and "可領件時通知我" in labels(card)
    assert store.faq.unmatched() == []


def test_the_re_ask_goes_on_until_the_users_limit_and_then_stops(citizen, store):
    add_case(store)
    citizen.says("查詢進度")
    citizen.says(CASE)
    answers = [all_text(citizen.says(d)) for d in ("1111", "2222", "3333", "4444", "5555")]
    assert all("再輸入一次" in a for a in answers[:4])
    assert "錯誤次數過多" in answers[4]
    assert "審核中" not in all_text(citizen.says(RIGHT))
    assert store.faq.unmatched() == []


def test_digits_typed_after_the_lookup_ended_are_not_taken_as_a_question(citizen, store, clock):
    add_case(store)
    guess(citizen, "4321")
    clock.advance(minutes=30)  # the conversation timed out while the citizen looked for the receipt
    text = all_text(citizen.says(RIGHT))
    assert "請點「查詢進度」" in text
    assert store.faq.unmatched() == []


def test_the_re_ask_speaks_english(citizen, store):
    add_case(store)
    citizen.says("English")
    citizen.says("Case status")
    citizen.says(CASE)
    text = all_text(citizen.says("4321"))
    assert "type the LAST 4 DIGITS of the phone number again" in text
    assert "Under review" in all_text(citizen.says(RIGHT))
