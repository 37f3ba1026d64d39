"""Counter appointments: book, list, reschedule and cancel by taps."""
from __future__ import annotations

from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts


def start(ctx: Context, inp: Input) -> Outcome:
    return core.not_ready(ctx, inp)

ROUTES = Routes(
    commands={
        **words(core_texts, "menu.booking", start, extra=("預約", "booking", "book")),
        **words(core_texts, "menu.my_bookings", start, extra=("my booking",)),
    }
)
