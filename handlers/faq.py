"""Answers typed questions from the knowledge base."""
from __future__ import annotations

from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts


def start(ctx: Context, inp: Input) -> Outcome:
    return core.not_ready(ctx, inp)

def answer_free_text(ctx: Context, inp: Input) -> Outcome:
    """Free text the bot has no command for; until the FAQ matcher is wired, the menu (no fake answers)."""
    return core.show_menu(ctx, inp)


ROUTES = Routes(commands=words(core_texts, "menu.faq", start, extra=("faq", "問題")))
