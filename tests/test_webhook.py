"""The webhook: signatures, redelivery, batches, odd messages, failing handlers, unfollow."""
from __future__ import annotations

import json

import pytest

from tests.helpers import all_text, labels, signed_post, text_event


def test_a_missing_signature_is_refused_and_nothing_is_sent(client, fake_line):
    body = json.dumps({"events": [text_event("Uabc", "你好", "tok")]}).encode()
    response = client.post("/callback", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert fake_line.calls() == []


def test_a_forged_signature_is_refused_and_nothing_is_sent(client, fake_line):
    response = signed_post(client, [text_event("Uabc", "你好", "tok")], secret="not-the-secret")
    assert response.status_code == 400
    assert fake_line.calls() == []


def test_lines_verify_call_with_no_events_is_acknowledged(client, fake_line):
    assert signed_post(client, []).status_code == 200
    assert fake_line.calls() == []


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'{"events": 3}', "\udcff".encode("utf-8", "surrogatepass")])
def test_a_signed_but_malformed_body_is_a_400_never_a_500(client, raw):
    assert signed_post(client, [], raw=raw).status_code == 400


def test_a_body_over_one_megabyte_is_refused(client):
    raw = json.dumps({"events": [], "pad": "x" * (1024 * 1024 + 10)}).encode()
    assert signed_post(client, [], raw=raw).status_code == 413


def test_follow_welcomes_in_chinese_with_an_english_hint_and_the_menu(citizen, store):
    replies = citizen.follow()
    text = all_text(replies)
    assert "戶政小幫手" in text and "English" in text
    assert {"常見問題", "預約臨櫃", "查詢進度", "意見反映", "服務資訊", "English"} <= set(labels(replies))
    user = store.users.get(citizen.user_id)
    assert user.active and user.display_name.startswith("市民")


def test_a_redelivered_event_is_acknowledged_but_handled_once(client, fake_line):
    token = fake_line.issue_reply_token("Uredeliver")
    event = text_event("Uredeliver", "主選單", token)
    assert signed_post(client, [event]).status_code == 200
    assert signed_post(client, [event]).status_code == 200
    assert len(fake_line.calls("/reply")) == 1


def test_every_event_in_a_batch_is_answered_in_order(client, fake_line):
    events = []
    for user in ("Ubatch1", "Ubatch2"):
        for text in ("主選單", "English", "menu"):
            events.append(text_event(user, text, fake_line.issue_reply_token(user)))
    assert signed_post(client, events).status_code == 200
    for user in ("Ubatch1", "Ubatch2"):
        texts = fake_line.texts(user)
        assert texts[0].startswith("請問需要什麼服務")
        assert texts[1].startswith("Switched to English")
        assert texts[-1].startswith("How can I help")
        assert len(fake_line.calls("/reply")) == 6


@pytest.mark.parametrize(
    "message, expected",
    [
        ({"type": "sticker", "packageId": "446", "stickerId": "1988"}, "貼圖"),
        ({"type": "image", "contentProvider": {"type": "line"}}, "無法讀取"),
        ({"type": "video", "duration": 1000, "contentProvider": {"type": "line"}}, "無法讀取"),
        ({"type": "audio", "duration": 1000, "contentProvider": {"type": "line"}}, "無法讀取"),
        ({"type": "file", "fileName": "a.pdf", "fileSize": 10}, "無法讀取"),
        ({"type": "location", "title": "家", "address": "高雄", "latitude": 22.5, "longitude": 120.3}, "位置"),
        ({"type": "hologram"}, "看不懂"),
    ],
)
def test_odd_messages_get_a_friendly_answer_pointing_to_the_menu(citizen, message, expected):
    replies = citizen.sends(message)
    assert expected in all_text(replies)
    assert "預約臨櫃" in labels(replies)


@pytest.mark.parametrize(
    "text",
    ["字" * 5000, "😀🙏🏻👨‍👩‍👧" * 100, "\u200b\u200c\u200d\ufeff", "   ", "<script>alert(1)</script>", "A123456789 0912345678"],
)
def test_any_text_gets_an_answer_and_never_a_500(citizen, text):
    replies = citizen.says(text)
    assert replies, "the citizen got no answer"


def test_a_button_from_an_old_conversation_is_explained_not_acted_on(citizen, store):
    citizen.follow()
    stale = "a=booking.pick&s=00000000&slot=1"
    replies = citizen.taps(stale)
    assert "過期" in all_text(replies)
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_an_unknown_postback_gets_a_polite_answer(citizen):
    citizen.follow()
    replies = citizen.taps("no-such-thing=1")
    assert "無法使用" in all_text(replies)


def test_a_handler_that_raises_still_answers_with_an_apology_and_logs_the_event_id(citizen, services, caplog):
    def broken(ctx, inp):
        raise RuntimeError("boom")

    services.dispatcher.commands["boom"] = broken
    citizen.follow()
    replies = citizen.says("boom")
    assert citizen.last_response.status_code == 200
    assert "抱歉" in all_text(replies) and "預約臨櫃" in labels(replies)
    failure = [r for r in caplog.records if r.levelname == "ERROR"]
    assert failure and "handler failed for event" in failure[0].getMessage()
    assert "boom" not in failure[0].getMessage()


def test_message_texts_are_never_logged_at_info(citizen, caplog):
    caplog.set_level("INFO")
    citizen.says("我的身分證字號是A123456789")
    assert "A123456789" not in caplog.text


def test_unfollow_marks_the_user_inactive_and_nothing_is_pushed_afterwards(citizen, services, fake_line):
    citizen.follow()
    citizen.unfollow()
    assert not services.store.users.get(citizen.user_id).active
    services.sender.push_now(citizen.user_id, [{"type": "text", "text": "reminder"}])
    assert fake_line.calls("/push") == []


def test_when_the_reply_token_is_rejected_the_answer_is_pushed(client, fake_line, citizen):
    citizen.follow()
    event = text_event(citizen.user_id, "主選單", "expired-token")
    assert signed_post(client, [event]).status_code == 200
    pushes = fake_line.calls("/push")
    assert len(pushes) == 1 and pushes[0].status == 200 and pushes[0].retry_key


def test_more_than_five_messages_are_split_into_reply_and_push(services, fake_line, citizen):
    citizen.follow()
    token = citizen.token()
    services.sender.send(citizen.user_id, token, [{"type": "text", "text": str(i)} for i in range(7)])
    assert [d["via"] for d in fake_line.delivered(citizen.user_id)][-7:] == ["reply"] * 5 + ["push"] * 2


def test_a_text_with_more_than_thirteen_quick_replies_is_cut_to_thirteen():
    from bot import messages as m

    message = m.text("x", [m.message_action(str(i)) for i in range(20)])
    assert len(message["quickReply"]["items"]) == 13


def test_cancel_and_menu_work_from_inside_a_flow(citizen, store):
    citizen.follow()
    conversation = store.conversations.load(citizen.user_id)
    conversation.state = "booking.choose_date"
    store.conversations.save(conversation)
    replies = citizen.says("取消")
    assert "主選單" in all_text(replies)
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_the_english_button_switches_language_and_it_is_remembered(citizen, store):
    citizen.follow()
    citizen.says("English")
    assert store.users.get(citizen.user_id).lang == "en"
    replies = citizen.says("menu")
    assert "How can I help" in all_text(replies)
    assert "中文" in labels(replies)


def test_a_conversation_silent_for_fifteen_minutes_starts_again(citizen, store, clock):
    citizen.follow()
    conversation = store.conversations.load(citizen.user_id)
    conversation.state = "booking.choose_date"
    store.conversations.save(conversation)
    clock.advance(minutes=16)
    loaded = store.conversations.load(citizen.user_id)
    assert loaded.state == "idle" and loaded.timed_out
    replies = citizen.says("主選單")
    assert "逾時" in all_text(replies)


def test_a_flow_that_ends_makes_its_buttons_stale(citizen, services, store):
    citizen.follow()
    conversation = store.conversations.load(citizen.user_id)
    conversation.state = "progress.ask_case"
    store.conversations.save(conversation)
    old_session = conversation.session
    citizen.says("主選單")
    assert store.conversations.load(citizen.user_id).session != old_session


def test_healthz_answers_200_when_the_database_answers(client):
    assert client.get("/healthz").status_code == 200
