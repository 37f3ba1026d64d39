"""POST /callback: verify the signature, skip redeliveries, handle each event, answer 200."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from typing import Any

from flask import Blueprint, abort, current_app, request

from bot.events import event_id_of, to_input
from bot.jsonbody import BadJson, load_json
from bot.pipeline import Redelivered, handle_event
from handlers import core

log = logging.getLogger(__name__)

bp = Blueprint("webhook", __name__)
MAX_BODY = 1024 * 1024
# base64 of a 32-byte HMAC is 44 characters; anything much longer is not a signature.
MAX_SIGNATURE = 128


def signature_for(secret: str, body: bytes) -> str:
    """The X-Line-Signature LINE computes: base64 of HMAC-SHA256 over the raw body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_ok(secret: str, body: bytes, signature: str | None) -> bool:
    """Constant-time check; compared as bytes, since compare_digest refuses non-ASCII text."""
    if not secret or not signature or len(signature) > MAX_SIGNATURE:
        return False
    return hmac.compare_digest(signature_for(secret, body).encode(), signature.encode("utf-8", "replace"))


@bp.post("/callback")
def callback() -> tuple[str, int]:
    services = current_app.extensions["services"]
    if (request.content_length or 0) > MAX_BODY:
        abort(413)
    body = request.get_data(cache=False)
    if not signature_ok(services.config.line_channel_secret, body, request.headers.get("X-Line-Signature")):
        log.warning("webhook with a missing or wrong signature refused")
        return "bad signature", 400
    try:
        payload = load_json(body)
    except BadJson:
        return "malformed body", 400
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return "malformed body", 400
    for event in events:
        if isinstance(event, dict):
            _handle_once(services, event)
    return "OK", 200


def _handle_once(services: Any, event: dict[str, Any]) -> None:
    event_id = event_id_of(event)
    try:
        handle_event(services, event)
    except Redelivered:
        log.info("redelivered event %s skipped", event_id)
    except Exception:  # noqa: BLE001 - the webhook never answers 500
        log.exception("event %s failed outside its handler", event_id or "-")
        inp = to_input(event)
        if inp is not None and inp.reply_token:
            try:
                services.sender.send(inp.user_id, inp.reply_token, core.apology("zh"))
            except Exception:  # noqa: BLE001
                log.exception("apology for event %s could not be sent", event_id or "-")
