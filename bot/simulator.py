"""The local chat simulator: a LINE-like page whose messages go through the real, signed webhook.

With OFFICES_FILE the tester picks the channel they write to (the shared default one or an office's own):
each event is signed with that channel's secret and names its bot as `destination`, and the page shows
what that channel's bot delivered, with the office the citizen currently belongs to.
"""
from __future__ import annotations

import json
import time
import uuid
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from bot.offices import DEFAULT_CHANNEL, Channel
from bot.webhook import signature_for

bp = Blueprint("simulator", __name__, url_prefix="/simulator")
# The default channel's bot id when the deployment names none (LINE_CHANNEL_DESTINATION unset).
SIMULATED_BOT = "Usimulatorbot"


def make_event(kind: str, user_id: str, reply_token: str | None, **fields: Any) -> dict[str, Any]:
    """A webhook event in LINE's shape, as the platform would send it."""
    event: dict[str, Any] = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
    }
    if reply_token:
        event["replyToken"] = reply_token
    event.update(fields)
    return event


def event_for(payload: dict[str, Any], user_id: str, reply_token: str) -> dict[str, Any]:
    """The webhook event for what the citizen did on the simulator page."""
    kind = payload.get("type", "text")
    message_id = uuid.uuid4().hex[:18]
    if kind == "text":
        message = {"id": message_id, "type": "text", "text": str(payload.get("text", ""))}
        return make_event("message", user_id, reply_token, message=message)
    if kind == "postback":
        postback: dict[str, Any] = {"data": str(payload.get("data", ""))}
        if payload.get("params"):
            postback["params"] = payload["params"]
        return make_event("postback", user_id, reply_token, postback=postback)
    if kind == "sticker":
        message = {"id": message_id, "type": "sticker", "packageId": "446", "stickerId": "1988"}
        return make_event("message", user_id, reply_token, message=message)
    if kind == "image":
        message = {"id": message_id, "type": "image", "contentProvider": {"type": "line"}}
        return make_event("message", user_id, reply_token, message=message)
    if kind == "location":
        message = {"id": message_id, "type": "location", "title": "目前位置", "address": "高雄市小港區",
                   "latitude": 22.565, "longitude": 120.354}
        return make_event("message", user_id, reply_token, message=message)
    if kind == "unfollow":
        return make_event("unfollow", user_id, None)
    return make_event("follow", user_id, reply_token)


def channel_choices(services: Any) -> list[dict[str, str]]:
    """The channels a tester may write to, each labelled by its offices' names; [] with only one channel."""
    offices = services.offices
    if offices is None or len(offices.channels) < 2:
        return []
    choices = []
    for channel in offices.channels:
        names = "、".join(services.office_name(o, "zh") for o in offices.on_channel(channel.key))
        kind = "共用頻道 shared bot" if channel.key == DEFAULT_CHANNEL else "專屬頻道 own bot"
        choices.append({"key": channel.key, "label": f"{names}（{kind}）"})
    return choices


def _channel(services: Any, key: Any) -> Channel | None:
    """The channel the page asked for; the default one when it names none (the page without OFFICES_FILE)."""
    channels = services.offices.channels if services.offices is not None else ()
    key = key if isinstance(key, str) and key else DEFAULT_CHANNEL
    return next((c for c in channels if c.key == key), None)


def office_label(services: Any, user_id: str, channel_key: str) -> dict[str, Any]:
    """Which office this citizen belongs to on that channel (users.office_id on a shared one), for the page."""
    user = services.store.users.get(user_id) if user_id else None
    office = services.office_of(channel_key, user.office_id if user is not None else "")
    sharing = len(services.offices.on_channel(channel_key)) if services.offices is not None else 0
    if office is None:
        return {"zh": "尚未選擇", "en": "not chosen yet", "can_switch": sharing > 1}
    return {"zh": services.office_name(office, "zh"), "en": services.office_name(office, "en"),
            "can_switch": sharing > 1}


@bp.get("/")
def page() -> str:
    services = current_app.extensions["services"]
    return render_template("simulator.html", channels=channel_choices(services),
                           show_office=bool(services.config.offices_file))


@bp.post("/api/send")
def send() -> Any:
    services = current_app.extensions["services"]
    payload = request.get_json(silent=True) or {}
    channel = _channel(services, payload.get("channel"))
    if channel is None:
        return jsonify({"status": 400, "error": "unknown channel"}), 400
    user_id = str(payload.get("user") or "Usimulator0001")[:64]
    token = services.fake_line.issue_reply_token(user_id)
    # Signed and addressed as LINE would for this channel, so the webhook picks the channel as in production.
    body = json.dumps({"destination": channel.destination or SIMULATED_BOT,
                       "events": [event_for(payload, user_id, token)]}, ensure_ascii=False).encode()
    signature = signature_for(channel.secret, body)
    response = current_app.test_client().post(
        "/callback", data=body, headers={"X-Line-Signature": signature, "Content-Type": "application/json"}
    )
    response.close()  # the accepted event is handled now, so the page shows the answer at once
    return jsonify({"status": response.status_code})


@bp.post("/api/tick")
def tick() -> Any:
    """Run the clock's jobs once, so reminders and staff replies show up without a clock process."""
    services = current_app.extensions["services"]
    services.tick(services.store.clock.now())
    return jsonify({"status": "ok"})


@bp.get("/api/messages")
def messages() -> Any:
    services = current_app.extensions["services"]
    user_id = request.args.get("user", "")
    after = request.args.get("after", 0, type=int)
    delivered = services.fake_line.delivered(user_id, after=after)
    key = request.args.get("channel", "")
    if key:
        # Each channel is its own chat, as in LINE: what that channel's bot sent (its token) belongs here.
        token = services.line_for(key).access_token
        delivered = [d for d in delivered if d["token"] == token]
    last = max([after, *(d["seq"] for d in delivered)])
    # The page never needs a bot's token.
    answer: dict[str, Any] = {"messages": [{k: v for k, v in d.items() if k != "token"} for d in delivered],
                              "last": last}
    if services.config.offices_file:
        answer["office"] = office_label(services, user_id, key or DEFAULT_CHANNEL)
    return jsonify(answer)


@bp.get("/api/richmenu")
def rich_menu() -> Any:
    """The rich menu LINE would show this citizen (deployed to the fake LINE API on first use)."""
    from bot.richmenu.simulated import menu_for

    menu = menu_for(current_app.extensions["services"], request.args.get("user", "")[:64])
    if menu is None:
        return jsonify({"menu": None})
    return jsonify({"menu": {**menu, "image": f"/simulator/richmenu/{menu['id']}"}})


@bp.get("/richmenu/<menu_id>")
def rich_menu_image(menu_id: str) -> Any:
    from bot.richmenu.simulated import image_of

    found = image_of(current_app.extensions["services"], menu_id)
    if found is None:
        abort(404)
    content_type, data = found
    return Response(data, content_type=content_type, headers={"Cache-Control": "max-age=3600"})
