"""Acknowledge first: LINE gets its 200 once the events are written; the handling comes after.

Through the real webhook (Flask's test client, a real SQLite file, the fake LINE API). A test
client response that is not yet closed is a server that has sent the 200 but not yet run the
work after it; never closing it is a thread that died there.
"""
from __future__ import annotations

import json

from bot.inbound import takeover
from bot.webhook import signature_for
from reminders.jobs import run_tick
from tests.helpers import SECRET, all_text, text_event


def accept_only(client, events):
    """POST /callback and keep the response open: the 200 is out, the handling has not run."""
    body = json.dumps({"destination": "Ubot", "events": events}, ensure_ascii=False).encode()
    return client.post("/callback", data=body,
                       headers={"X-Line-Signature": signature_for(SECRET, body), "Content-Type": "application/json"})


def delivered_texts(fake_line, user_id):
    return [d["message"].get("text", d["message"].get("altText", "")) for d in fake_line.delivered(user_id)]


USER = "U" + "a1" * 16


def test_the_200_goes_out_before_the_work_and_the_answer_follows(client, fake_line, store):
    response = accept_only(client, [text_event(USER, "主選單", fake_line.issue_reply_token(USER))])
    assert response.status_code == 200
    assert fake_line.delivered(USER) == [] and store.inbound.backlog() == 1
    response.close()  # the server has sent the response: now it handles the event
    assert fake_line.calls("/reply")[-1].status == 200
    assert store.inbound.backlog() == 0


def test_a_redelivered_event_is_kept_and_answered_once(client, fake_line, store):
    event = text_event(USER, "主選單", fake_line.issue_reply_token(USER))
    event["webhookEventId"] = "01REDELIVERED000000000000"
    accept_only(client, [event]).close()
    again = dict(event, deliveryContext={"isRedelivery": True})
    accept_only(client, [again]).close()
    assert len(fake_line.calls("/reply")) == 1


def test_one_users_messages_are_answered_in_the_order_they_were_sent(client, fake_line, store):
    first = accept_only(client, [text_event(USER, "查詢進度", fake_line.issue_reply_token(USER))])
    second = accept_only(client, [text_event(USER, "取消", fake_line.issue_reply_token(USER))])
    # The second request's thread finishes first, yet it answers the first message first.
    second.close()
    first.close()
    replies = [c for c in fake_line.calls("/reply") if c.status == 200]
    assert len(replies) == 2
    assert "案件" in json.dumps(replies[0].body, ensure_ascii=False)  # 查詢進度 asks for the case number
    assert store.inbound.backlog() == 0


def test_an_event_whose_thread_died_is_taken_over_by_the_clock_and_answered_by_reply(services, client, fake_line,
                                                                                     store, clock):
    accept_only(client, [text_event(USER, "主選單", fake_line.issue_reply_token(USER))])  # never closed
    assert takeover(services) == 0, "too young to be taken over: its own thread may still be on it"
    clock.advance(seconds=services.config.inbound_takeover_seconds + 1)
    run_tick(services, clock.now())
    calls = fake_line.calls("/v2/bot/message/")
    assert [c.path.rsplit("/", 1)[1] for c in calls if c.status == 200] == ["reply"]
    assert store.inbound.backlog() == 0


def test_after_a_minute_the_reply_token_is_stale_so_the_answer_is_pushed(services, client, fake_line, store, clock):
    accept_only(client, [text_event(USER, "主選單", fake_line.issue_reply_token(USER))])
    clock.advance(seconds=services.config.reply_token_seconds + 30)
    assert takeover(services) == 1
    sent = [c for c in fake_line.calls("/v2/bot/message/") if c.status == 200]
    assert [c.path.rsplit("/", 1)[1] for c in sent] == ["push"]
    assert sent[0].retry_key, "a taken-over push carries a retry key derived from the event"


def test_an_answer_saved_but_not_sent_is_sent_once_by_whoever_takes_over(services, client, fake_line, store, clock):
    accept_only(client, [text_event(USER, "主選單", fake_line.issue_reply_token(USER))])
    claimed = store.inbound.claim()
    with store.transaction():
        store.inbound.answered(claimed, [{"type": "text", "text": "已存好的回覆"}])
    # The thread dies here, before sending. Its lease runs out.
    clock.advance(seconds=services.config.inbound_lease_seconds + 1)
    assert takeover(services) == 1
    assert takeover(services) == 0
    assert delivered_texts(fake_line, USER) == ["已存好的回覆"]


def test_an_answer_sent_just_before_the_thread_died_is_not_sent_again(services, client, fake_line, store, clock):
    token = fake_line.issue_reply_token(USER)
    accept_only(client, [text_event(USER, "主選單", token)])
    claimed = store.inbound.claim()
    with store.transaction():
        store.inbound.answered(claimed, [{"type": "text", "text": "只送一次"}])
    services.line.reply(token, [{"type": "text", "text": "只送一次"}])  # sent, then the thread died
    clock.advance(seconds=services.config.inbound_lease_seconds + 1)
    takeover(services)
    assert delivered_texts(fake_line, USER) == ["只送一次"]
    assert fake_line.calls("/push") == []


def test_a_thread_that_died_inside_the_handler_leaves_an_apology_not_silence(services, client, fake_line, store,
                                                                          clock):
    event = text_event(USER, "主選單", fake_line.issue_reply_token(USER))
    event["webhookEventId"] = "01DIEDINHANDLER00000000000"
    accept_only(client, [event])
    store.inbound.claim()
    store.events.first_time(event["webhookEventId"])  # its first transaction committed; then it died
    clock.advance(seconds=services.config.inbound_lease_seconds + 1)
    assert takeover(services) == 1
    assert "抱歉" in "".join(delivered_texts(fake_line, USER))
    assert len([c for c in fake_line.calls("/v2/bot/message/") if c.status == 200]) == 1


def test_a_failing_handler_still_answers_with_the_apology(app_with, fake_line, monkeypatch):
    app = app_with()
    services = app.extensions["services"]

    def broken(ctx, inp):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services.dispatcher, "route", broken)
    accept_only(app.test_client(), [text_event(USER, "主選單", fake_line.issue_reply_token(USER))]).close()
    assert "抱歉" in all_text([d["message"] for d in fake_line.delivered(USER)])


def test_the_citizens_words_are_forgotten_once_answered(client, fake_line, store):
    accept_only(client, [text_event(USER, "我的身分證A123456789", fake_line.issue_reply_token(USER))]).close()
    rows = store.db.execute("SELECT payload, answer, status FROM inbound_events").fetchall()
    assert rows == [(None, None, "done")]
