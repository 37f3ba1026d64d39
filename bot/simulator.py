"""The local chat simulator: a LINE-like page whose messages go through the real, signed webhook."""
from __future__ import annotations

import json
import time
import uuid
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from bot.webhook import signature_for

bp = Blueprint("simulator", __name__, url_prefix="/simulator")


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


@bp.get("/")
def page() -> str:
    return render_template("simulator.html")


@bp.post("/api/send")
def send() -> Any:
    services = current_app.extensions["services"]
    payload = request.get_json(silent=True) or {}
    user_id = str(payload.get("user") or "Usimulator0001")[:64]
    token = services.fake_line.issue_reply_token(user_id)
    body = json.dumps({"destination": "Usimulatorbot", "events": [event_for(payload, user_id, token)]},
                      ensure_ascii=False).encode()
    signature = signature_for(services.config.line_channel_secret, body)
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
    last = max([after, *(d["seq"] for d in delivered)])
    return jsonify({"messages": delivered, "last": last})


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
