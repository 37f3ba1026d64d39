"""Case progress lookups and the opt-in to be told when documents are ready."""
from __future__ import annotations

from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts


def start(ctx: Context, inp: Input) -> Outcome:
    return core.not_ready(ctx, inp)

ROUTES = Routes(commands=words(core_texts, "menu.progress", start, extra=("進度", "查進度", "progress")))
