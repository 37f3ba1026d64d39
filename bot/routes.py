"""Route tables: how each feature says which words, buttons and states it answers."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from types import ModuleType
from typing import Callable, Iterable

from bot.command_key import command_key
from bot.context import Context, Handler, Input, Outcome

__all__ = ["Claim", "FlowState", "Routes", "command_key", "leaving", "words"]

# Looks at free text first and answers it, or returns None to let routing go on.
Claim = Callable[[Context, Input], "Outcome | None"]

class FlowState(StrEnum):
    """A flow's named states. The values are what the store keeps ("booking.date"), so renaming a member
    never strands a conversation in progress; Routes and Outcome turn members into those plain strings."""


def words(catalog: ModuleType, key: str, handler: Handler, extra: Iterable[str] = ()) -> dict[str, Handler]:
    """A command answered under its zh-TW and English labels (as the menu buttons send them) and synonyms."""
    labels = [catalog.ZH[key], catalog.EN.get(key, catalog.ZH[key]), *extra]
    return {command_key(label): handler for label in labels}


@dataclass(frozen=True)
class Routes:
    """One feature's entries in the dispatch table."""

    # Exact words that start something when the citizen is not in the middle of a flow.
    commands: dict[str, Handler] = field(default_factory=dict)
    # Exact words that work from any state (取消, 主選單, 找真人).
    interrupts: dict[str, Handler] = field(default_factory=dict)
    # Postback action name -> handler.
    postbacks: dict[str, Handler] = field(default_factory=dict)
    # Conversation state -> handler for what the citizen types while in it.
    states: dict[str, Handler] = field(default_factory=dict)
    # Free text a feature may take before triggers and the FAQ (a reply staff are waiting for).
    claims: tuple[Claim, ...] = ()
    # Phrases found inside free text (e.g. 投訴) -> handler, tried before the FAQ.
    triggers: tuple[tuple[re.Pattern[str], Handler], ...] = ()
    # States whose typed text is personal (a home address, the digits of a second factor): the message
    # log keeps a placeholder instead of the text.
    private_states: frozenset[str] = frozenset()
    # Conversation-data keys holding such text: hidden where the bot's own replies echo it into the log.
    private_data: tuple[str, ...] = ()
    # States a menu word (any command: 常見問題, 預約臨櫃 ... as the rich menu sends them) leaves for that
    # command, in a new session; the dispatcher applies this once for every flow. A value, when given,
    # says whether it does so now (a complaint's text: only before its first part).
    leave_on_command: dict[str, Callable[[Context], bool] | None] = field(default_factory=dict)
    # States a citizen should not leave without being asked (a complaint with text written): before a
    # menu word, 取消 / 主選單 / 找真人 or a rich-menu tile leaves one, the guard may answer instead
    # (e.g. "send what you wrote, or discard it?"); None lets the citizen go.
    leave_guards: dict[str, Claim] = field(default_factory=dict)
    # The flow's named states (FlowState enums): each must have a handler in `states`.
    flow_states: tuple[type[FlowState], ...] = ()

    def __post_init__(self) -> None:
        # Enum members hash by name, the store's strings by value: key the tables by the plain strings.
        for name in ("states", "leave_on_command", "leave_guards"):
            object.__setattr__(self, name, {str(k): v for k, v in getattr(self, name).items()})
        object.__setattr__(self, "private_states", frozenset(str(s) for s in self.private_states))
        unhandled = [str(s) for enum in self.flow_states for s in enum if str(s) not in self.states]
        if unhandled:
            raise ValueError(f"states without a handler: {unhandled}")


def leaving(*states: str) -> dict[str, Callable[[Context], bool] | None]:
    """leave_on_command for states a menu word always leaves."""
    return {str(state): None for state in states}
