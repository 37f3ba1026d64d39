"""服務資訊: office hours, address, phone and a map: office.yaml with the details staff confirmed (store.office)."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bot import messages as m
from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.core import texts as core_texts
from handlers.info import texts

FIELDS = ("address", "phone", "hours", "parking", "transport", "second_offices")


def map_url(office: Any) -> str:
    """A map link: the confirmed pin, else a search by name (a wrong pin would mislead; the name finds the place)."""
    if office.lat is None or office.lng is None:
        return "https://www.google.com/maps/search/?api=1&query=" + quote(office.name_zh)
    return f"https://www.google.com/maps/search/?api=1&query={office.lat},{office.lng}"


def location_message(office: Any, lang: str) -> m.Message | None:
    """LINE's location message for the office, once staff confirmed its coordinates."""
    if office.lat is None or office.lng is None:
        return None
    return m.location(office.get("name", lang), office.get("address", lang), office.lat, office.lng)


def start(ctx: Context, inp: Input) -> Outcome:
    kb = ctx.knowledge
    if kb is None:
        return core.not_ready(ctx, inp)
    office = core.office(ctx)
    lang = ctx.lang
    lines = [ctx.t(texts, key, value=office.get(key, lang)) for key in FIELDS if office.get(key, lang)]
    if office.hotlines:
        numbers = "、".join(f"{h.number} {h.name_en if lang == 'en' else h.name_zh}" for h in office.hotlines)
        lines.append(ctx.t(texts, "hotlines", value=numbers))
    actions = [m.uri_action(ctx.t(texts, "map"), map_url(office)),
               m.uri_action(ctx.t(texts, "website"), office.website)]
    card = m.flex(ctx.t(texts, "alt"), m.bubble(office.get("name", lang), lines, actions, subtitle=ctx.t(texts, "title")))
    pin = location_message(office, lang)
    return Outcome([*([pin] if pin else []), m.with_quick(card, core.menu_actions(lang))])


ROUTES = Routes(commands=words(core_texts, "menu.info", start,
                               extra=("服務時間", "上班時間", "地址", "電話", "office hours", "address")))
