"""找真人: forward the question and recent conversation to the staff inbox."""
from __future__ import annotations

from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts


def start(ctx: Context, inp: Input) -> Outcome:
    return core.not_ready(ctx, inp)

ROUTES = Routes(interrupts=words(core_texts, "menu.human", start, extra=("真人", "客服", "專人", "human", "staff", "agent")))
