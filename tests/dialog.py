"""dialog(): a conversation run against the dispatcher and the store, without HTTP, LINE or the sender.

    dialog(services, [("查詢進度", "案件編號"), ("常見問題", "常見問題")])

Each turn is what the citizen types (or a postback: {"a": "booking.day", ...}) and a piece of text the
answer must contain (or a callable given the Outcome). The conversation state is kept in the store
exactly as the pipeline keeps it, so turns follow on; the Outcomes are returned for closer looks.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Union
from urllib.parse import urlencode

from bot.context import Context, Input, Outcome
from bot.store.core import IDLE, new_session_id
from tests.helpers import all_text

Said = Union[str, dict[str, str]]
Expected = Union[str, Callable[[Outcome], Any], None]

USER = "U" + "d1" * 16


def _input(ctx: Context, user_id: str, said: Said) -> Input:
    if isinstance(said, str):
        return Input("text", user_id, text=said)
    data = {"s": ctx.conversation.session, **said} if "s" not in said and said.get("session", True) else dict(said)
    data.pop("session", None)
    return Input("postback", user_id, action=data.get("a", ""), data={k: str(v) for k, v in data.items()},
                 text=urlencode(data))


def turn(services: Any, said: Said, user_id: str = USER) -> Outcome:
    """One turn: route the input, then keep the state as the pipeline does."""
    store = services.store
    user = store.users.ensure(user_id)
    conversation = store.conversations.load(user_id)
    ctx = Context(store, services.config, services, user, conversation)
    previous_state, previous_session = conversation.state, conversation.session
    outcome = services.dispatcher.route(ctx, _input(ctx, user_id, said))
    conversation.state = outcome.state
    conversation.data = outcome.data if outcome.state != IDLE else {}
    if previous_state != IDLE and outcome.state == IDLE and conversation.session == previous_session:
        conversation.session = new_session_id()
    store.conversations.save(conversation)
    return outcome


def dialog(services: Any, turns: Iterable[tuple[Said, Expected]], user_id: str = USER) -> list[Outcome]:
    """Run the turns in order; each answer must contain its expected text (or pass its check)."""
    outcomes = []
    for number, (said, expected) in enumerate(turns, 1):
        outcome = turn(services, said, user_id)
        text = all_text(outcome.messages)
        if callable(expected):
            assert expected(outcome), f"turn {number} ({said!r}): {text!r}"
        elif expected is not None:
            assert expected in text, f"turn {number} ({said!r}): expected {expected!r} in {text!r}"
        outcomes.append(outcome)
    return outcomes
