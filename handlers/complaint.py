"""The complaint mailbox: take the citizen's words, a category and contact, give a reference."""
from __future__ import annotations

from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts


def start(ctx: Context, inp: Input) -> Outcome:
    return core.not_ready(ctx, inp)

ROUTES = Routes(commands=words(core_texts, "menu.feedback", start, extra=("意見", "feedback", "complaint")))
