"""Turning LINE webhook event JSON into handler inputs, tolerant of shapes we do not know."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from bot.context import Input

MEDIA_TYPES = {"image", "video", "audio", "file", "sticker", "location"}
MAX_TEXT = 5000
MAX_POSTBACK_DATA = 300


def user_id_of(event: dict[str, Any]) -> str | None:
    source = event.get("source")
    if not isinstance(source, dict):
        return None
    user_id = source.get("userId")
    return user_id if isinstance(user_id, str) and user_id else None


def event_id_of(event: dict[str, Any]) -> str:
    value = event.get("webhookEventId")
    return value if isinstance(value, str) else ""


def _coordinates(message: dict[str, Any]) -> dict[str, str]:
    """A shared location's latitude and longitude, when both are numbers on the globe (else none).
    They are used for the answer only, never stored."""
    lat, lng = message.get("latitude"), message.get("longitude")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lng)):
        return {}
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return {}
    return {"latitude": repr(float(lat)), "longitude": repr(float(lng))}


def to_input(event: dict[str, Any]) -> Input | None:
    """The handler input for one event, or None for events the bot does not answer."""
    user_id = user_id_of(event)
    if user_id is None:
        return None
    kind = event.get("type")
    token = event.get("replyToken") if isinstance(event.get("replyToken"), str) else None
    common = {"user_id": user_id, "event_id": event_id_of(event), "reply_token": token}
    if kind in ("follow", "unfollow"):
        return Input(kind=kind, **common)
    if kind == "postback":
        postback = event.get("postback") if isinstance(event.get("postback"), dict) else {}
        raw = postback.get("data") if isinstance(postback.get("data"), str) else ""
        # Longer than LINE allows: not a button of ours, so routed as an unknown postback.
        data = dict(parse_qsl(raw, keep_blank_values=True)) if len(raw) <= MAX_POSTBACK_DATA else {}
        params = postback.get("params") if isinstance(postback.get("params"), dict) else {}
        params = {str(k): str(v) for k, v in params.items()}
        return Input(kind="postback", action=data.get("a", ""), data=data, params=params, **common)
    if kind == "message":
        message = event.get("message") if isinstance(event.get("message"), dict) else {}
        mtype = message.get("type")
        if mtype == "text":
            text = message.get("text") if isinstance(message.get("text"), str) else ""
            # A NUL means nothing in a chat message, and PostgreSQL's text columns refuse it.
            return Input(kind="text", text=text.replace("\x00", "")[:MAX_TEXT], **common)
        if mtype == "location":
            return Input(kind="location", params=_coordinates(message), **common)
        return Input(kind=mtype if mtype in MEDIA_TYPES else "other", **common)
    if token:
        # Joins, beacons, member events and types LINE adds later: answered politely if they can be.
        return Input(kind="other", **common)
    return None
