"""An FAQ answer as a flex card for the phone: title, the answer in short lines, documents, a 詳細說明 button.

Sizes follow the Messaging API's limits, counted in UTF-16 code units as LINE counts them.
Colours keep at least 4.5:1 contrast (WCAG AA) for every text on its background.
"""
from __future__ import annotations

import re
from typing import Any

from bot import messages as m
from bot import palette
from bot.context import t
from handlers.faq import texts

MAX_ALT_TEXT = 400
MAX_URI = 1000
MAX_LINES = 12            # a card longer than a phone screen stops being a card
# Contrast figures in bot/palette.py: white on the header and button 7.9:1, body text 16.3:1, muted 8.9:1.
HEADER_BG = palette.DARK_GREEN
HEADER_FG = palette.WHITE
BODY_FG = palette.INK
MUTED_FG = palette.MUTED
BUTTON_BG = palette.DARK_GREEN
# Break after a sentence end (。！？ or ". ") so one line holds one fact.
_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+")


def utf16_len(text: str) -> int:
    """Return the length LINE counts: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def cut(text: str, limit: int) -> str:
    """Return text cut to limit UTF-16 units, ending in … when something was cut."""
    if utf16_len(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + "…"


def short_lines(answer: str) -> list[str]:
    """Split an answer into one line per sentence, blank lines dropped."""
    lines = []
    for paragraph in answer.splitlines():
        lines += [s.strip() for s in _SENTENCE_END.split(paragraph) if s and s.strip()]
    return lines


def _text(body: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": cut(body, 2000) or " ", "wrap": True, "size": "sm", "color": BODY_FG,
            **style}


def answer_card(entry: Any, lang: str) -> m.Message:
    """The flex message for one entry's answer."""
    title = entry.question(lang)
    lines = short_lines(entry.answer(lang))[:MAX_LINES]
    body: list[dict[str, Any]] = [_text(line) for line in lines]
    documents = entry.documents(lang)
    if documents:
        body.append({"type": "separator", "margin": "md"})
        body.append(_text(t(texts, lang, "documents"), weight="bold", margin="md"))
        body += [_text(f"• {d}", margin="xs") for d in documents]
    if entry.referral:
        body.append(_text(t(texts, lang, "referral", agency=entry.referral), color=MUTED_FG, margin="md"))
    card: dict[str, Any] = {
        "type": "bubble",
        "size": "mega",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": HEADER_BG, "paddingAll": "md",
                   "contents": [{"type": "text", "text": cut(title, 200), "weight": "bold", "size": "md",
                                 "color": HEADER_FG, "wrap": True}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
    }
    if entry.source.startswith("https://") and utf16_len(entry.source) <= MAX_URI:
        button = {"type": "button", "style": "primary", "color": BUTTON_BG, "height": "sm",
                  "action": {"type": "uri", "label": cut(t(texts, lang, "details_button"), m.MAX_LABEL),
                             "uri": entry.source}}
        card["footer"] = {"type": "box", "layout": "vertical", "contents": [button]}
    alt = cut(f"{title}\n{entry.answer(lang).strip()}", MAX_ALT_TEXT)
    return {"type": "flex", "altText": alt, "contents": card}
