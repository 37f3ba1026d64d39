"""Steps shared by the flows that hand a citizen to staff (complaint, home visit, 找真人).

ContactSteps asks for a name and a phone inside any flow (or offers the ones saved last time) and
then calls the flow's finish(ctx, data). promise() says when staff will answer, in working days.
"""
from __future__ import annotations

from typing import Any, Callable

from bot import messages as m
from bot.postback import takes
from bot.contact import normalise_name, normalise_phone
from bot.context import Context, Input, Outcome
from bot.masking import mask_phone
from bot.routes import command_key
from handlers.inbox.store import Thread
from bot.workdays import closing_time, format_day
from handlers import core
from handlers.inbox.texts import common as texts

Finish = Callable[[Context, dict[str, Any]], Outcome]

def is_word(text: str, *labels: str) -> bool:
    """The citizen typed (or tapped) one of these words."""
    key = command_key(text)
    return any(key == command_key(label) for label in labels)


def done_labels() -> tuple[str, ...]:
    return (texts.ZH["btn.done"], texts.EN["btn.done"], "好了", "結束", "ok", "完畢")


def is_done(text: str) -> bool:
    return is_word(text, *done_labels())


def cancel_action(ctx: Context) -> m.Action:
    return m.message_action(ctx.t(texts, "btn.cancel"))


def done_action(ctx: Context) -> m.Action:
    return m.message_action(ctx.t(texts, "btn.done"))


def promise(ctx: Context, thread: Thread) -> str:
    """When the citizen can expect an answer for this thread, in working days and a date."""
    local = thread.due.astimezone(ctx.store.clock.tz)
    key = "promise.home_visit" if thread.kind == "home_visit" else "promise"
    days = ctx.store.inbox.due_days.get(thread.kind, 1)
    return ctx.t(texts, key, days=days, day=format_day(local.date(), ctx.lang),
                 time=closing_time(ctx.config).strftime("%H:%M"))


def kind_label(lang: str, kind: str) -> str:
    table = texts.EN if lang == "en" else texts.ZH
    return table.get(f"kind.{kind}", kind)


class ContactSteps:
    """A name, then a phone, inside a flow whose states start with `prefix`; then finish(ctx, data)."""

    def __init__(self, prefix: str, finish: Finish) -> None:
        self.finish = finish
        self.name_state = f"{prefix}.contact_name"
        self.phone_state = f"{prefix}.contact_phone"
        self.saved_action = f"{prefix}.contact_saved"
        self.new_action = f"{prefix}.contact_new"

    def start(self, ctx: Context, data: dict[str, Any]) -> Outcome:
        """Offer the saved contact details, or ask for a name."""
        user = ctx.user
        if user.contact_name and normalise_phone(user.contact_phone):
            body = ctx.t(texts, "use_saved", name=user.contact_name, phone=mask_phone(user.contact_phone))
            quick = [m.postback_action(ctx.t(texts, "btn.use_saved"), ctx.postback(self.saved_action),
                                       ctx.t(texts, "btn.use_saved")),
                     m.postback_action(ctx.t(texts, "btn.new_contact"), ctx.postback(self.new_action),
                                       ctx.t(texts, "btn.new_contact")),
                     cancel_action(ctx)]
            return Outcome([m.text(body, quick)], self.name_state, data)
        return self._ask_name(ctx, data)

    def _ask_name(self, ctx: Context, data: dict[str, Any], error: bool = False) -> Outcome:
        body = ctx.t(texts, "bad_name" if error else "ask_name")
        return Outcome([m.text(body, [cancel_action(ctx)])], self.name_state, data)

    def states(self) -> dict[str, Callable[[Context, Input], Outcome]]:
        return {self.name_state: self.on_name, self.phone_state: self.on_phone}

    def leave_on_command(self) -> dict[str, None]:
        """A menu word typed for the name leaves the flow (a phone number never is one)."""
        return {self.name_state: None}

    def postbacks(self) -> dict[str, Callable[[Context, Input], Outcome]]:
        return {self.saved_action: self.use_saved, self.new_action: self.type_new}

    def on_name(self, ctx: Context, inp: Input) -> Outcome:
        name = normalise_name(inp.text)
        if name is None:
            return self._ask_name(ctx, dict(ctx.data), error=True)
        data = {**ctx.data, "contact_name": name}
        return Outcome([m.text(ctx.t(texts, "ask_phone"), [cancel_action(ctx)])], self.phone_state, data)

    def on_phone(self, ctx: Context, inp: Input) -> Outcome:
        phone = normalise_phone(inp.text)
        if phone is None:
            return Outcome([m.text(ctx.t(texts, "bad_phone"), [cancel_action(ctx)])], self.phone_state, dict(ctx.data))
        data = {**ctx.data, "contact_phone": phone}
        ctx.store.users.update(ctx.user.user_id, contact_name=data.get("contact_name", ""), contact_phone=phone)
        return self.finish(ctx, data)

    @takes(session=True)
    def use_saved(self, ctx: Context, inp: Input) -> Outcome:
        if ctx.state != self.name_state:
            return core.expired(ctx, inp)
        data = {**ctx.data, "contact_name": ctx.user.contact_name, "contact_phone": ctx.user.contact_phone}
        return self.finish(ctx, data)

    @takes(session=True)
    def type_new(self, ctx: Context, inp: Input) -> Outcome:
        return self._ask_name(ctx, dict(ctx.data))
