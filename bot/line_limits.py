"""The limits LINE's reference documents in prose but its OpenAPI schema does not encode.

Sources (LINE Messaging API reference, https://developers.line.biz/en/reference/messaging-api/):
#text-message, #template-messages, #buttons, #confirm, #carousel, #flex-message, #f-bubble,
#f-carousel, #items-object (quick reply), #action-objects (postback, message, uri, datetime picker),
#location-message. LINE counts "characters" as UTF-16 code units (an emoji such as 👍 counts two), so
every length here is measured that way, never with Python's len().
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from bot.messages import utf16_len


@dataclass(frozen=True)
class Violation:
    """One thing LINE would refuse: where (LINE's dotted property path) and why."""

    property: str
    message: str

    def as_detail(self) -> dict[str, str]:
        return {"message": self.message, "property": self.property}


# #text-message: "Max character limit: 5000".
TEXT_MAX = 5000
# #template-messages: altText "Max character limit: 400"; #flex-message: altText "Max character limit: 1500".
TEMPLATE_ALT_MAX = 400
FLEX_ALT_MAX = 1500
# #items-object: "Max: 13 objects"; quick reply action label "Max character limit: 20", required.
QUICK_REPLY_MAX = 13
LABEL_MAX = 20
# #action-objects: a Flex Message button's label "Max character limit: 40".
FLEX_LABEL_MAX = 40
# #postback-action: data and displayText "Max character limit: 300"; displayText "Required for quick
# reply buttons"; "The displayText and text properties cannot both be used at the same time."
DATA_MAX = 300
DISPLAY_TEXT_MAX = 300
# #message-action: text "Max character limit: 300"; #uri-action: uri "Max character limit: 1000",
# schemes http, https, line and tel.
ACTION_TEXT_MAX = 300
URI_MAX = 1000
URI_SCHEMES = ("http://", "https://", "line://", "tel:")
# #buttons: title max 40, text max 160 (60 with an image or a title), at most 4 actions.
# #confirm: text max 240, exactly 2 actions. #carousel: at most 10 columns, title 40, text 120
# (60 with an image or a title), at most 3 actions, the same number in every column.
# #location-message: title and address max 100.
LOCATION_MAX = 100
# #f-bubble: "The maximum size of JSON data that defines a bubble is 30 KB";
# #f-carousel: "Max: 12 bubbles", "The maximum size of JSON data that defines a carousel is 50 KB".
BUBBLE_BYTES = 30 * 1024
CAROUSEL_BYTES = 50 * 1024
CAROUSEL_BUBBLES = 12


def _too_long(value: Any, limit: int, where: str, what: str) -> Iterator[Violation]:
    if isinstance(value, str) and utf16_len(value) > limit:
        yield Violation(where, f"{what} is {utf16_len(value)} UTF-16 units; LINE allows {limit}")


def _empty(value: Any, where: str, what: str) -> Iterator[Violation]:
    if isinstance(value, str) and not value:
        yield Violation(where, f"{what} must not be empty")


def action_violations(action: Any, where: str, context: str) -> Iterator[Violation]:
    """One action; context is 'quick', 'template' or 'flex', which set the label rules."""
    if not isinstance(action, dict):
        return
    kind = action.get("type")
    label = action.get("label")
    label_max = FLEX_LABEL_MAX if context == "flex" else LABEL_MAX
    if context in ("quick", "template") and label is None:
        yield Violation(f"{where}.label", "a quick reply or template button needs a label")
    yield from _too_long(label, label_max, f"{where}.label", "label")
    yield from _empty(label, f"{where}.label", "label")
    if kind in ("postback", "datetimepicker", "richmenuswitch"):
        yield from _too_long(action.get("data"), DATA_MAX, f"{where}.data", "data")
    if kind == "postback":
        yield from _too_long(action.get("displayText"), DISPLAY_TEXT_MAX, f"{where}.displayText", "displayText")
        if context == "quick" and not action.get("displayText"):
            yield Violation(f"{where}.displayText", "displayText is required on a quick reply postback button")
        if action.get("displayText") and action.get("text"):
            yield Violation(f"{where}.text", "displayText and text cannot both be set")
    if kind == "message":
        if not action.get("text"):
            yield Violation(f"{where}.text", "a message action needs text")
        yield from _too_long(action.get("text"), ACTION_TEXT_MAX, f"{where}.text", "text")
    if kind == "uri":
        uri = action.get("uri")
        if not isinstance(uri, str) or not uri.startswith(URI_SCHEMES):
            yield Violation(f"{where}.uri", "uri must be http, https, line or tel")
        yield from _too_long(uri, URI_MAX, f"{where}.uri", "uri")
    if kind == "datetimepicker" and action.get("mode") not in ("date", "time", "datetime"):
        yield Violation(f"{where}.mode", "mode must be date, time or datetime")


def _template_violations(template: Any, where: str) -> Iterator[Violation]:
    if not isinstance(template, dict):
        return
    kind = template.get("type")
    actions = template.get("actions") or []
    if kind == "buttons":
        short = bool(template.get("title") or template.get("thumbnailImageUrl"))
        yield from _too_long(template.get("title"), 40, f"{where}.title", "title")
        yield from _too_long(template.get("text"), 60 if short else 160, f"{where}.text", "text")
        if not 1 <= len(actions) <= 4:
            yield Violation(f"{where}.actions", "a buttons template has 1 to 4 actions")
    elif kind == "confirm":
        yield from _too_long(template.get("text"), 240, f"{where}.text", "text")
        if len(actions) != 2:
            yield Violation(f"{where}.actions", "a confirm template has exactly 2 actions")
    elif kind == "carousel":
        columns = template.get("columns") or []
        if len(columns) > 10:
            yield Violation(f"{where}.columns", "a carousel template has at most 10 columns")
        if len({len(c.get("actions") or []) for c in columns if isinstance(c, dict)}) > 1:
            yield Violation(f"{where}.columns", "every carousel column needs the same number of actions")
        for i, column in enumerate(columns):
            if not isinstance(column, dict):
                continue
            col = f"{where}.columns[{i}]"
            short = bool(column.get("title") or column.get("thumbnailImageUrl"))
            yield from _too_long(column.get("title"), 40, f"{col}.title", "title")
            yield from _too_long(column.get("text"), 60 if short else 120, f"{col}.text", "text")
            col_actions = column.get("actions") or []
            if not 1 <= len(col_actions) <= 3:
                yield Violation(f"{col}.actions", "a carousel column has 1 to 3 actions")
            for j, action in enumerate(col_actions):
                yield from action_violations(action, f"{col}.actions[{j}]", "template")
        return
    for i, action in enumerate(actions):
        yield from action_violations(action, f"{where}.actions[{i}]", "template")


def _flex_violations(node: Any, where: str) -> Iterator[Violation]:
    """Walk a flex container: sizes, texts and the actions of buttons and tappable parts."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _flex_violations(item, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "text" and "contents" not in node:
        yield from _empty(node.get("text"), f"{where}.text", "flex text")
    for key, value in node.items():
        if key == "action":
            yield from action_violations(value, f"{where}.action", "flex")
        elif isinstance(value, (dict, list)):
            yield from _flex_violations(value, f"{where}.{key}")


def _json_bytes(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _flex_size_violations(contents: Any, where: str) -> Iterator[Violation]:
    if not isinstance(contents, dict):
        return
    if contents.get("type") == "bubble" and _json_bytes(contents) > BUBBLE_BYTES:
        yield Violation(where, f"a bubble is {_json_bytes(contents)} bytes of JSON; LINE allows {BUBBLE_BYTES}")
    if contents.get("type") == "carousel":
        bubbles = contents.get("contents") or []
        if len(bubbles) > CAROUSEL_BUBBLES:
            yield Violation(f"{where}.contents", f"a carousel has at most {CAROUSEL_BUBBLES} bubbles")
        if _json_bytes(contents) > CAROUSEL_BYTES:
            yield Violation(where, f"a carousel is {_json_bytes(contents)} bytes of JSON; LINE allows {CAROUSEL_BYTES}")
        for i, bubble in enumerate(bubbles):
            yield from _flex_size_violations(bubble, f"{where}.contents[{i}]")


def message_limit_violations(message: Any, where: str) -> list[Violation]:
    """Every documented limit one message object breaks, with LINE's property path."""
    return list(_message(message, where))


def _message(message: Any, where: str) -> Iterator[Violation]:
    if not isinstance(message, dict):
        return
    kind = message.get("type")
    if kind == "text":
        yield from _too_long(message.get("text"), TEXT_MAX, f"{where}.text", "text")
        yield from _empty(message.get("text"), f"{where}.text", "text")
    elif kind == "template":
        yield from _too_long(message.get("altText"), TEMPLATE_ALT_MAX, f"{where}.altText", "altText")
        yield from _empty(message.get("altText"), f"{where}.altText", "altText")
        yield from _template_violations(message.get("template"), f"{where}.template")
    elif kind == "flex":
        yield from _too_long(message.get("altText"), FLEX_ALT_MAX, f"{where}.altText", "altText")
        yield from _empty(message.get("altText"), f"{where}.altText", "altText")
        yield from _flex_size_violations(message.get("contents"), f"{where}.contents")
        yield from _flex_violations(message.get("contents"), f"{where}.contents")
    elif kind == "location":
        yield from _too_long(message.get("title"), LOCATION_MAX, f"{where}.title", "title")
        yield from _too_long(message.get("address"), LOCATION_MAX, f"{where}.address", "address")
    quick = message.get("quickReply")
    if isinstance(quick, dict):
        items = quick.get("items") or []
        if not 1 <= len(items) <= QUICK_REPLY_MAX:
            yield Violation(f"{where}.quickReply.items", f"a quick reply has 1 to {QUICK_REPLY_MAX} buttons")
        for i, item in enumerate(items):
            if isinstance(item, dict):
                yield from action_violations(item.get("action"), f"{where}.quickReply.items[{i}].action", "quick")
