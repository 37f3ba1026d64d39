"""Builders for LINE message objects as plain dicts in the Messaging API's JSON shape."""
from __future__ import annotations

from typing import Any

Message = dict[str, Any]
Action = dict[str, Any]

MAX_TEXT = 5000
MAX_QUICK_REPLIES = 13
MAX_LABEL = 20


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def message_action(label: str, text: str | None = None) -> Action:
    """A button that sends text as if the citizen typed it."""
    return {"type": "message", "label": _label(label), "text": (text or label)[:300]}


def postback_action(label: str, data: str, display_text: str | None = None) -> Action:
    """A button that sends data to the bot; display_text shows in the chat as the citizen's words."""
    action: Action = {"type": "postback", "label": _label(label), "data": data[:300]}
    if display_text:
        action["displayText"] = display_text[:300]
    return action


def datetime_action(label: str, data: str, mode: str = "date", initial: str | None = None,
                    min_: str | None = None, max_: str | None = None) -> Action:
    """A date or time picker; the choice comes back as a postback with params."""
    action: Action = {"type": "datetimepicker", "label": _label(label), "data": data[:300], "mode": mode}
    for key, value in (("initial", initial), ("min", min_), ("max", max_)):
        if value:
            action[key] = value
    return action


def uri_action(label: str, uri: str) -> Action:
    return {"type": "uri", "label": _label(label), "uri": uri}


def quick_replies(actions: list[Action]) -> dict[str, Any]:
    return {"items": [{"type": "action", "action": a} for a in actions[:MAX_QUICK_REPLIES]]}


def text(body: str, quick: list[Action] | None = None) -> Message:
    """A text message, cut to LINE's limit, with optional quick-reply buttons."""
    body = body if len(body) <= MAX_TEXT else body[: MAX_TEXT - 1] + "…"
    message: Message = {"type": "text", "text": body or " "}
    if quick:
        message["quickReply"] = quick_replies(quick)
    return message


def with_quick(message: Message, quick: list[Action]) -> Message:
    """The same message with quick-reply buttons attached."""
    return {**message, "quickReply": quick_replies(quick)} if quick else message


def location(title: str, address: str, latitude: float, longitude: float) -> Message:
    return {"type": "location", "title": title[:100], "address": address[:100],
            "latitude": latitude, "longitude": longitude}


def buttons(alt_text: str, body: str, actions: list[Action], title: str | None = None) -> Message:
    """A buttons template: up to four actions under a short text."""
    template: dict[str, Any] = {"type": "buttons", "text": body[:160 if not title else 60], "actions": actions[:4]}
    if title:
        template["title"] = title[:40]
    return {"type": "template", "altText": alt_text[:400], "template": template}


def flex(alt_text: str, contents: dict[str, Any]) -> Message:
    return {"type": "flex", "altText": alt_text[:400], "contents": contents}


def bubble(title: str, lines: list[str], actions: list[Action] | None = None,
           subtitle: str | None = None, color: str = "#06C755") -> dict[str, Any]:
    """A simple card: a coloured title, text lines, and buttons at the bottom."""
    header: list[dict[str, Any]] = [
        {"type": "text", "text": title[:120], "weight": "bold", "size": "lg", "color": "#FFFFFF", "wrap": True}
    ]
    if subtitle:
        header.append({"type": "text", "text": subtitle[:120], "size": "sm", "color": "#FFFFFF", "wrap": True})
    card: dict[str, Any] = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "contents": header, "backgroundColor": color},
        "body": {
            "type": "box", "layout": "vertical", "spacing": "sm",
            "contents": [{"type": "text", "text": line[:2000], "wrap": True, "size": "sm"} for line in lines if line]
            or [{"type": "text", "text": " "}],
        },
    }
    if actions:
        card["footer"] = {
            "type": "box", "layout": "vertical", "spacing": "sm",
            "contents": [
                {"type": "button", "style": "primary" if i == 0 else "secondary", "height": "sm", "action": a}
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
