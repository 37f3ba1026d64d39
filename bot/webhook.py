"""POST /callback: verify the signature, make the events durable, answer 200, then handle them.

The handling runs on this server thread after the response has gone out (`call_on_close`), so LINE
never waits for matching, state or the reply round trip (bot/inbound.py).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from typing import Any

from flask import Blueprint, Response, abort, current_app, request

from bot import inbound
from bot.jsonbody import BadJson, load_json
from bot.offices import CHANNEL_FIELD, DEFAULT_CHANNEL

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
def callback() -> Response | tuple[str, int]:
    services = current_app.extensions["services"]
    if (request.content_length or 0) > MAX_BODY:
        abort(413)
    body = request.get_data(cache=False)
    channel = services.offices.signed_by(body, request.headers.get("X-Line-Signature"), signature_ok)
    if channel is None:
        log.warning("webhook with a missing or wrong signature refused")
        return "bad signature", 400
    try:
        payload = load_json(body)
    except BadJson:
        return "malformed body", 400
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return "malformed body", 400
    if not services.offices.destination_ok(channel, payload.get("destination")):
        # Signed with one channel's secret but addressed to another channel's bot: nothing is done.
        log.warning("webhook for another channel's bot refused (signed for %s)", channel.key)
        return "wrong destination", 400
    if channel.key != DEFAULT_CHANNEL:
        # The channel rides with each stored event, so whoever handles it answers through the same bot.
        events = [{**e, CHANNEL_FIELD: channel.key} if isinstance(e, dict) else e for e in events]
    try:
        inbound.accept(services, events)
    except Exception:  # noqa: BLE001 - a locked or full database: answer now, as best we can
        log.exception("could not accept %d webhook event(s); handling them at once", len(events))
        for event in events:
            if isinstance(event, dict):
                inbound.handle_unaccepted(services, event)
        return "OK", 200
    if not current_app.testing:  # tests drive takeovers themselves, on their own clock
        services.sweeper.start()
    response = Response("OK", status=200, mimetype="text/plain")
    response.call_on_close(lambda: _drain_after_response(services))
    return response


def _drain_after_response(services: Any) -> None:
    try:
        inbound.drain(services)
    except Exception:  # noqa: BLE001 - what is left is taken over by the sweeper or the clock
        log.exception("handling accepted events failed")
