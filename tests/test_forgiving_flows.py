"""Flows that forgive (issue 13): what a citizen half-wrote is never dropped silently, the consent step
says what to tap in other words, 「好」 is not a name, and an English menu word is answered in English."""
from __future__ import annotations

import pytest

from bot.contact import normalise_name, normalise_phone
from handlers.inbox.texts import complaint as texts
from tests.dialog import dialog
from tests.helpers import all_text

WRITTEN = [("意見反映", None), ("櫃台等太久了", "已記下 1 則"), ("完成", "哪一類")]


def _threads(store):
    return store.db.execute("SELECT kind, category FROM threads").fetchall()


@pytest.mark.parametrize("leave_with", ["找真人", "主選單", "取消", "查詢進度"])
def test_leaving_a_half_finished_complaint_asks_to_send_or_discard(services, leave_with):
    outcomes = dialog(services, [*WRITTEN, (leave_with, texts.ZH["leave.ask"].split("（")[0])])
    labels = [i["action"]["label"] for i in outcomes[-1].messages[-1]["quickReply"]["items"]]
    assert labels == [texts.ZH["btn.leave_send"], texts.ZH["btn.leave_discard"]]
    assert _threads(services.store) == []


def test_sending_on_the_way_out_files_the_complaint_and_then_does_what_was_asked(services):
    outcomes = dialog(services, [*WRITTEN, ("查詢進度", None),
                                 ({"a": "complaint.leave", "v": "send"}, "C-2026-0001")])
    assert outcomes[-1].state == "progress.ask_case"  # then the lookup the citizen asked for
    assert len(_threads(services.store)) == 1


def test_discarding_files_nothing(services):
    outcomes = dialog(services, [*WRITTEN, ("主選單", None), ("捨棄", texts.ZH["discarded"])])
    assert outcomes[-1].state == "idle" and _threads(services.store) == []


def test_a_complaint_with_nothing_written_leaves_at_once(services):
    outcomes = dialog(services, [("意見反映", None), ("找真人", None)])
    assert outcomes[-1].state == "handoff.ask"


def test_the_consent_step_re_asks_in_other_words_and_understands_typed_answers(services):
    outcomes = dialog(services, [*WRITTEN, ("流程", "同意"), ("嗯", None), ("嗯", None), ("嗯", None)])
    texts_in_a_row = [all_text(o.messages[:1]) for o in outcomes[-4:]]
    assert all(a != b for a, b in zip(texts_in_a_row, texts_in_a_row[1:]))
    assert "同意提供" in texts_in_a_row[1] and "不提供" in texts_in_a_row[1]
    assert dialog(services, [("好的", None)])[-1].state == "complaint.contact_name"


def test_a_yes_word_or_a_sentence_is_not_a_name(services):
    dialog(services, [*WRITTEN, ("流程", None), ("同意", None)])
    for not_a_name in ("好", "可以", "我要投訴櫃台", "請問要帶什麼？"):
        assert dialog(services, [(not_a_name, "只輸入您的姓名")])[-1].state == "complaint.contact_name"
    assert dialog(services, [("王小明", None)])[-1].state == "complaint.contact_phone"


@pytest.mark.parametrize("name", ["王小明", "Chen Mei-Ling", "歐陽娜娜", "瓦旦·吉洛", "李 四"])
def test_real_names_pass_the_one_rule_set(name):
    assert normalise_name(name) == " ".join(name.split())


@pytest.mark.parametrize("text", ["好", "是", "可以", "OK", "謝謝", "0912345678", "我想問護照", "怎麼辦?"])
def test_answers_that_are_not_names_are_refused(text):
    assert normalise_name(text) is None


def test_one_phone_rule_with_booking_asking_for_a_mobile():
    assert normalise_phone("0912-345-678") == normalise_phone("+886 912 345 678") == "0912345678"
    assert normalise_phone("07-8011234#12") == "078011234#12"
    assert normalise_phone("07-8011234", mobile_only=True) is None


def test_an_english_menu_word_is_answered_in_english(services):
    outcome = dialog(services, [("Talk to staff", None)])[-1]
    assert outcome.state == "handoff.ask"
    text = all_text(outcome.messages)
    assert not any("\u3400" <= ch <= "\u9fff" for ch in text), text
    assert services.store.users.get("U" + "d1" * 16).lang == "en"


def test_a_rich_menu_tile_mid_complaint_asks_too_and_then_runs(services):
    dialog(services, [*WRITTEN])
    outcomes = dialog(services, [({"a": "richmenu", "k": "progress", "session": False}, "要先送出"),
                                 ({"a": "complaint.leave", "v": "discard"}, texts.ZH["discarded"])])
    assert outcomes[-1].state == "progress.ask_case"


def test_a_complaint_left_to_time_out_is_still_offered_then_the_new_question_answered(services, clock):
    from datetime import timedelta
    dialog(services, [*WRITTEN])
    clock.set(clock.now() + timedelta(minutes=30))
    outcomes = dialog(services, [("護照要帶什麼", "要先送出"), ("送出", "C-2026-0001")])
    assert outcomes[-1].state == "idle" and len(_threads(services.store)) == 1
    assert "護照" in all_text(outcomes[-1].messages)  # then the question typed after the time-out
