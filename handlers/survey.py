"""Satisfaction survey: a 1-5 rating and an optional comment after a closed thread or a visit."""
from __future__ import annotations

from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts


def start(ctx: Context, inp: Input) -> Outcome:
    return core.not_ready(ctx, inp)

ROUTES = Routes()
