"""Route tables: how each feature says which words, buttons and states it answers."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable, Iterable

from bot.context import Context, Handler, Input, Outcome

# Looks at free text first and answers it, or returns None to let routing go on.
Claim = Callable[[Context, Input], "Outcome | None"]

_SPACE_PUNCT = re.compile(r"[\s\u200b-\u200f\u2060\ufeff!！?？。.,，、~～]+")


def command_key(text: str) -> str:
    """How typed words are compared with commands: width, case, spaces and end punctuation ignored."""
    return _SPACE_PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()


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


def leaving(*states: str) -> dict[str, Callable[[Context], bool] | None]:
    """leave_on_command for states a menu word always leaves."""
    return {state: None for state in states}
