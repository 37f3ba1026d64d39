"""Acknowledge first: the webhook writes verified events and answers 200; handling comes after.

LINE recommends handling webhook events asynchronously, so that its next request never waits for
this one's work. The 200 goes out once the events are durable (bot/store/inbound.py); then, on the
same server thread after the response has been sent (`call_on_close`), `drain` handles every event
that is ready, in each user's order, across threads and processes. Whatever a dead thread left is
taken over: by the sweeper thread of each web worker and by the clock (`takeover`), after
INBOUND_TAKEOVER_SECONDS. A taken-over answer goes by reply while the token is honoured
(REPLY_TOKEN_SECONDS), else by push with a retry key derived from the event id.
"""
from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.events import event_id_of, to_input
from bot.offices import channel_of
from bot.pipeline import Redelivered, handle_event
from bot.store.inbound import ANSWERED, Claimed

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

BATCH = 100  # events one thread handles before it lets its connection serve the next request


def drain(services: "Services", *, older_than: timedelta | None = None, limit: int = BATCH) -> int:
    """Handle accepted events until none is ready (or `limit`); returns how many."""
    handled = 0
    while handled < limit:
        try:
            claimed = services.store.inbound.claim(older_than=older_than)
        except Exception as exc:  # noqa: BLE001 - a busy database: the sweeper or the clock comes back for it
            log.warning("could not claim an accepted event: %s: %s", type(exc).__name__, exc)
            return handled
        if claimed is None:
            return handled
        process(services, claimed)
        handled += 1
    return handled


def takeover(services: "Services") -> int:
    """Events accepted a while ago that nobody is handling (their thread or process died)."""
    return drain(services, older_than=timedelta(seconds=services.config.inbound_takeover_seconds))


def process(services: "Services", claimed: Claimed) -> None:
    """One accepted event, answered once: handled, or its saved answer sent, or an apology."""
    event_id = event_id_of(claimed.event) or f"row {claimed.id}"
    age = (services.store.clock.now() - claimed.received_at).total_seconds()
    fresh = age < services.config.reply_token_seconds
    try:
        if claimed.status == ANSWERED:
            _send_saved(services, claimed, fresh)
        else:
            try:
                handle_event(services, claimed.event, claimed, reply_token_valid=fresh)
            except Redelivered:
                if claimed.attempts > 1:
                    # A thread died inside the handler: what it did is kept, its answer is not.
                    log.warning("event %s was cut off mid-handling; apologising", event_id)
                    _apologise(services, claimed, fresh)
                else:
                    log.info("redelivered event %s skipped", event_id)
    except Exception:  # noqa: BLE001 - the citizen still gets an answer
        log.exception("event %s failed outside its handler", event_id)
        try:
            _apologise(services, claimed, fresh)
        except Exception:  # noqa: BLE001
            log.exception("apology for event %s could not be sent", event_id)
    try:
        services.store.inbound.done(claimed)
    except Exception:  # noqa: BLE001 - left answered: a takeover resends, LINE keeps it once
        log.exception("could not mark event %s done", event_id)


def handle_unaccepted(services: "Services", event: dict[str, Any]) -> None:
    """The events could not be written: handle one on the spot (a failing step still apologises)."""
    event_id = event_id_of(event) or "-"
    try:
        handle_event(services, event)
    except Redelivered:
        log.info("redelivered event %s skipped", event_id)
    except Exception:  # noqa: BLE001 - the webhook never answers 500
        log.exception("event %s failed outside its handler", event_id)
        inp = to_input(event)
        if inp is not None and inp.reply_token and inp.kind != "unfollow":
            try:
                services.sender.for_channel(channel_of(event)).send(inp.user_id, inp.reply_token,
                                                                   services.dispatcher.basics.apology("zh"))
            except Exception:  # noqa: BLE001
                log.exception("apology for event %s could not be sent", event_id)


def _send_saved(services: "Services", claimed: Claimed, fresh: bool) -> None:
    inp = to_input(claimed.event)
    if inp is None or inp.kind == "unfollow" or not claimed.answer:
        return
    services.sender.for_channel(channel_of(claimed.event)).send(
        inp.user_id, inp.reply_token if fresh else None, claimed.answer,
                         once_key=event_id_of(claimed.event) or None, resent=True)


def _apologise(services: "Services", claimed: Claimed, fresh: bool) -> None:
    inp = to_input(claimed.event)
    if inp is None or inp.kind == "unfollow":
        return
    user = services.store.users.get(inp.user_id)
    lang = getattr(user, "lang", None) or "zh"
    services.sender.for_channel(channel_of(claimed.event)).send(
        inp.user_id, inp.reply_token if fresh else None, services.dispatcher.basics.apology(lang),
                         once_key=(event_id_of(claimed.event) or str(claimed.id)) + ":sorry", resent=True)


class Sweeper:
    """One daemon thread per web worker: takes over what dead threads left, every few seconds."""

    def __init__(self, services: "Services") -> None:
        self.services = services
        self._stop = threading.Event()
        self._started = False
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="inbound-sweeper", daemon=True).start()

    def _run(self) -> None:
        every = max(0.5, self.services.config.inbound_takeover_seconds)
        while not self._stop.wait(every):
            try:
                takeover(self.services)
            except Exception as exc:  # noqa: BLE001 - keep sweeping
                log.warning("inbound sweep failed: %s: %s", type(exc).__name__, exc)

    def stop(self) -> None:
        self._stop.set()


def accept(services: "Services", events: list[Any]) -> int:
    """Make the verified events durable; the caller answers 200 only after this returns."""
    return services.store.inbound.accept([e for e in events if isinstance(e, dict)])
