"""The checker of outgoing LINE requests: LINE's OpenAPI document with its discriminators, plus the documented limits."""
from __future__ import annotations

import json
import urllib.request

import pytest

from bot import line_spec
from bot import messages as m
from bot.fake_line import FakeLineApi

REPLY = "/v2/bot/message/reply"


def problems(*messages: dict, path: str = REPLY) -> list[tuple[str, str]]:
    body = {"replyToken": "rt", "messages": list(messages)} if path == REPLY else {"to": "U1", "messages": list(messages)}
    return [(v.property, v.message) for v in line_spec.violations("POST", path, body)]


def properties(*messages: dict) -> set[str]:
    return {prop for prop, _ in problems(*messages)}


def test_every_message_path_has_its_schema_from_the_document():
    assert line_spec.schema_for("POST", "/v2/bot/message/reply") == "ReplyMessageRequest"
    assert line_spec.schema_for("POST", "/v2/bot/message/push") == "PushMessageRequest"
    assert line_spec.schema_for("POST", "/v2/bot/message/multicast") == "MulticastRequest"
    assert line_spec.schema_for("POST", "/v2/bot/message/broadcast") == "BroadcastRequest"
    assert line_spec.schema_for("POST", "/v2/bot/richmenu") == "RichMenuRequest"
    assert line_spec.schema_for("GET", "/v2/bot/profile/U1") is None


def test_the_messages_the_builders_make_are_valid():
    quick = [m.postback_action("👍 有幫助", "a=faq.feedback&v=up"), m.message_action("主選單"),
             m.datetime_action("選日期", "a=booking.day", initial="2026-12-02")]
    card = m.flex("預約成功", m.bubble("預約成功", ["12月3日 09:00"], [m.postback_action("取消預約", "a=x", "取消預約"),
                                                          m.uri_action("地圖", "https://maps.google.com/?q=1")]))
    assert problems(m.text("您好", quick), card, m.buttons("alt", "text", [m.message_action("好")], title="題"),
                    m.location("小港戶政", "高雄市小港區", 22.56, 120.35)) == []


def test_a_reply_has_one_to_five_messages():
    assert properties(*[m.text("x")] * 6) == {"messages"}
    assert properties() == {"messages"}


def test_the_discriminator_picks_the_subtype_and_checks_its_own_fields():
    assert problems({"type": "texty", "text": "x"}) == [
        ("messages[0].type", "'type' 'texty' is not one of ['audio', 'coupon', 'flex', 'image', 'imagemap', "
                             "'location', 'sticker', 'template', 'text', 'textV2', 'video']")]
    assert properties({"type": "text"}) == {"messages[0]"}  # TextMessage requires text
    assert properties({"type": "location", "title": "t", "address": "a", "latitude": "north", "longitude": 1}) \
        == {"messages[0].latitude"}


def test_discriminators_resolve_recursively_through_templates_actions_and_flex_components():
    bad_action = {"type": "teleport", "label": "x"}
    assert properties(m.buttons("alt", "t", [bad_action])) == {"messages[0].template.actions[0].type"}
    assert properties({"type": "template", "altText": "a", "template": {"type": "list", "text": "t"}}) \
        == {"messages[0].template.type"}
    nested = m.bubble("t", ["x"])
    nested["body"]["contents"].append({"type": "box", "layout": "diagonal",
                                       "contents": [{"type": "text", "text": "y", "weight": "heavy"}]})
    assert properties(m.flex("alt", nested)) == {"messages[0].contents.body.contents[1].layout",
                                                 "messages[0].contents.body.contents[1].contents[0].weight"}


def test_inherited_fields_of_the_parent_schema_are_checked_in_the_subtype():
    too_many = {"items": [{"type": "action", "action": m.message_action(str(i))} for i in range(14)]}
    assert "messages[0].quickReply.items" in properties({"type": "text", "text": "x", "quickReply": too_many})
    assert properties({"type": "text", "text": "x", "sender": {"name": "n" * 21}}) == {"messages[0].sender.name"}


def test_quick_reply_postbacks_need_display_text():
    bare = {"type": "postback", "label": "👍", "data": "a=faq.feedback"}
    message = {"type": "text", "text": "x", "quickReply": {"items": [{"type": "action", "action": bare}]}}
    assert problems(message) == [("messages[0].quickReply.items[0].action.displayText",
                                  "displayText is required on a quick reply postback button")]
    assert m.text("x", [m.postback_action("👍", "a=faq.feedback")])["quickReply"]["items"][0]["action"]["displayText"] == "👍"


def test_lengths_count_utf16_units_as_line_does():
    assert m.utf16_len("👍") == 2
    assert properties(m.text("x") | {"text": "👍" * 2501}) == {"messages[0].text"}
    assert problems(m.text("👍" * 2501)) == []
    assert m.utf16_len(m.text("👍" * 2501)["text"]) <= 5000
    data = "a=x&q=" + "字" * 150 + "👍" * 75
    assert len(data) <= 300 < m.utf16_len(data)
    raw = {"type": "postback", "label": "x", "data": data, "displayText": "x"}
    assert properties(m.buttons("alt", "t", [raw])) == {"messages[0].template.actions[0].data"}
    assert m.utf16_len(m.postback_action("x", data)["data"]) <= 300


def test_labels_of_quick_replies_and_templates_are_at_most_20():
    long = {"type": "message", "label": "How do I replace a lost card", "text": "x"}
    assert properties(m.text("x") | {"quickReply": {"items": [{"type": "action", "action": long}]}}) \
        == {"messages[0].quickReply.items[0].action.label"}
    assert properties(m.buttons("alt", "t", [long])) == {"messages[0].template.actions[0].label"}
    flex_button = m.bubble("t", ["x"], [long])
    assert problems(m.flex("alt", flex_button)) == []  # a flex button's label may have 40


def test_template_and_alt_text_limits():
    assert properties({"type": "template", "altText": "a" * 401,
                       "template": {"type": "buttons", "text": "t", "actions": [m.message_action("x")]}}) \
        == {"messages[0].altText"}
    assert properties({"type": "template", "altText": "a", "template": {"type": "buttons", "title": "t",
                                                                       "text": "字" * 61, "actions": [m.message_action("x")]}}) \
        == {"messages[0].template.text"}
    assert properties({"type": "template", "altText": "a", "template": {
        "type": "buttons", "text": "t", "actions": [m.message_action(str(i)) for i in range(5)]}}) \
        == {"messages[0].template.actions"}
    assert properties({"type": "template", "altText": "a", "template": {
        "type": "confirm", "text": "t", "actions": [m.message_action("好")]}}) == {"messages[0].template.actions"}


def test_flex_sizes_and_bubble_counts():
    big = m.bubble("t", ["字" * 2000] * 6)
    assert properties(m.flex("alt", big)) == {"messages[0].contents"}
    assert properties(m.flex("alt", {"type": "carousel", "contents": [m.bubble("t", ["x"])] * 13})) \
        == {"messages[0].contents.contents"}
    assert properties(m.flex("alt", {"type": "carousel", "contents": [m.bubble("t", ["字" * 1900] * 2)] * 8})) \
        == {"messages[0].contents"}


def test_uri_actions_take_only_line_schemes():
    assert properties(m.flex("alt", m.bubble("t", ["x"], [m.uri_action("地圖", "javascript:alert(1)")]))) \
        == {"messages[0].contents.footer.contents[0].action.uri"}


@pytest.mark.parametrize("text, label", [
    ("How do I replace a lost ID card at the office?", "Replace a lost ID"),
    ("What is the kinship relationship record and how do I get it?", "Kinship relationship"),
    ("Where do I apply?", "Where do I apply?"),
    ("我的英文名字（外文姓名）要去哪裡登記或更改呢", "我的英文名字（外文姓名）"),
    ("申請戶籍謄本要帶什麼證件，費用是多少，可以代辦嗎？", "申請戶籍謄本要帶什麼證件，費用是多少"),
    ("更多分類", "更多分類"),
])
def test_labels_are_shortened_at_word_and_phrase_boundaries_never_with_an_ellipsis(text, label):
    assert m.short_label(text) == label
    assert m.utf16_len(label) <= 20 and not label.endswith("…")


def test_the_fake_answers_400_with_lines_error_shape_and_records_the_violation():
    fake = FakeLineApi(access_token="t").start()
    try:
        body = json.dumps({"to": "U1", "messages": [{"type": "text", "text": ""}]}).encode()
        request = urllib.request.Request(fake.url + "/v2/bot/message/push", data=body, method="POST",
                                         headers={"Authorization": "Bearer t", "Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 400
        answer = json.loads(refused.value.read())
        assert answer == {"message": "The request body has 1 error(s)",
                          "details": [{"message": "text must not be empty", "property": "messages[0].text"}]}
        assert fake.spec.checked == 1 and len(fake.spec.violations) == 1
        assert fake.delivered() == []
    finally:
        fake.stop()
        # The violation was made on purpose: keep it out of the session-wide check.
        fake.spec.violations.clear()


def test_the_fake_refuses_a_body_it_has_seen_before_again_whoever_it_goes_to():
    fake = FakeLineApi(access_token="t").start()
    try:
        statuses = []
        for to in ("U1", "U2", "U1"):
            body = json.dumps({"to": to, "messages": [{"type": "text", "text": ""}]}).encode()
            request = urllib.request.Request(fake.url + "/v2/bot/message/push", data=body, method="POST",
                                             headers={"Authorization": "Bearer t", "Content-Type": "application/json"})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=5)
            statuses.append(refused.value.code)
        assert statuses == [400, 400, 400]
        assert fake.spec.checked == 3 and len(fake.spec.violations) == 3
        assert [c.to for c in fake.calls("/push")] == ["U1", "U2", "U1"]
    finally:
        fake.stop()
        fake.spec.violations.clear()


def test_every_faq_question_button_has_a_whole_label(knowledge_and_matcher):
    from handlers import faq

    kb, _ = knowledge_and_matcher
    for entry in kb.entries:
        for lang in ("zh", "en"):
            action = faq._question_button(entry, lang, lambda name, **params: f"a={name}&id={params['id']}")
            label = action["label"]
            assert 0 < m.utf16_len(label) <= 20 and not label.endswith("…"), (entry.id, label)
            assert action["displayText"] == entry.question(lang)
