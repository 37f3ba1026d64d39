"""The complaint mailbox: take the citizen's words, a category and contact, give a reference.

    意見反映 / 投訴… ─▶ complaint.write ──完成──▶ complaint.category ──▶ complaint.consent
        (several messages)                       (quick replies)         ├─ 同意 ─▶ name ─▶ phone ─▶ filed
                                                                         └─ 不提供 ───────────────────▶ filed
"""
from __future__ import annotations

import re
from typing import Any

from bot import messages as m
from bot.postback import choice, takes
from bot.context import Context, Input, Outcome
from bot.routes import Routes, command_key, leaving, words
from bot.store.inbox import COMPLAINT_CATEGORIES
from handlers import core
from handlers.inbox.common import ContactSteps, cancel_action, done_action, is_done, is_word, promise
from handlers.inbox.texts import complaint as texts
from handlers.core import texts as core_texts

WRITE, CATEGORY, CONSENT = "complaint.write", "complaint.category", "complaint.consent"
TRIGGER = re.compile(r"投訴|抱怨|申訴|陳情|客訴|complain", re.IGNORECASE)
TRIGGER_WORDS = ("投訴", "抱怨", "申訴", "陳情", "客訴", "complaint", "complain")
_FILLER = re.compile(r"我要|我想|想要|要|請問|可以|如何|怎麼|哪裡|在哪|嗎|一下|我|的|了|是", re.IGNORECASE)
MAX_PARTS = 20
MAX_CHARS = 5000


def category_label(lang: str, category: str) -> str:
    table = texts.EN if lang == "en" else texts.ZH
    return table.get(f"category.{category}", table["category.other"])


def start(ctx: Context, inp: Input) -> Outcome:
    """From the menu or a typed trigger: keep what the citizen already said if it says something."""
    ctx.start_session()
    first = inp.text.strip() if inp.kind == "text" else ""
    if first and _says_something(first):
        data = {"parts": [first[:MAX_CHARS]]}
        body = ctx.t(texts, "intro_with_text", text=first[:200])
        return Outcome([m.text(body, [done_action(ctx), cancel_action(ctx)])], WRITE, data)
    return Outcome([m.text(ctx.t(texts, "intro"), [cancel_action(ctx)])], WRITE, {"parts": []})


def _says_something(text: str) -> bool:
    """More than a bare trigger word ("我要投訴" says nothing yet; "櫃台態度很差" does)."""
    rest = TRIGGER.sub("", command_key(text))
    rest = _FILLER.sub("", rest)
    for word in (core_texts.ZH["menu.feedback"], core_texts.EN["menu.feedback"].lower(), "意見", "反映"):
        rest = rest.replace(command_key(word), "")
    return len(rest) >= 4


def on_write(ctx: Context, inp: Input) -> Outcome:
    parts: list[str] = list(ctx.data.get("parts", []))
    if is_done(inp.text):
        if not parts:
            return Outcome([m.text(ctx.t(texts, "need_text"), [cancel_action(ctx)])], WRITE, {"parts": parts})
        return ask_category(ctx, {"parts": parts})
    parts.append(inp.text.strip()[:MAX_CHARS])
    if len(parts) >= MAX_PARTS or sum(len(p) for p in parts) >= MAX_CHARS:
        outcome = ask_category(ctx, {"parts": parts})
        outcome.messages.insert(0, m.text(ctx.t(texts, "too_long")))
        return outcome
    body = ctx.t(texts, "got_part", count=len(parts))
    return Outcome([m.text(body, [done_action(ctx), cancel_action(ctx)])], WRITE, {"parts": parts})


def ask_category(ctx: Context, data: dict[str, Any], error: bool = False) -> Outcome:
    quick = [m.postback_action(category_label(ctx.lang, c), ctx.postback("complaint.category", c=c),
                               category_label(ctx.lang, c)) for c in COMPLAINT_CATEGORIES]
    body = ctx.t(texts, "bad_category" if error else "ask_category")
    return Outcome([m.text(body, [*quick, cancel_action(ctx)])], CATEGORY, data)


def _category_typed(lang: str, text: str) -> str | None:
    for c in COMPLAINT_CATEGORIES:
        if is_word(text, texts.ZH[f"category.{c}"], texts.EN[f"category.{c}"]):
            return c
    return None


def on_category_text(ctx: Context, inp: Input) -> Outcome:
    category = _category_typed(ctx.lang, inp.text)
    if category is None:
        return ask_category(ctx, dict(ctx.data), error=True)
    return ask_consent(ctx, {**ctx.data, "category": category})


@takes(session=True, c=choice(*COMPLAINT_CATEGORIES))
def on_category_tap(ctx: Context, inp: Input) -> Outcome:
    category = inp.data.get("c", "")
    if ctx.state != CATEGORY or category not in COMPLAINT_CATEGORIES:
        return core.expired(ctx, inp)
    return ask_consent(ctx, {**ctx.data, "category": category})


def ask_consent(ctx: Context, data: dict[str, Any]) -> Outcome:
    yes, no = ctx.t(texts, "btn.consent_yes"), ctx.t(texts, "btn.consent_no")
    quick = [m.postback_action(yes, ctx.postback("complaint.consent", v="yes"), yes),
             m.postback_action(no, ctx.postback("complaint.consent", v="no"), no), cancel_action(ctx)]
    return Outcome([m.text(ctx.t(texts, "ask_consent"), quick)], CONSENT, data)


@takes(session=True, v=choice("yes", "no"))
def on_consent_tap(ctx: Context, inp: Input) -> Outcome:
    if ctx.state != CONSENT:
        return core.expired(ctx, inp)
    return _consent(ctx, inp.data.get("v") == "yes")


def on_consent_text(ctx: Context, inp: Input) -> Outcome:
    if is_word(inp.text, texts.ZH["btn.consent_yes"], texts.EN["btn.consent_yes"], "同意", "好", "yes", "可以"):
        return _consent(ctx, True)
    if is_word(inp.text, texts.ZH["btn.consent_no"], texts.EN["btn.consent_no"], "不同意", "匿名", "no", "不要"):
        return _consent(ctx, False)
    return ask_consent(ctx, dict(ctx.data))


def _consent(ctx: Context, agreed: bool) -> Outcome:
    if agreed:
        return CONTACT.start(ctx, {**ctx.data, "consent": True})
    return file_complaint(ctx, {**ctx.data, "consent": False})


def file_complaint(ctx: Context, data: dict[str, Any]) -> Outcome:
    """The complaint becomes a thread in the staff inbox; the citizen gets its reference."""
    category = data.get("category", "other")
    thread = ctx.store.inbox.open_thread(
        "complaint", ctx.user.user_id, data.get("parts", []), category=category,
        contact_name=data.get("contact_name", "") if data.get("consent") else "",
        contact_phone=data.get("contact_phone", "") if data.get("consent") else "",
        details={"consent": bool(data.get("consent"))}, lang=ctx.lang,
    )
    lines = [ctx.t(texts, "filed", ref=thread.ref, category=category_label(ctx.lang, category),
                   promise=promise(ctx, thread))]
    if not data.get("consent"):
        lines.append(ctx.t(texts, "filed_anonymous_note"))
    return core.menu_outcome(ctx, "\n".join(lines))


CONTACT = ContactSteps("complaint", file_complaint)

def _nothing_written_yet(ctx: Context) -> bool:
    """Once a complaint has a first part, a menu word typed is more of its text."""
    return not ctx.data.get("parts")


ROUTES = Routes(
    commands=words(core_texts, "menu.feedback", start, extra=("意見", "feedback", *TRIGGER_WORDS)),
    states={WRITE: on_write, CATEGORY: on_category_text, CONSENT: on_consent_text, **CONTACT.states()},
    leave_on_command={WRITE: _nothing_written_yet, **leaving(CATEGORY, CONSENT), **CONTACT.leave_on_command()},
    postbacks={"complaint.category": on_category_tap, "complaint.consent": on_consent_tap, **CONTACT.postbacks()},
    triggers=((TRIGGER, start),),
)
