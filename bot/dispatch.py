"""The dispatch table: which handler answers an input, given the conversation's state."""
from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any, Iterable

from bot.context import Context, Handler, Input, Outcome
from bot.effects import RunCommand, wants_profile
from bot.feature import Basics, Feature, the_one
from bot.postback import BadPostback, declaration
from bot.routes import command_key
from bot.store.core import IDLE

log = logging.getLogger(__name__)

_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_WORDS = re.compile(r"^[A-Za-z][A-Za-z'.-]*(\s+[A-Za-z][A-Za-z'.-]*)+$")


def written_language(text: str) -> str | None:
    """The language a typed menu word is written in: a phrase of English words, or Chinese; None if unsure."""
    text = text.strip()
    if _ENGLISH_WORDS.match(text):
        return "en"
    if len(_CJK.findall(text)) >= 2:
        return "zh"
    return None


def _merge(tables: Iterable[dict[str, Any]], what: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for table in tables:
        for key, handler in table.items():
            if key in merged and merged[key] is not handler:
                raise ValueError(f"two features claim the {what} {key!r}")
            merged[key] = handler
    return merged


class Dispatcher:
    """Routes an input: interrupts, the current state, commands, claims, triggers, then the FAQ."""

    def __init__(self, features: Iterable[Feature]) -> None:
        features = tuple(features)
        routes = [flow for f in features for flow in f.flows]
        self.events = _merge((f.events for f in features), "event")
        self.basics: Basics = the_one(features, "basics")
        fallback: Handler = the_one(features, "free_text")
        self.interrupts = _merge((r.interrupts for r in routes), "interrupt")
        self.commands = _merge((r.commands for r in routes), "command")
        self.postbacks = _merge((r.postbacks for r in routes), "postback action")
        self.states = _merge((r.states for r in routes), "state")
        self.leave_on_command = _merge((r.leave_on_command for r in routes), "leaving state")
        self.leave_guards = _merge((r.leave_guards for r in routes), "guarded state")
        self.claims = [claim for r in routes for claim in r.claims]
        self.triggers = [trigger for r in routes for trigger in r.triggers]
        self.fallback = fallback
        undeclared = sorted(a for a, h in self.postbacks.items() if declaration(h) is None)
        if undeclared:
            raise ValueError(f"postback actions without @takes(...): {undeclared}")
        self.private_states = frozenset().union(*(r.private_states for r in routes))
        self.private_data = tuple(dict.fromkeys(key for r in routes for key in r.private_data))

    def private_texts(self, *datas: dict) -> list[str]:
        """The personal texts (addresses ...) held in conversation data, to hide from the message log."""
        return [str(d[key]) for d in datas for key in self.private_data if d.get(key)]

    def route(self, ctx: Context, inp: Input) -> Outcome:
        held = self._held_after_time_out(ctx, inp)
        if held is not None:
            return held
        outcome = self._route(ctx, inp)
        run = next((e for e in outcome.effects if isinstance(e, RunCommand)), None)
        if run is None:
            return outcome
        handler = self.menu_command(run.text)
        # The follow-up starts where the first answer left the conversation (as the pipeline would).
        ctx.conversation.state, ctx.conversation.data = outcome.state, dict(outcome.data)
        typed = dataclasses.replace(inp, kind="text", text=run.text, action="", data={})
        if handler is None:
            again = self._text(ctx, typed)  # not a menu word: the words the citizen typed, answered now
        else:
            again = self._leave(ctx, typed, handler)
        # Followed once: a command's own RunCommand is dropped (no loop between two handlers). What the
        # first handler said comes first ("your feedback was sent", then the command's answer).
        again.effects = tuple(e for e in again.effects if not isinstance(e, RunCommand))
        again.messages = [*outcome.messages, *again.messages][-5:]
        return again

    def menu_command(self, text: str) -> Handler | None:
        """What a menu word (a command, or 取消 / 主選單 / 找真人 from any state) runs, if it is one."""
        key = command_key(text)
        return self.interrupts.get(key) or self.commands.get(key)

    @staticmethod
    def _follow_language(ctx: Context, text: str) -> None:
        """A menu word typed in the other language ("Talk to staff") switches the answers to it."""
        written = written_language(text)
        if written is not None and written != ctx.lang:
            ctx.store.users.update(ctx.user.user_id, lang=written)
            ctx.user.lang = written

    def _held_after_time_out(self, ctx: Context, inp: Input) -> Outcome | None:
        """A timed-out flow whose guard still holds something (a complaint's text) asks before it goes."""
        conversation = ctx.conversation
        guard = self.leave_guards.get(conversation.expired_state)
        if not conversation.timed_out or guard is None or inp.kind not in ("text", "postback"):
            return None
        conversation.state, conversation.data = conversation.expired_state, dict(conversation.expired_data)
        text = inp.text if inp.kind == "text" else ""
        held = guard(ctx, dataclasses.replace(inp, text=text))
        if held is None:
            conversation.state, conversation.data = IDLE, {}
        return held

    def _leave(self, ctx: Context, inp: Input, handler: Handler) -> Outcome:
        """Leave the current state for `handler`, unless the state's guard answers first."""
        guard = self.leave_guards.get(ctx.state)
        held = guard(ctx, inp) if guard is not None else None
        return held if held is not None else handler(ctx, inp)

    def _route(self, ctx: Context, inp: Input) -> Outcome:
        if inp.kind == "postback":
            return self._postback(ctx, inp)
        if inp.kind != "text":
            return self._call(self.events.get(inp.kind, self.basics.unsupported), ctx, inp)
        return self._text(ctx, inp)

    @staticmethod
    def _call(handler: Handler, ctx: Context, inp: Input) -> Outcome:
        if wants_profile(handler):
            name = ctx.services.line_for(ctx.user.channel).display_name(inp.user_id) or ""
            inp = dataclasses.replace(inp, profile_name=name)
        return handler(ctx, inp)

    def _text(self, ctx: Context, inp: Input) -> Outcome:
        key = command_key(inp.text)
        if not key:
            return self.basics.empty_text(ctx, inp)
        if key in self.interrupts or key in self.commands:
            self._follow_language(ctx, inp.text)
        if key in self.interrupts:
            return self._leave(ctx, inp, self.interrupts[key])
        if ctx.state != IDLE and ctx.state in self.states:
            if key in self.commands and self._leaves(ctx):
                command = self.commands[key]

                def leave_for_it(ctx: Context, inp: Input) -> Outcome:
                    ctx.start_session()  # a menu word typed mid-flow: leave the flow for it
                    return command(ctx, inp)

                return self._leave(ctx, inp, leave_for_it)
            return self.states[ctx.state](ctx, inp)
        if key in self.commands:
            return self.commands[key](ctx, inp)
        for claim in self.claims:
            outcome = claim(ctx, inp)
            if outcome is not None:
                return outcome
        for pattern, handler in self.triggers:
            if pattern.search(inp.text):
                return handler(ctx, inp)
        return self.fallback(ctx, inp)

    def _leaves(self, ctx: Context) -> bool:
        if ctx.state not in self.leave_on_command:
            return False
        when = self.leave_on_command[ctx.state]
        return when is None or when(ctx)

    def _postback(self, ctx: Context, inp: Input) -> Outcome:
        session = inp.data.get("s")
        if session is not None and session != ctx.conversation.session:
            return self.basics.expired(ctx, inp)
        handler = self.postbacks.get(inp.action)
        if handler is None:
            return self.basics.unknown_postback(ctx, inp)
        takes = declaration(handler)
        try:
            data = takes.parse(inp.data, inp.params)
        except BadPostback as exc:
            log.info("postback %s refused for event %s: %s", inp.action, inp.event_id or "-", exc)
            return self.basics.expired(ctx, inp)
        return handler(ctx, dataclasses.replace(inp, data=data))
