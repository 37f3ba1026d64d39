"""Fuzzing the webhook: random events, message types, postback data, unicode and sizes never make a 5xx,
never leak a traceback, and every reply token gets a reply."""
from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import signed_post

USER = "U" + "f0" * 16

texts = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1000, max_size=5000),
    st.sampled_from(["取消", "主選單", "找真人", "預約臨櫃", "查詢進度", "意見反映", "English", "中文", "身份证怎么补办",
                     "😀" * 30, "\u200b", "<script>alert(1)</script>", "A123456789", "完成", "1", "09"]),
)
postback_data = st.one_of(
    st.text(max_size=300),
    st.builds(lambda a, s, x: f"a={a}&s={s}&id={x}",
              st.sampled_from(["faq.show", "faq.feedback", "faq.category", "booking.service", "booking.date",
                               "booking.time", "booking.cancel", "progress.notify", "survey.rate", "nope", ""]),
              st.text(alphabet="0123456789abcdef", max_size=8), st.text(max_size=20)),
)
messages = st.one_of(
    st.builds(lambda t: {"type": "text", "text": t}, texts),
    st.sampled_from([
        {"type": "sticker", "packageId": "1", "stickerId": "1"},
        {"type": "image"}, {"type": "video"}, {"type": "audio"}, {"type": "file", "fileName": "x"},
        {"type": "location", "latitude": 0, "longitude": 0}, {"type": "unknown-kind"}, {},
    ]),
)


@st.composite
def events(draw):
    kind = draw(st.sampled_from(["message", "postback", "follow", "unfollow", "join", "memberJoined", "weird"]))
    event = {"type": kind, "timestamp": 0, "mode": "active",
             "source": draw(st.one_of(st.just({"type": "user", "userId": USER}), st.just({}),
                                      st.just({"type": "group", "groupId": "C1"})))}
    if kind != "unfollow":
        event["replyToken"] = "fuzz"
    if kind == "message":
        event["message"] = {"id": "1", **draw(messages)}
    if kind == "postback":
        event["postback"] = {"data": draw(postback_data)}
        if draw(st.booleans()):
            event["postback"]["params"] = draw(st.sampled_from([{"date": "2026-12-03"}, {"time": "10:00"},
                                                                {"datetime": "2026-12-03T10:00"}, {"date": "x"}]))
    return event


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(events(), min_size=1, max_size=4))
def test_random_events_never_make_a_server_error_and_every_reply_token_is_answered(client, fake_line, caplog, batch):
    fake_line.reset()
    caplog.clear()
    for event in batch:  # fresh ids: hypothesis replays examples against the same database
        event["webhookEventId"] = uuid.uuid4().hex
        if "replyToken" in event:
            event["replyToken"] = "fuzz" + uuid.uuid4().hex
    response = signed_post(client, batch)
    assert response.status_code == 200
    assert b"Traceback" not in response.data
    replied = {c.body.get("replyToken") for c in fake_line.calls("/reply")}
    for event in batch:
        token = event.get("replyToken")
        user = event.get("source", {}).get("userId")
        if token and user:
            assert token in replied, event
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")], caplog.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.binary(max_size=2000), st.text(max_size=2000).map(str.encode),
                     st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                  lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                                  max_leaves=20).map(lambda v: json.dumps({"events": v}).encode())))
def test_random_signed_bodies_are_a_200_or_a_400(client, raw):
    assert signed_post(client, [], raw=raw).status_code in (200, 400)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(signature=st.one_of(st.text(max_size=200), st.text(min_size=1000, max_size=9000),
                           st.binary(max_size=64).map(lambda b: b.decode("latin-1"))))
def test_random_signatures_are_refused_with_a_400(client, fake_line, signature):
    fake_line.reset()
    response = client.post("/callback", data=b'{"events": []}',
                           headers={"X-Line-Signature": signature.replace("\n", "").replace("\r", "")})
    assert response.status_code == 400
    assert fake_line.calls() == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(levels=st.integers(min_value=1, max_value=20000), opener=st.sampled_from(["[", '{"a":']))
def test_any_nesting_depth_is_a_200_or_a_400_never_a_crash(client, levels, opener):
    closer = "]" if opener == "[" else "}"
    raw = ('{"events": [' + opener * levels + "1" + closer * levels + "]}").encode()
    assert signed_post(client, [], raw=raw).status_code in (200, 400)


ACTIONS = ["faq.show", "faq.feedback", "faq.category", "faq.categories", "booking.service", "booking.day",
           "booking.time", "booking.priority", "booking.cancel", "booking.cancel_yes", "progress.follow",
           "survey.rate", "handoff.write", "home_visit.eligible", "complaint.category", "complaint.consent"]
values = st.one_of(st.text(max_size=30), st.integers().map(str), st.sampled_from(["", "abc", "9" * 40, "-1", "up"]))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=st.sampled_from(ACTIONS),
       params=st.dictionaries(st.sampled_from(["s", "id", "v", "r", "page", "no", "case", "t", "d", "p", "c", "e",
                                               "code", "zz"]), values, max_size=4))
def test_any_postback_parameters_get_an_answer_and_no_error(client, fake_line, caplog, action, params):
    from urllib.parse import urlencode

    from tests.helpers import postback_event

    fake_line.reset()
    caplog.clear()
    token = "fuzz" + uuid.uuid4().hex
    event = postback_event(USER, urlencode({"a": action, **params}), token)
    assert signed_post(client, [event]).status_code == 200
    assert token in {c.body.get("replyToken") for c in fake_line.calls("/reply")}
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")], caplog.text
