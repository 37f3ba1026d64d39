"""Builders for LINE message objects as plain dicts in the Messaging API's JSON shape."""
from __future__ import annotations

import logging
import re
from typing import Any

from bot import palette

log = logging.getLogger(__name__)

Message = dict[str, Any]
Action = dict[str, Any]

# LINE's limits, in UTF-16 code units as LINE counts them (bot/line_limits.py cites the reference).
MAX_TEXT = 5000
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20
MAX_DATA = 300

_PHRASE_END = " ，、。；：？！,.;:?!／/-–—(（「『【"
_PHRASE_CLOSE = "）)」』】"
_DANGLING_ZH = "或和與及跟的並而、"
_DANGLING_EN = {"a", "an", "the", "of", "to", "for", "and", "or", "in", "on", "at", "my", "your", "with", "by"}
# A long English question keeps its subject, not its opening: "How do I register a child born abroad?"
# is better told apart from its neighbours as "Register a child born" than as "How do I register a".
_QUESTION_OPENING = re.compile(
    r"^(?:how (?:do|can|should|would) (?:i|we|you)|what (?:is|are|does|do)(?: the| a| an| my)?|"
    r"where (?:do|can|should) (?:i|we)|when (?:do|should|can) (?:i|we)|(?:can|do|should|must|may) (?:i|we)"
    r"(?: need to)?|is it possible to|i want to|i'd like to|please)\s+", re.IGNORECASE)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]+")


def utf16_len(text: str) -> int:
    """Length as LINE counts it: an emoji outside the Basic Multilingual Plane counts two."""
    return len(text.encode("utf-16-le")) // 2


def utf16_cut(text: str, limit: int, ellipsis: str = "") -> str:
    """text cut to at most limit UTF-16 units (with ellipsis, if cut), never inside a surrogate pair."""
    if utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(ellipsis)
    out, used = [], 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > room:
            break
        out.append(ch)
        used += size
    return "".join(out) + ellipsis


def _words(text: str) -> list[str]:
    """Text in pieces a label may end after: English words with their spaces, Chinese words by jieba."""
    pieces: list[str] = []
    pos = 0
    for run in _CJK.finditer(text):
        pieces += re.findall(r"\S+\s*|\s+", text[pos:run.start()])
        from knowledge.features import segment  # jieba, as the matcher uses it; loaded only for long labels

        pieces += segment(run.group(0))
        pos = run.end()
    pieces += re.findall(r"\S+\s*|\s+", text[pos:])
    return pieces


def short_label(text: str, limit: int = MAX_LABEL) -> str:
    """A button label within LINE's limit, shortened only at a word or phrase boundary, never with "…".

    Prefer a dedicated short label (a knowledge entry's `label`); this is for texts made at run time.
    """
    text = " ".join(text.split())
    if utf16_len(text) <= limit:
        return text
    subject = _QUESTION_OPENING.sub("", text, count=1)
    if subject != text and subject:
        text = subject[0].upper() + subject[1:]
        if utf16_len(text.rstrip("?")) <= limit:
            return text.rstrip("?")
    kept = ""
    for piece in _words(text):
        if utf16_len(kept + piece.rstrip()) > limit:
            break
        kept += piece
    # A whole phrase reads better than more words: end at a bracket or a comma if that keeps half.
    phrase = max([kept.rfind(ch) for ch in _PHRASE_END] + [kept.rfind(ch) + 1 for ch in _PHRASE_CLOSE if ch in kept])
    if phrase >= limit // 2:
        kept = kept[:phrase]
    words = kept.split()
    while len(words) > 1 and words[-1].lower() in _DANGLING_EN:
        words.pop()
    kept = " ".join(words).rstrip(_PHRASE_END)
    while len(kept) > 1 and kept[-1] in _DANGLING_ZH:
        kept = kept[:-1].rstrip(_PHRASE_END)
    return kept or utf16_cut(text, limit)


def _data(data: str) -> str:
    if utf16_len(data) > MAX_DATA:
        log.warning("postback data over %s UTF-16 units cut: %s", MAX_DATA, data[:40])
    return utf16_cut(data, MAX_DATA)


def message_action(label: str, text: str | None = None) -> Action:
    """A button that sends text as if the citizen typed it."""
    return {"type": "message", "label": short_label(label), "text": utf16_cut(text or label, 300)}


def postback_action(label: str, data: str, display_text: str | None = None) -> Action:
    """A button that sends data to the bot; display_text shows in the chat as the citizen's words."""
    action: Action = {"type": "postback", "label": short_label(label), "data": _data(data)}
    if display_text:
        action["displayText"] = utf16_cut(display_text, 300)
    return action


def datetime_action(label: str, data: str, mode: str = "date", initial: str | None = None,
                    min_: str | None = None, max_: str | None = None) -> Action:
    """A date or time picker; the choice comes back as a postback with params."""
    action: Action = {"type": "datetimepicker", "label": short_label(label), "data": _data(data), "mode": mode}
    for key, value in (("initial", initial), ("min", min_), ("max", max_)):
        if value:
            action[key] = value
    return action


def location_action(label: str) -> Action:
    """A quick reply that opens LINE's location picker; the citizen's choice comes back as a location message."""
    return {"type": "location", "label": short_label(label)}


def uri_action(label: str, uri: str) -> Action:
    return {"type": "uri", "label": short_label(label), "uri": uri}


def _as_quick(action: Action) -> Action:
    """LINE requires displayText on a quick-reply postback: the tapped label then shows as the citizen's words."""
    if action.get("type") == "postback" and not action.get("displayText") and not action.get("text"):
        return {**action, "displayText": action["label"]}
    return action


def quick_replies(actions: list[Action]) -> dict[str, Any]:
    if len(actions) > MAX_QUICK_REPLIES:
        log.warning("%s quick replies cut to %s", len(actions), MAX_QUICK_REPLIES)
    return {"items": [{"type": "action", "action": _as_quick(a)} for a in actions[:MAX_QUICK_REPLIES]]}


def text(body: str, quick: list[Action] | None = None) -> Message:
    """A text message, cut to LINE's limit, with optional quick-reply buttons."""
    body = utf16_cut(body, MAX_TEXT, "…")
    message: Message = {"type": "text", "text": body or " "}
    if quick:
        message["quickReply"] = quick_replies(quick)
    return message


def with_quick(message: Message, quick: list[Action]) -> Message:
    """The same message with quick-reply buttons attached."""
    return {**message, "quickReply": quick_replies(quick)} if quick else message


def location(title: str, address: str, latitude: float, longitude: float) -> Message:
    return {"type": "location", "title": utf16_cut(title, 100), "address": utf16_cut(address, 100),
            "latitude": latitude, "longitude": longitude}


def buttons(alt_text: str, body: str, actions: list[Action], title: str | None = None) -> Message:
    """A buttons template: up to four actions under a short text."""
    template: dict[str, Any] = {"type": "buttons", "text": utf16_cut(body, 160 if not title else 60, "…"),
                                "actions": actions[:4]}
    if title:
        template["title"] = utf16_cut(title, 40, "…")
    return {"type": "template", "altText": utf16_cut(alt_text, 400, "…"), "template": template}


def flex(alt_text: str, contents: dict[str, Any]) -> Message:
    return {"type": "flex", "altText": utf16_cut(alt_text, 1500, "…"), "contents": contents}


def bubble(title: str, lines: list[str], actions: list[Action] | None = None,
           subtitle: str | None = None, color: str = palette.GREEN) -> dict[str, Any]:
    """A simple card: a coloured title, text lines, and buttons at the bottom (the first solid, in the title's colour)."""
    header: list[dict[str, Any]] = [
        {"type": "text", "text": utf16_cut(title, 120, "…"), "weight": "bold", "size": "lg", "color": palette.WHITE, "wrap": True}
    ]
    if subtitle:
        header.append({"type": "text", "text": utf16_cut(subtitle, 120, "…"), "size": "sm", "color": palette.WHITE, "wrap": True})
    card: dict[str, Any] = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "contents": header, "backgroundColor": color},
        "body": {
            "type": "box", "layout": "vertical", "spacing": "sm",
            "contents": [{"type": "text", "text": utf16_cut(line, 2000, "…"), "wrap": True, "size": "sm"} for line in lines if line]
            or [{"type": "text", "text": " "}],
        },
    }
    if actions:
        card["footer"] = {
            "type": "box", "layout": "vertical", "spacing": "sm",
            "contents": [
                {"type": "button", "style": "primary", "color": color, "height": "sm", "action": a} if i == 0
                else {"type": "button", "style": "secondary", "height": "sm", "action": a}
                for i, a in enumerate(actions[:4])
            ],
        }
    return card


def carousel(bubbles: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "carousel", "contents": bubbles[:12]}


def plain_text(message: Message) -> str:
    """The words of a message, for the log and for staff: text, alt text, or the kind."""
    if message.get("type") == "text":
        return str(message.get("text", ""))
    if "altText" in message:
        return str(message["altText"])
    return f"[{message.get('type', 'message')}]"
