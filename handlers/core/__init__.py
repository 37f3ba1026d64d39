"""The welcome, the main menu, language, and polite answers to everything odd."""
from __future__ import annotations

import logging
from typing import Any

from bot import messages as m
from bot.context import Context, Input, Outcome, t
from bot.effects import RunCommand, needs_profile
from bot.postback import ident, takes
from bot.routes import Routes, words
from handlers.core import texts

log = logging.getLogger(__name__)

MENU_KEYS = ("menu.faq", "menu.booking", "menu.progress", "menu.feedback", "menu.info",
             "menu.my_bookings", "menu.home_visit", "menu.human", "menu.lang")


def menu_actions(lang: str) -> list[m.Action]:
    """The main menu as quick-reply buttons; each sends its own label as text."""
    return [m.message_action(t(texts, lang, key)) for key in MENU_KEYS]


def with_menu(ctx: Context, *lines: str) -> list[m.Message]:
    """Text messages with the main menu attached to the last one."""
    bodies = [line for line in lines if line] or [ctx.t(texts, "menu")]
    out = [m.text(body) for body in bodies[:-1]]
    out.append(m.text(bodies[-1], menu_actions(ctx.lang)))
    return out


def office(ctx: Context, which: Any = None) -> Any:
    """An office's details as answers give them (default: the citizen's office): its `info:` file, or for the
    deployment's first office office.yaml with what staff confirmed (store.office)."""
    own = ctx.own_office() if which is None else ctx.details_of(which)
    if own is not None:
        return own
    kb = ctx.knowledge
    return ctx.store.office.current(kb.office if kb is not None else None)


def menu_outcome(ctx: Context, *lines: str) -> Outcome:
    return Outcome(with_menu(ctx, *lines))


def show_menu(ctx: Context, inp: Input) -> Outcome:
    ctx.start_session()
    return menu_outcome(ctx, ctx.t(texts, "menu"))


def cancel(ctx: Context, inp: Input) -> Outcome:
    ctx.start_session()
    return menu_outcome(ctx, ctx.t(texts, "menu_again"), ctx.t(texts, "menu"))


@needs_profile
def follow(ctx: Context, inp: Input) -> Outcome:
    name = inp.profile_name
    ctx.store.users.update(inp.user_id, active=True, display_name=name or ctx.user.display_name)
    ctx.start_session()
    return menu_outcome(ctx, ctx.t(texts, "welcome", name=name))


def unfollow(ctx: Context, inp: Input) -> Outcome:
    ctx.store.users.update(inp.user_id, active=False)
    return Outcome([])


def set_language(ctx: Context, lang: str) -> Outcome:
    ctx.store.users.update(ctx.user.user_id, lang=lang)
    ctx.user.lang = lang
    return menu_outcome(ctx, ctx.t(texts, "lang_set"), ctx.t(texts, "menu"))


def to_english(ctx: Context, inp: Input) -> Outcome:
    return set_language(ctx, "en")


def to_chinese(ctx: Context, inp: Input) -> Outcome:
    return set_language(ctx, "zh")


@takes(session=False, k=ident())
def rich_menu(ctx: Context, inp: Input) -> Outcome:
    """A rich menu tile (a=richmenu&k=faq): the main-menu entry menu.<k>, from whatever state the citizen is in.

    It runs the very command the typed label (the quick-reply button) runs, so both stay one feature.
    """
    key = f"menu.{inp.data.get('k', '')}"
    if key not in MENU_KEYS:
        return unknown_postback(ctx, inp)
    if not ctx.is_menu_word(texts.ZH[key]):
        return unknown_postback(ctx, inp)
    return Outcome([], state=ctx.state, data=ctx.data, effects=(RunCommand(t(texts, ctx.lang, key)),))


def sticker(ctx: Context, inp: Input) -> Outcome:
    return menu_outcome(ctx, ctx.t(texts, "sticker"))


def media(ctx: Context, inp: Input) -> Outcome:
    return menu_outcome(ctx, ctx.t(texts, "media"))


def unsupported(ctx: Context, inp: Input) -> Outcome:
    return menu_outcome(ctx, ctx.t(texts, "unsupported"))


def empty_text(ctx: Context, inp: Input) -> Outcome:
    return menu_outcome(ctx, ctx.t(texts, "empty"))


def expired(ctx: Context, inp: Input) -> Outcome:
    """A button from an earlier conversation: explain, do nothing, keep the current state."""
    return Outcome(with_menu(ctx, ctx.t(texts, "expired")), ctx.state, ctx.data)


def unknown_postback(ctx: Context, inp: Input) -> Outcome:
    return Outcome(with_menu(ctx, ctx.t(texts, "unknown_postback")), ctx.state, ctx.data)


def timed_out_notice(ctx: Context) -> str:
    return ctx.t(texts, "timed_out")


def apology(lang: str) -> list[m.Message]:
    """What a citizen gets when a handler failed: a short apology with the menu."""
    return [m.text(t(texts, lang, "error"), menu_actions(lang))]


def not_ready(ctx: Context, inp: Input) -> Outcome:
    return menu_outcome(ctx, ctx.t(texts, "not_ready"))


ROUTES = Routes(
    interrupts={
        **words(texts, "menu.main", show_menu, extra=("選單", "menu", "main menu", "重新開始", "restart")),
        **words(texts, "menu.cancel", cancel, extra=("算了", "quit", "exit")),
    },
    commands={
        **words(texts, "menu.main", show_menu, extra=("開始", "start", "help", "幫助")),
        "english": to_english, "英文": to_english, "英語": to_english,
        "中文": to_chinese, "chinese": to_chinese, "華語": to_chinese,
    },
    postbacks={"richmenu": rich_menu},
)
