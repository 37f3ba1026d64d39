"""Case progress: the lookup dialogue, the lock-out, the opt-in, the notices and the pickup reminders."""
from __future__ import annotations

from datetime import datetime

import pytest

from handlers.cases.store import STATUSES, status_label
from reminders.jobs import run_tick
from handlers.cases.jobs import create_pickup_reminders, reminder_days
from tests.helpers import Citizen, actions_in, all_text, labels
from handlers.cases.notices import update_case

CASE = "A1150001"


def add_case(store, case_no=CASE, status="reviewing", *, phone_last4="1234", service="戶籍謄本",
             updated_at="2026-12-01 09:00", **fields):
    return update_case(store, case_no, status, service=service, phone_last4=phone_last4,
                                    updated_at=updated_at, source="test", **fields)


def look_up(citizen: Citizen, case_no: str = CASE, last4: str = "1234"):
    citizen.says("查詢進度")
    citizen.says(case_no)
    return citizen.says(last4)


def card_in(replies):
    cards = [r for r in replies if r["type"] == "flex"]
    assert cards, f"no status card in {all_text(replies)!r}"
    return cards[0]


def pushed_texts(fake_line, user_id):
    return [d["message"].get("text") or d["message"].get("altText") for d in fake_line.delivered(user_id)
            if d["via"] == "push"]


def run_clock(services, clock):
    return run_tick(services, clock.now())


# --- the lookup dialogue ---------------------------------------------------------------------------
def test_case_number_then_last_four_digits_show_a_status_card(citizen, store):
    add_case(store, status="reviewing")
    citizen.follow()
    citizen.dialog([("查詢進度", "案件編號"), (CASE, "末四碼")])
    card = card_in(citizen.says("1234"))
    text = all_text([card])
    assert CASE in text and "戶籍謄本" in text and "審核中" in text
    assert "最後更新：2026/12/01 09:00" in text
    assert "可領件時通知我" in labels([card])


def test_a_need_documents_card_says_what_is_missing(citizen, store):
    add_case(store, status="need_documents", missing="戶口名簿正本")
    text = all_text(look_up(citizen))
    assert "待補件" in text and "需補件：戶口名簿正本" in text


def test_a_ready_card_gives_pickup_hours_what_to_bring_and_the_deadline(citizen, store):
    add_case(store, status="ready", pickup_by="2026-12-15")
    text = all_text(look_up(citizen))
    assert "可領件" in text and "上班時間" in text and "身分證正本" in text
    assert "請於 2026/12/15 前領取" in text


def test_an_unknown_case_and_wrong_digits_get_the_very_same_answer(citizen, store):
    add_case(store)
    unknown = all_text(look_up(citizen, "Z9999999", "1234"))
    wrong = all_text(look_up(citizen, CASE, "4321"))
    assert unknown == wrong
    assert "查無符合的案件" in wrong and CASE not in wrong and "審核中" not in wrong


def test_five_failures_in_an_hour_lock_lookups_for_an_hour(citizen, store, clock):
    add_case(store)
    for attempt in range(4):
        assert "查無符合" in all_text(look_up(citizen, CASE, f"000{attempt}"))
        clock.advance(minutes=5)
    assert "錯誤次數過多" in all_text(look_up(citizen, CASE, "0009"))
    # Locked: even the right digits are not checked, and the flow does not start.
    replies = citizen.says("查詢進度")
    assert "錯誤次數過多" in all_text(replies) and "11:20" in all_text(replies)
    clock.advance(minutes=59)
    assert "錯誤次數過多" in all_text(citizen.says("查詢進度"))
    clock.advance(minutes=2)
    assert "審核中" in all_text(look_up(citizen))


def test_failures_spread_over_more_than_an_hour_do_not_lock(citizen, store, clock):
    add_case(store)
    for attempt in range(4):
        look_up(citizen, CASE, f"000{attempt}")
    clock.advance(minutes=61)
    assert "查無符合" in all_text(look_up(citizen, CASE, "0005"))
    assert "審核中" in all_text(look_up(citizen))


def test_another_users_failures_do_not_lock_me(citizen, store, client, fake_line):
    add_case(store)
    intruder = Citizen(client, fake_line, user_id="U" + "99" * 16)
    for attempt in range(5):
        look_up(intruder, CASE, f"000{attempt}")
    assert "審核中" in all_text(look_up(citizen))


@pytest.mark.parametrize("typed_case, typed_digits", [
    ("a1150001", "1234"),
    ("Ａ１１５０００１", "１２３４"),
    (" A115 0001 ", "0912-34-1234"),
])
def test_full_width_lower_case_spaces_and_a_whole_phone_number_are_understood(citizen, store, typed_case,
                                                                            typed_digits):
    add_case(store)
    assert "審核中" in all_text(look_up(citizen, typed_case, typed_digits))


def test_a_malformed_case_number_is_asked_again_and_after_three_tries_the_menu_returns(citizen, store):
    citizen.says("查詢進度")
    assert "格式" in all_text(citizen.says("不知道"))
    assert "格式" in all_text(citizen.says("x"))
    replies = citizen.says("一二三")
    assert "預約臨櫃" in labels(replies)
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_digits_that_are_not_four_are_asked_again_without_counting_as_a_failure(citizen, store):
    add_case(store)
    citizen.says("查詢進度")
    citizen.says(CASE)
    assert "4 位數字" in all_text(citizen.says("12"))
    assert "審核中" in all_text(citizen.says("1234"))


def test_a_menu_button_tapped_mid_lookup_does_what_it_says(citizen, store):
    citizen.says("查詢進度")
    replies = citizen.says("English")
    assert "Switched to English" in all_text(replies)
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_cancel_leaves_the_lookup(citizen, store):
    citizen.says("查詢進度")
    citizen.says(CASE)
    assert "主選單" in all_text(citizen.says("取消"))
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_the_lookup_speaks_english(citizen, store):
    add_case(store, status="ready")
    citizen.says("English")
    citizen.dialog([("Case status", "case number"), (CASE, "LAST 4 DIGITS")])
    text = all_text(citizen.says("1234"))
    assert "Ready for pickup" in text and "national ID card" in text
    assert "Notify me when ready" not in text and "Map" in text


@pytest.mark.parametrize("status", list(STATUSES))
def test_every_status_has_a_zh_and_an_english_label_and_a_card(citizen, store, status):
    assert status_label(status, "zh") != status_label(status, "en")
    add_case(store, status=status, missing="照片" if status == "need_documents" else None)
    assert status_label(status) in all_text(look_up(citizen))


# --- opting in ----------------------------------------------------------------------------------
def test_opting_in_links_the_user_and_a_family_member_may_follow_too(citizen, store, client, fake_line):
    add_case(store)
    card = card_in(look_up(citizen))
    replies = citizen.taps_button([card], "可領件時通知我")
    assert "會以 LINE 通知您" in all_text(replies)
    assert "取消通知" in labels(replies)
    family = Citizen(client, fake_line, user_id="U" + "f1" * 16)
    family.taps_button([card_in(look_up(family))], "可領件時通知我")
    assert {user for user, _, _ in store.cases.followers(CASE)} == {citizen.user_id, family.user_id}


def test_the_opt_in_button_keeps_working_after_the_conversation_moved_on(citizen, store):
    add_case(store)
    card = card_in(look_up(citizen))
    citizen.says("主選單")
    citizen.says("查詢進度")  # a new session: session-bound buttons would now be stale
    assert "會以 LINE 通知您" in all_text(citizen.taps_button([card], "可領件時通知我"))
    assert store.conversations.load(citizen.user_id).state == "progress.ask_case"


def test_tapping_the_opt_in_twice_links_once(citizen, store):
    add_case(store)
    card = card_in(look_up(citizen))
    citizen.taps_button([card], "可領件時通知我")
    assert "已設定" in all_text(citizen.taps_button([card], "可領件時通知我"))
    assert len(store.cases.followers(CASE)) == 1


def test_a_forged_opt_in_for_a_case_never_looked_up_is_refused(citizen, store):
    add_case(store)
    replies = citizen.taps(f"a=progress.follow&case={CASE}")
    assert "請先以「查詢進度」" in all_text(replies)
    assert store.cases.followers(CASE) == []


def test_a_wrong_digits_lookup_does_not_count_as_proof_for_the_opt_in(citizen, store):
    add_case(store)
    look_up(citizen, CASE, "9999")
    citizen.taps(f"a=progress.follow&case={CASE}")
    assert store.cases.followers(CASE) == []


def test_stop_notices_unlinks_the_user(citizen, store):
    add_case(store)
    replies = citizen.taps_button([card_in(look_up(citizen))], "可領件時通知我")
    assert "已取消" in all_text(citizen.taps_button(replies, "取消通知"))
    assert store.cases.followers(CASE) == []


def test_a_closed_case_offers_no_notices(citizen, store):
    add_case(store, status="picked_up")
    replies = look_up(citizen)
    assert "已領件" in all_text(replies)
    assert "可領件時通知我" not in labels(replies)
    assert "已結案" in all_text(citizen.taps(f"a=progress.follow&case={CASE}"))
    assert store.cases.followers(CASE) == []


def test_the_card_offers_stop_instead_of_opt_in_to_a_follower(citizen, store):
    add_case(store)
    citizen.taps_button([card_in(look_up(citizen))], "可領件時通知我")
    assert "取消通知" in labels(look_up(citizen))


# --- notices --------------------------------------------------------------------------------------
def follow_case(citizen, store, case_no=CASE):
    """Opt in: 可領件時通知我 while the case is in progress, 提醒我領件 once it is ready."""
    card = card_in(look_up(citizen, case_no))
    citizen.taps_button([card], "提醒我領件" if "提醒我領件" in labels([card]) else "可領件時通知我")


def test_ready_pushes_one_notice_with_hours_and_what_to_bring(citizen, store, services, fake_line, clock):
    add_case(store)
    follow_case(citizen, store)
    result = add_case(store, status="ready", updated_at="2026-12-01 09:30")
    assert result.status_changed and result.notices == 1
    run_clock(services, clock)
    pushes = [d["message"] for d in fake_line.delivered(citizen.user_id) if d["via"] == "push"]
    assert len(pushes) == 1 and pushes[0]["type"] == "flex"
    assert f"您的案件 {CASE} 已可領件" == pushes[0]["altText"]
    assert "身分證正本" in all_text(pushes) and "上班時間" in all_text(pushes)
    assert {"地圖", "服務資訊", "取消通知"} <= set(labels(pushes)), "the ready push carries its next actions"


def test_need_documents_pushes_what_is_missing_and_a_new_list_pushes_again(citizen, store, services,
                                                                         fake_line, clock):
    add_case(store)
    follow_case(citizen, store)
    add_case(store, status="need_documents", missing="戶口名簿", updated_at="2026-12-01 09:10")
    add_case(store, status="need_documents", missing="戶口名簿", updated_at="2026-12-01 09:10")  # same again
    run_clock(services, clock)
    add_case(store, status="need_documents", missing="戶口名簿、印章", updated_at="2026-12-01 09:20")
    run_clock(services, clock)
    texts = pushed_texts(fake_line, citizen.user_id)
    assert len(texts) == 2
    assert "需要補件：戶口名簿" in texts[0] and "戶口名簿、印章" in texts[1]


def test_notices_go_only_to_linked_active_users(citizen, store, services, fake_line, clock, client):
    add_case(store)
    follow_case(citizen, store)
    gone = Citizen(client, fake_line, user_id="U" + "0d" * 16)
    follow_case(gone, store)
    gone.unfollow()
    bystander = Citizen(client, fake_line, user_id="U" + "b5" * 16)
    look_up(bystander)
    assert add_case(store, status="ready", updated_at="2026-12-01 09:30").notices == 1
    run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 1
    assert pushed_texts(fake_line, gone.user_id) == [] and pushed_texts(fake_line, bystander.user_id) == []


def test_other_status_changes_push_nothing(citizen, store, services, fake_line, clock):
    add_case(store, status="received")
    follow_case(citizen, store)
    add_case(store, status="reviewing", updated_at="2026-12-01 09:30")
    run_clock(services, clock)
    assert pushed_texts(fake_line, citizen.user_id) == []


def test_a_notice_queued_at_night_waits_for_the_morning(citizen, store, services, fake_line, clock):
    add_case(store)
    follow_case(citizen, store)
    clock.set(datetime(2026, 12, 1, 22, 30))
    add_case(store, status="ready", updated_at="2026-12-01 22:30")
    run_clock(services, clock)
    assert pushed_texts(fake_line, citizen.user_id) == []
    clock.set(datetime(2026, 12, 2, 8, 0))
    run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 1


def test_picked_up_withdraws_a_notice_not_yet_sent(citizen, store, services, fake_line, clock):
    add_case(store)
    follow_case(citizen, store)
    clock.set(datetime(2026, 12, 1, 22, 30))
    add_case(store, status="ready", updated_at="2026-12-01 22:30")
    add_case(store, status="picked_up", updated_at="2026-12-01 22:40")
    clock.set(datetime(2026, 12, 2, 8, 0))
    run_clock(services, clock)
    assert pushed_texts(fake_line, citizen.user_id) == []
    assert store.outbox.stats() == {"cancelled": 1}


# --- pickup reminders -------------------------------------------------------------------------
def ready_and_followed(citizen, store, services, clock, **fields):
    add_case(store)
    follow_case(citizen, store)
    add_case(store, status="ready", updated_at="2026-12-01 10:00", **fields)
    run_clock(services, clock)  # the ready notice


def test_reminders_after_three_and_seven_days_and_only_once_each(citizen, store, services, fake_line, clock):
    ready_and_followed(citizen, store, services, clock)
    clock.advance(days=2, hours=23)
    run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 1
    clock.advance(hours=1)
    run_clock(services, clock)
    run_clock(services, clock)
    texts = pushed_texts(fake_line, citizen.user_id)
    assert len(texts) == 2 and "領件提醒" in texts[1]
    clock.advance(days=4)
    run_clock(services, clock)
    clock.advance(days=10)
    run_clock(services, clock)
    assert [t for t in pushed_texts(fake_line, citizen.user_id) if "領件提醒" in t].__len__() == 2


def test_a_last_reminder_comes_the_day_before_the_pickup_deadline(citizen, store, services, fake_line, clock):
    ready_and_followed(citizen, store, services, clock, pickup_by="2026-12-10")
    clock.set(datetime(2026, 12, 4, 10, 30))
    run_clock(services, clock)
    clock.set(datetime(2026, 12, 9, 10, 0))  # day 7 (12/08) came first; the last one is due now
    run_clock(services, clock)
    texts = pushed_texts(fake_line, citizen.user_id)
    assert len(texts) == 4 and "領件期限提醒" in texts[-1] and "2026/12/10" in texts[-1]
    clock.set(datetime(2026, 12, 12, 10, 0))
    run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 4


def test_the_last_reminder_replaces_a_day_reminder_on_the_same_day(citizen, store, services, fake_line, clock):
    ready_and_followed(citizen, store, services, clock, pickup_by="2026-12-05")
    clock.set(datetime(2026, 12, 4, 10, 30))  # day 3 and the eve of the deadline
    run_clock(services, clock)
    texts = pushed_texts(fake_line, citizen.user_id)
    assert len(texts) == 2 and "領件期限提醒" in texts[1]
    clock.set(datetime(2026, 12, 8, 10, 30))  # day 7 falls after the deadline
    run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 2


def test_picked_up_stops_the_reminders(citizen, store, services, fake_line, clock):
    ready_and_followed(citizen, store, services, clock)
    clock.advance(days=1)
    add_case(store, status="picked_up", updated_at="2026-12-02 10:00")
    for _ in range(3):
        clock.advance(days=3)
        run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 1


def test_cancelled_withdraws_a_reminder_waiting_for_the_morning(citizen, store, services, fake_line, clock):
    add_case(store)
    follow_case(citizen, store)
    clock.set(datetime(2026, 12, 1, 20, 0))
    add_case(store, status="ready", updated_at="2026-12-01 20:00")
    run_clock(services, clock)
    clock.set(datetime(2026, 12, 4, 21, 30))  # day 3 falls in quiet hours: queued for 08:00
    assert create_pickup_reminders(services, clock.now()) == 1
    add_case(store, status="cancelled", updated_at="2026-12-04 21:40")
    clock.set(datetime(2026, 12, 5, 8, 0))
    run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 1


def test_after_a_long_outage_only_the_latest_reminder_is_sent(citizen, store, services, fake_line, clock):
    ready_and_followed(citizen, store, services, clock)
    clock.advance(days=7, hours=1)
    run_clock(services, clock)
    texts = pushed_texts(fake_line, citizen.user_id)
    assert len(texts) == 2
    clock.advance(days=30)
    run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 2


def test_someone_who_opts_in_late_gets_only_later_reminders(citizen, store, services, fake_line, clock):
    add_case(store, status="ready", updated_at="2026-12-01 10:00")
    clock.advance(days=4)
    follow_case(citizen, store)
    run_clock(services, clock)
    assert pushed_texts(fake_line, citizen.user_id) == []
    clock.advance(days=3)
    run_clock(services, clock)
    assert len(pushed_texts(fake_line, citizen.user_id)) == 1


def test_ready_again_after_more_documents_starts_the_reminders_afresh(citizen, store, services, fake_line,
                                                                    clock):
    ready_and_followed(citizen, store, services, clock)
    clock.advance(days=3, minutes=1)
    run_clock(services, clock)
    add_case(store, status="need_documents", missing="照片", updated_at="2026-12-04 10:01")
    run_clock(services, clock)
    clock.advance(hours=2)
    add_case(store, status="ready", updated_at="2026-12-04 12:01")
    run_clock(services, clock)
    clock.advance(days=3, minutes=1)
    run_clock(services, clock)
    run_clock(services, clock)
    texts = pushed_texts(fake_line, citizen.user_id)
    assert [("領件提醒" in t) for t in texts] == [False, True, False, False, True]


@pytest.mark.parametrize("spec, days", [("3,7", [3, 7]), ("", []), ("7, 3,3", [3, 7]), ("x,2,0,-1", [2])])
def test_pickup_reminder_days_are_read_leniently(spec, days):
    assert reminder_days(spec) == days


def test_status_cards_never_show_the_phone_digits(citizen, store):
    add_case(store, status="ready", phone_last4="5678")
    replies = look_up(citizen, CASE, "5678")
    assert "5678" not in all_text([r for r in replies if r["type"] == "flex"])
    assert all(a.get("data", "").find("5678") < 0 for a in actions_in(replies))
