"""The complaint mailbox through the real webhook: words, category, consent, contact, reference, deadline."""
from __future__ import annotations

import pytest

from tests.helpers import all_text, labels


def test_a_complaint_from_the_menu_is_filed_with_a_reference_and_a_working_day_promise(citizen, store):
    citizen.follow()
    replies = citizen.says("意見反映")
    assert "意見反映信箱" in all_text(replies)
    citizen.says("上週三下午去辦戶籍謄本，")
    replies = citizen.says("等了四十分鐘，櫃台人員態度也很不耐煩。")
    assert "已記下 2 則" in all_text(replies) and "完成" in labels(replies)
    replies = citizen.says("完成")
    assert {"服務態度", "流程", "環境", "建議", "其他"} <= set(labels(replies))
    replies = citizen.taps_button(replies, "服務態度")
    assert "同意提供" in labels(replies)
    replies = citizen.taps_button(replies, "同意提供")
    assert "姓名" in all_text(replies)
    citizen.says("王小明")
    replies = citizen.says("0912-345-678")
    text = all_text(replies)
    # Tuesday 2026-12-01 + 6 working days = Wednesday 12/09.
    assert "C-2026-0001" in text and "6 個工作天" in text and "12/09（三）" in text
    thread = store.inbox.by_ref("C-2026-0001")
    assert thread.kind == "complaint" and thread.category == "attitude" and thread.status == "new"
    assert thread.contact_name == "王小明" and thread.contact_phone == "0912345678"
    assert [msg.text for msg in store.inbox.messages(thread.id)] == [
        "上週三下午去辦戶籍謄本，", "等了四十分鐘，櫃台人員態度也很不耐煩。"]
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_a_trigger_word_in_free_text_starts_the_flow_and_keeps_what_was_said(citizen, store):
    citizen.follow()
    replies = citizen.says("我要投訴，停車場都沒有位子，繞了好幾圈")
    assert "停車場都沒有位子" in all_text(replies)
    replies = citizen.says("完成")
    replies = citizen.taps_button(replies, "環境")
    replies = citizen.taps_button(replies, "不提供")
    assert "C-2026-0001" in all_text(replies) and "LINE" in all_text(replies)
    thread = store.inbox.by_ref("C-2026-0001")
    assert thread.category == "environment" and thread.contact_phone == "" and not thread.details["consent"]
    assert "停車場" in store.inbox.messages(thread.id)[0].text


@pytest.mark.parametrize("word", ["投訴", "我要申訴", "想陳情", "抱怨一下", "I want to make a complaint"])
def test_each_trigger_word_opens_the_mailbox(citizen, store, word):
    citizen.follow()
    citizen.says(word)
    assert store.conversations.load(citizen.user_id).state == "complaint.write"


def test_done_with_nothing_written_asks_for_the_words_first(citizen, store):
    citizen.follow()
    citizen.says("意見反映")
    replies = citizen.says("完成")
    assert "請先輸入" in all_text(replies)
    assert store.conversations.load(citizen.user_id).state == "complaint.write"


def test_a_typed_category_and_a_bad_phone_are_handled(citizen, store):
    citizen.follow()
    citizen.dialog([("意見反映", "意見反映信箱"), ("建議假日也開放", "已記下"), ("完成", "哪一類"),
                    ("建議", "同意"), ("同意", "姓名"), ("李大華", "電話"), ("12345", "不太對"),
                    ("07-801-1234", "C-2026-0001")])
    thread = store.inbox.by_ref("C-2026-0001")
    assert thread.category == "suggestion" and thread.contact_phone == "078011234"


def test_saved_contact_details_are_offered_next_time(citizen, store):
    citizen.follow()
    store.users.update(citizen.user_id, contact_name="陳美麗", contact_phone="0987654321")
    citizen.says("意見反映")
    citizen.says("謝謝志工很親切")
    replies = citizen.says("完成")
    replies = citizen.taps_button(replies, "建議")
    replies = citizen.taps_button(replies, "同意提供")
    assert "陳美麗" in all_text(replies) and "0987654321" not in all_text(replies)
    replies = citizen.taps_button(replies, "使用這組資料")
    assert "C-2026-0001" in all_text(replies)
    assert store.inbox.by_ref("C-2026-0001").contact_phone == "0987654321"


def test_cancel_leaves_nothing_filed(citizen, store):
    citizen.follow()
    citizen.says("意見反映")
    citizen.says("內容")
    citizen.says("取消")  # asked first whether to send or discard it
    citizen.says("捨棄")
    assert store.inbox.by_ref("C-2026-0001") is None
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_references_count_up_per_year(citizen, store, clock):
    from datetime import datetime

    for _ in range(2):
        store.inbox.open_thread("complaint", "Ux", ["a"])
    clock.set(datetime(2027, 1, 4, 9, 0))
    assert store.inbox.open_thread("complaint", "Ux", ["b"]).ref == "C-2027-0001"
    assert store.inbox.open_thread("question", "Ux", ["c"]).ref == "Q-2027-0001"


def test_english_speakers_get_the_flow_in_english(citizen, store):
    citizen.follow()
    citizen.says("English")
    replies = citizen.says("Feedback")
    assert "feedback mailbox" in all_text(replies)
    citizen.says("The toilets were dirty")
    replies = citizen.says("Done")
    assert "Environment" in labels(replies)


def test_a_menu_word_in_the_middle_of_the_flow_leaves_it(citizen, store):
    citizen.follow()
    citizen.says("意見反映")
    citizen.says("櫃台很慢")
    citizen.says("完成")
    citizen.says("行動戶政所")  # asked first whether to send or discard what was written
    replies = citizen.says("捨棄")
    assert "65歲以上行動不便" in labels(replies)
    assert store.conversations.load(citizen.user_id).state == "home_visit.eligible"
    assert store.inbox.by_ref("C-2026-0001") is None
