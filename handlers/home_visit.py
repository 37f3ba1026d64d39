"""行動戶政所: home and hospital visit requests for those who cannot come in."""
from __future__ import annotations

from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts


def start(ctx: Context, inp: Input) -> Outcome:
    return core.not_ready(ctx, inp)

ROUTES = Routes(commands=words(core_texts, "menu.home_visit", start, extra=("到府服務", "home visit")))
