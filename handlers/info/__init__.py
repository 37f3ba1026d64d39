"""服務資訊: office hours, address, phone and a map: office.yaml with the details staff confirmed (store.office).

With several offices on one LINE channel (OFFICES_FILE) the citizen chooses theirs once, and may change it:
    服務資訊 ─(not chosen)─▶ [小港 | 前鎮 | …] (info.office v=<id>) ─▶ that office's card (+ 切換戶所)
A feature that needs the office first (查詢進度: case numbers are per office) asks the same question with
`choose_office(ctx, then=...)`, and its command runs again once the citizen chose.
"""
from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

from bot import messages as m
from bot.context import Context, Input, Outcome
from bot.effects import RunCommand
from bot.postback import choice, ident, takes
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


CHOOSE_ACTION = "info.office"


# What a citizen asked for before they were asked their office, resumed once they chose (postback `then`).
RESUME = {"progress": "menu.progress"}


def choose_office(ctx: Context, then: str = "") -> Outcome:
    """Which office? A button per office sharing the channel (its short name as the label); `then` names
    the menu command (a RESUME key) that runs once the citizen chose. When staff confirmed where the
    offices are, the citizen may instead share a location and get the nearest one."""
    resume = f"&then={then}" if then in RESUME else ""
    actions = [m.postback_action(_short(zh if ctx.lang == "zh" else en),
                                 f"a={CHOOSE_ACTION}&v={office_id}{resume}", zh if ctx.lang == "zh" else en)
               for office_id, zh, en in ctx.office_choices()]
    if any(_pin(ctx, office) for office in ctx.offices_sharing()):
        actions = [*actions[:12], m.location_action(ctx.t(texts, "send_location"))]
    return Outcome([m.text(ctx.t(texts, "choose"), actions[:13])])


def _pin(ctx: Context, office: Any) -> tuple[float, float] | None:
    details = core.office(ctx, office)
    if details is None or details.lat is None or details.lng is None:
        return None
    return float(details.lat), float(details.lng)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def nearest_office(ctx: Context, here: tuple[float, float]) -> tuple[Any, float] | None:
    """(office, km) of the nearest office sharing the channel whose place staff confirmed, or None."""
    placed = [(distance_km(here, pin), office) for office in ctx.offices_sharing() if (pin := _pin(ctx, office))]
    if not placed:
        return None
    km, office = min(placed, key=lambda pair: pair[0])
    return office, km


def located(ctx: Context, inp: Input) -> Outcome:
    """A shared location. On a channel several offices share, the nearest office whose place is known
    becomes the citizen's office (its card follows); otherwise a thank-you pointing to 服務資訊.
    The coordinates are used for this answer only and never stored."""
    try:
        here = (float(inp.params["latitude"]), float(inp.params["longitude"]))
    except (KeyError, ValueError):
        here = None
    found = nearest_office(ctx, here) if here is not None else None
    if found is None:
        return core.menu_outcome(ctx, ctx.t(texts, "location"))
    office, km = found
    _remember(ctx, office.id)
    card = start(ctx, inp)
    name = ctx.office_name(office)
    told = m.text(ctx.t(texts, "nearest", name=name, km=f"{km:.1f}"))
    return Outcome([told, *card.messages][:5])


def _remember(ctx: Context, office_id: str) -> None:
    """The citizen's office from now on (this answer included)."""
    ctx.store.users.update(ctx.user.user_id, office_id=office_id)
    ctx.user.office_id = office_id


def _short(name: str) -> str:
    """A button label of at most 20 characters: 高雄市小港戶政事務所 → 小港戶政事務所."""
    for prefix in ("高雄市", "Kaohsiung City "):
        name = name.removeprefix(prefix)
    name = name.replace(" Household Registration Office, Kaohsiung City", "").replace(", Kaohsiung City", "")
    return name[:20]


@takes(session=False, v=ident(), then=choice(*RESUME, required=False))
def chosen(ctx: Context, inp: Input) -> Outcome:
    """The citizen chose their office: remembered, and its details shown."""
    office_id = inp.data["v"]
    if office_id not in {choice[0] for choice in ctx.office_choices()}:
        return choose_office(ctx)  # an old button for an office no longer on this channel
    _remember(ctx, office_id)
    then = RESUME.get(inp.data.get("then", ""))
    if then:
        return Outcome([], effects=(RunCommand(ctx.t(core_texts, then)),))
    return start(ctx, inp)


def change(ctx: Context, inp: Input) -> Outcome:
    return choose_office(ctx) if ctx.office_choices() else start(ctx, inp)


def start(ctx: Context, inp: Input) -> Outcome:
    kb = ctx.knowledge
    if kb is None:
        return core.not_ready(ctx, inp)
    if ctx.office_choices() and ctx.office() is None:
        return choose_office(ctx)
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
    quick = core.menu_actions(lang)
    if ctx.office_choices():
        quick = [m.message_action(ctx.t(texts, "change"), ctx.t(texts, "change")), *quick][:13]
    return Outcome([*([pin] if pin else []), m.with_quick(card, quick)])


ROUTES = Routes(commands={**words(core_texts, "menu.info", start,
                                 extra=("服務時間", "上班時間", "地址", "電話", "office hours", "address")),
                          **words(texts, "change", change, extra=("換戶所", "切換戶政事務所", "change office"))},
                postbacks={CHOOSE_ACTION: chosen})
