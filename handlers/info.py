"""服務資訊: office hours, address, phone and a map."""
from __future__ import annotations

from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts


def start(ctx: Context, inp: Input) -> Outcome:
    return core.not_ready(ctx, inp)

ROUTES = Routes(commands=words(core_texts, "menu.info", start, extra=("服務時間", "地址", "電話", "office hours")))
