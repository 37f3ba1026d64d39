"""服務資訊: office hours, address, phone and a map, from the office's one config file (knowledge/office.yaml)."""
from __future__ import annotations

from urllib.parse import quote

from bot import messages as m
from bot.context import Context, Input, Outcome
from bot.routes import Routes, words
from handlers import core
from handlers.texts import core as core_texts
from handlers.texts import info as texts

FIELDS = ("address", "phone", "hours", "parking", "transport", "second_offices")


def start(ctx: Context, inp: Input) -> Outcome:
    kb = ctx.services.knowledge
    if kb is None:
        return core.not_ready(ctx, inp)
    office = kb.office
    lang = ctx.lang
    lines = [ctx.t(texts, key, value=office.get(key, lang)) for key in FIELDS if office.get(key, lang)]
    if office.hotlines:
        numbers = "、".join(f"{h.number} {h.name_en if lang == 'en' else h.name_zh}" for h in office.hotlines)
        lines.append(ctx.t(texts, "hotlines", value=numbers))
    # Without confirmed coordinates a wrong pin would mislead; a map search by name finds the real place.
    map_url = ("https://www.google.com/maps/search/?api=1&query=" + quote(office.name_zh)
               if office.lat is None or office.lng is None
               else f"https://www.google.com/maps/search/?api=1&query={office.lat},{office.lng}")
    actions = [m.uri_action(ctx.t(texts, "map"), map_url), m.uri_action(ctx.t(texts, "website"), office.website)]
    card = m.flex(ctx.t(texts, "alt"), m.bubble(office.get("name", lang), lines, actions, subtitle=ctx.t(texts, "title")))
    out = [m.with_quick(card, core.menu_actions(lang))]
    if office.lat is not None and office.lng is not None:
        out.insert(0, m.location(office.get("name", lang), office.get("address", lang), office.lat, office.lng))
    return Outcome(out)


ROUTES = Routes(commands=words(core_texts, "menu.info", start,
                               extra=("服務時間", "上班時間", "地址", "電話", "office hours", "address")))
