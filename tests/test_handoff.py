"""找真人 and writing back to staff, through the real webhook."""
from __future__ import annotations

from handlers.inbox.handoff import staff_reply_messages
from tests.helpers import all_text, labels


def test_find_a_person_forwards_the_question_just_asked_with_the_conversation(citizen, store):
    citizen.follow()
    citizen.says("外籍配偶的居留證地址變更可以在這裡辦嗎")
    replies = citizen.says("找真人")
    text = all_text(replies)
    assert "Q-2026-0001" in text and "1 個工作天" in text and "12/02（三）" in text
    thread = store.inbox.by_ref("Q-2026-0001")
    assert thread.kind == "question" and thread.status == "new"
    assert store.inbox.messages(thread.id)[0].text == "外籍配偶的居留證地址變更可以在這裡辦嗎"
    said = [entry["text"] for entry in thread.context if entry["direction"] == "in"]
    assert "外籍配偶的居留證地址變更可以在這裡辦嗎" in said


def test_without_a_recent_question_the_bot_asks_for_it(citizen, store):
    citizen.follow()
    replies = citizen.says("找真人")
    assert "請輸入您想詢問的問題" in all_text(replies)
    replies = citizen.says("我阿嬤的身分證掉了，她不能走路怎麼辦")
    assert "Q-2026-0001" in all_text(replies)
    assert store.inbox.by_ref("Q-2026-0001").subject.startswith("我阿嬤的身分證掉了")


def test_further_texts_are_added_to_the_thread_until_done(citizen, store):
    citizen.follow()
    citizen.says("找真人")
    citizen.says("我想問改名字的事")
    replies = citizen.says("我已經改過兩次了")
    assert "已補充到案號 Q-2026-0001" in all_text(replies)
    replies = citizen.says("完成")
    assert "LINE 通知您" in all_text(replies)
    citizen.says("主選單")
    thread = store.inbox.by_ref("Q-2026-0001")
    assert [m.text for m in store.inbox.messages(thread.id)] == ["我想問改名字的事", "我已經改過兩次了"]


def test_find_a_person_works_in_the_middle_of_another_flow(citizen, store):
    citizen.follow()
    citizen.says("意見反映")
    replies = citizen.says("找真人")
    assert store.conversations.load(citizen.user_id).state.startswith("handoff.")
    assert "問題" in all_text(replies)


def test_a_typed_request_for_a_person_with_a_question_forwards_it(citizen, store):
    citizen.follow()
    replies = citizen.says("我要找真人，請問印鑑證明可以委託別人嗎")
    assert "Q-2026-0001" in all_text(replies)
    assert "印鑑證明" in store.inbox.messages(store.inbox.by_ref("Q-2026-0001").id)[0].text


def test_asking_again_while_a_question_is_open_adds_to_it(citizen, store):
    citizen.follow()
    citizen.says("我想問出生登記要帶什麼")
    citizen.says("找真人")
    citizen.says("完成")
    citizen.says("那要在幾天內辦")
    replies = citizen.says("找真人")
    assert "已由承辦同仁處理中" in all_text(replies) and "Q-2026-0001" in all_text(replies)
    assert store.inbox.by_ref("Q-2026-0002") is None
    texts = [m.text for m in store.inbox.messages(store.inbox.by_ref("Q-2026-0001").id)]
    assert texts == ["我想問出生登記要帶什麼", "那要在幾天內辦"]


def test_when_staff_wait_for_the_citizen_the_next_free_text_goes_into_the_thread(citizen, store):
    citizen.follow()
    thread = store.inbox.open_thread("question", citizen.user_id, ["我要辦遷入"])
    store.inbox.reply(thread.id, "clerk", "請問您要遷入的地址是哪一里？", wait_for_citizen=True)
    replies = citizen.says("是港口里")
    assert "已轉給承辦同仁（案號 Q-2026-0001）" in all_text(replies)
    thread = store.inbox.get(thread.id)
    assert thread.status == "assigned" and store.inbox.messages(thread.id)[-1].text == "是港口里"


def test_without_a_waiting_thread_free_text_goes_on_to_the_faq(citizen, store):
    citizen.follow()
    thread = store.inbox.open_thread("question", citizen.user_id, ["我要辦遷入"])
    store.inbox.reply(thread.id, "clerk", "可以，請帶身分證。", wait_for_citizen=False)
    citizen.says("身分證要多少錢")
    assert [m.text for m in store.inbox.messages(thread.id) if m.author_kind == "citizen"] == ["我要辦遷入"]


def test_the_write_back_button_under_a_staff_answer_reaches_the_same_thread(citizen, store):
    citizen.follow()
    thread = store.inbox.open_thread("question", citizen.user_id, ["問題"], lang="zh")
    store.inbox.reply(thread.id, "clerk", "答覆", wait_for_citizen=False)
    pushed = staff_reply_messages(thread, "答覆", "zh", wait_for_citizen=False)
    assert "回覆承辦同仁" in labels(pushed) and "答覆" in all_text(pushed)
    replies = citizen.taps_button(pushed, "回覆承辦同仁")
    assert "Q-2026-0001" in all_text(replies)
    citizen.says("謝謝，那週六可以辦嗎？")
    assert store.inbox.messages(thread.id)[-1].text == "謝謝，那週六可以辦嗎？"
    assert store.inbox.get(thread.id).status == "assigned"


def test_someone_elses_thread_cannot_be_written_to(citizen, store):
    citizen.follow()
    other = store.inbox.open_thread("question", "Uother", ["別人的問題"])
    replies = citizen.taps(f"a=handoff.write&t={other.id}")
    assert "找不到" in all_text(replies)
    # A tampered button is refused by the postback parser like an expired menu (issue 10).
    replies = citizen.taps("a=handoff.write&t=not-a-number")
    assert "已過期" in all_text(replies)


def test_citizen_texts_in_threads_are_masked(citizen, store):
    citizen.follow()
    citizen.says("找真人")
    citizen.says("我的身分證A123456789，電話0912345678，要補辦")
    text = store.inbox.messages(store.inbox.by_ref("Q-2026-0001").id)[0].text
    assert "A123456789" not in text and "0912345678" not in text


def test_find_a_person_never_forwards_words_from_another_flow(citizen, store):
    """Typed mid-booking, the name just typed is not a question: the bot asks for the question."""
    citizen.follow()
    citizen.says("預約臨櫃")
    citizen.says("王小明")
    replies = citizen.says("找真人")
    assert "請輸入您想詢問的問題" in all_text(replies)
    assert store.inbox.by_ref("Q-2026-0001") is None


def test_the_rich_menu_tile_forwards_the_question_just_asked_like_the_typed_words(citizen, store):
    citizen.follow()
    citizen.says("外籍配偶的居留證地址變更可以在這裡辦嗎")
    replies = citizen.taps("a=richmenu&k=human")
    assert "Q-2026-0001" in all_text(replies)
    assert store.inbox.messages(store.inbox.by_ref("Q-2026-0001").id)[0].text.startswith("外籍配偶")
