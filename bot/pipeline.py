"""One webhook event, start to finish: who, where in the conversation, which handler, what to send."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot import messages as m
from bot.context import Context, Outcome
from bot.events import event_id_of, to_input
from bot.offices import channel_of
from bot.richmenu.links import follow_language
from bot.store.core import IDLE, new_session_id

if TYPE_CHECKING:
    from bot.services import Services
    from bot.store.inbound import Claimed

log = logging.getLogger(__name__)


class Redelivered(Exception):
    """LINE sent an event id we have already handled."""


def handle_event(services: "Services", event: dict[str, Any], claimed: "Claimed | None" = None,
                 reply_token_valid: bool = True) -> Outcome | None:
    """Handle one event and send its replies; a failing handler still gets the citizen an apology.

    Few writes per event: (1) before the handler, the incoming text (the user and the conversation are read,
    and the texts masked, before it). An event handled on the spot (not `claimed`) notes its id in the same
    transaction (a redelivery stops here) with the user; an accepted one is unique by its id already, and is
    logged by one lone statement (a new user, or one writing to another bot, takes a transaction first).
    (2) After the handler, the new state, the outgoing texts and, for an accepted event, the answer itself, so
    a thread that dies before sending leaves it for the next one. Replies are sent after both; when the reply
    token is too old, by push.
    """
    inp = to_input(event)
    store = services.store
    event_id = event_id_of(event)
    channel = channel_of(event)
    if inp is None:
        if event_id and not store.events.first_time(event_id):
            raise Redelivered(event_id)
        return None
    # Read and mask before the write transaction, so the write lock is held for the writes only. One user's
    # events are handled one at a time (bot/store/inbound.py claims them in order), so what is read holds.
    user = store.users.get(inp.user_id)
    conversation = store.conversations.load(inp.user_id)
    typed = inp.text or inp.action
    private = inp.kind == "text" and conversation.state in services.dispatcher.private_states
    masked_in = store.messages.masked_text("in", inp.kind, typed, hide=[typed] if private else ())
    if claimed is None:
        if event_id and store.inbound.has(event_id):  # accepted before: handled (or to be) from the table
            raise Redelivered(event_id)
        with store.transaction():
            if event_id and not store.events.first_time(event_id):
                raise Redelivered(event_id)
            user = _user_on(store, inp.user_id, user, channel)
            store.messages.add(inp.user_id, "in", inp.kind, masked=masked_in)
    else:
        _note_claimed(store, claimed, event_id)
        if user is None or user.channel != channel:
            with store.transaction():
                user = _user_on(store, inp.user_id, user, channel)
        store.messages.note_incoming(inp.user_id, inp.kind, masked_in)
    ctx = Context(store, services.config, services, user, conversation, inp.event_id)
    previous_state, previous_session = conversation.state, conversation.session
    previous_data = dict(conversation.data)
    previous_lang = user.lang
    try:
        outcome = services.dispatcher.route(ctx, inp)
        if conversation.timed_out and inp.kind in ("text", "postback") and outcome.messages:
            outcome.messages.insert(0, m.text(services.dispatcher.basics.timed_out_notice(ctx)))
            outcome.messages = outcome.messages[:5]
    except Exception:  # noqa: BLE001 - the citizen must always get an answer
        log.exception("handler failed for event %s (%s)", inp.event_id or "-", inp.kind)
        outcome = Outcome(services.dispatcher.basics.apology(ctx.lang))
        conversation.session = new_session_id()
    conversation.state = outcome.state
    conversation.data = outcome.data if outcome.state != IDLE else {}
    if previous_state != IDLE and outcome.state == IDLE and conversation.session == previous_session:
        # A finished flow: its buttons must not act any more.
        conversation.session = new_session_id()
    hide = services.dispatcher.private_texts(previous_data, outcome.data)
    masked_out = [(message.get("type", "text"),
                   store.messages.masked_text("out", message.get("type", "text"), m.plain_text(message), hide))
                  for message in outcome.messages]
    try:
        with store.transaction():
            store.conversations.save(conversation)
            for kind, masked in masked_out:
                store.messages.add(inp.user_id, "out", kind, masked=masked)
            if claimed is not None:
                store.inbound.answered(claimed, outcome.messages)
    except Exception:  # noqa: BLE001 - a locked or full disk must not stop the reply
        log.exception("could not save conversation for event %s", inp.event_id or "-")
    if inp.kind != "unfollow":
        services.sender.for_channel(channel).send(inp.user_id, inp.reply_token if reply_token_valid else None,
                                                  outcome.messages, once_key=event_id or None)
    if user.lang != previous_lang:
        # After the reply, so a slow or failing LINE call never delays or costs the answer.
        follow_language(services.line_for(channel), inp.user_id, user.lang)
    return outcome


def _note_claimed(store: Any, claimed: "Claimed", event_id: str) -> None:
    """An accepted event is unique by its id already (bot/store/inbound.py); two cases still stop it here.

    Claimed before and not answered (`attempts` > 1): a thread died or ran out its lease after claiming it,
    perhaps inside the handler, whose writes are kept; so it is not handled again (bot/inbound.py apologises).
    Its id recorded: it was handled on the spot once while the database refused the webhook's write.
    """
    if claimed.attempts > 1 or (event_id and store.events.seen(event_id)):
        raise Redelivered(event_id or str(claimed.id))


def _user_on(store: Any, user_id: str, user: Any, channel: str) -> Any:
    """The user, created on first sight, and marked with the channel (bot) the citizen wrote to."""
    if user is None:
        user = store.users.ensure(user_id)
    if user.channel != channel:
        # Later pushes (notices, reminders, staff replies) go out through the bot the citizen wrote to.
        store.users.update(user_id, channel=channel)
        user.channel = channel
    return user
