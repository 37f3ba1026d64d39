"""The home-visit confirmation card: the applicant (whom staff phone) apart from the person to be served."""
from __future__ import annotations

from bot import palette

from typing import Any

from bot import messages as m
from bot.context import t
from bot.masking import mask
from handlers.inbox.texts import home_visit as texts

HEADER_BG = palette.DARK_GREEN  # white on it is 7.9:1
LABEL_FG = palette.MUTED
BODY_FG = palette.INK


def _row(label: str, value: str) -> dict[str, Any]:
    return {"type": "box", "layout": "baseline", "spacing": "sm", "contents": [
        {"type": "text", "text": label, "size": "sm", "color": LABEL_FG, "flex": 2, "wrap": True},
        {"type": "text", "text": m.utf16_cut(value or "—", 300, "…"), "size": "sm", "color": BODY_FG, "flex": 4,
         "wrap": True}]}


def _section(heading: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "text", "text": heading, "weight": "bold", "size": "md", "color": BODY_FG, "margin": "lg"}, *rows]


def _label(lang: str, key: str) -> str:
    return (texts.EN if lang == "en" else texts.ZH).get(key, key)


def confirmation_card(lang: str, data: dict[str, Any], submit: m.Action, cancel: m.Action) -> m.Message:
    """A flex bubble of the request; the phone masked as booking shows it (bot.masking.mask)."""
    def say(key: str) -> str:
        return t(texts, lang, key)

    served = data.get("served") or say("card.served_self")
    body = [
        *_section(say("card.applicant"), [_row(say("card.name"), data.get("contact_name", "")),
                                           _row(say("card.phone"), mask(data.get("contact_phone", "")))]),
        {"type": "separator", "margin": "lg"},
        *_section(say("card.served"), [
            _row(say("card.name"), served),
            _row(say("card.situation"), _label(lang, f"eligibility.{data.get('eligibility')}")),
            _row(say("card.address"), data.get("address", "")),
        ]),
        {"type": "separator", "margin": "lg"},
        *_section(say("card.request"), [_row(say("card.service"), data.get("service", "")),
                                         _row(say("card.times"), data.get("times", ""))]),
        {"type": "text", "text": say("card.note"), "size": "xs", "color": LABEL_FG, "wrap": True, "margin": "lg"},
    ]
    bubble = {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": HEADER_BG, "contents": [
            {"type": "text", "text": say("card.title"), "weight": "bold", "size": "lg", "color": palette.WHITE, "wrap": True},
            {"type": "text", "text": say("card.subtitle"), "size": "sm", "color": palette.WHITE, "wrap": True}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
        "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
            {"type": "button", "style": "primary", "color": HEADER_BG, "height": "sm", "action": submit},
            {"type": "button", "style": "secondary", "height": "sm", "action": cancel}]},
    }
    return m.flex(say("card.alt"), bubble)
