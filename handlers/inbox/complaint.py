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
from bot.effects import RunCommand
from bot.routes import FlowState, Routes, command_key, leaving, words
from handlers.inbox.store import COMPLAINT_CATEGORIES
from handlers import core
from handlers.inbox.common import ContactSteps, cancel_action, done_action, is_done, is_word, promise
from handlers.inbox.texts import complaint as texts
from handlers.core import texts as core_texts


class State(FlowState):
    WRITE = "complaint.write"
    CATEGORY = "complaint.category"
    CONSENT = "complaint.consent"
    LEAVING = "complaint.leaving"  # asked whether to send or discard what was written


WRITE, CATEGORY, CONSENT, LEAVING = State
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


_CONSENT_YES = ("同意", "好", "好的", "可以", "是", "願意", "沒問題", "yes", "ok", "okay", "sure", "agree", "y")
_CONSENT_NO = ("不同意", "匿名", "不要", "不用", "不願意", "否", "不", "no", "n", "no thanks", "decline")


def on_consent_text(ctx: Context, inp: Input) -> Outcome:
    if is_word(inp.text, texts.ZH["btn.consent_yes"], texts.EN["btn.consent_yes"], *_CONSENT_YES):
        return _consent(ctx, True)
    if is_word(inp.text, texts.ZH["btn.consent_no"], texts.EN["btn.consent_no"], *_CONSENT_NO):
        return _consent(ctx, False)
    # Asked again in other words each time, saying which buttons to tap (never the same text twice).
    tries = int(ctx.data.get("consent_tries", 0)) + 1
    outcome = ask_consent(ctx, {**ctx.data, "consent_tries": tries})
    outcome.messages[0]["text"] = ctx.t(texts, f"reask_consent.{2 - tries % 2}")
    return outcome


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
        details={"consent": bool(data.get("consent"))}, lang=ctx.lang, office_id=ctx.office_id,
    )
    lines = [ctx.t(texts, "filed", ref=thread.ref, category=category_label(ctx.lang, category),
                   promise=promise(ctx, thread))]
    if not data.get("consent"):
        lines.append(ctx.t(texts, "filed_anonymous_note"))
    return core.menu_outcome(ctx, "\n".join(lines))


CONTACT = ContactSteps("complaint", file_complaint)


def hold_before_leaving(ctx: Context, inp: Input) -> Outcome | None:
    """Leaving with text written: ask to send or discard it, then do what the citizen asked for."""
    parts = ctx.data.get("parts") or []
    if not parts:
        return None
    return _ask_leave(ctx, {**ctx.data, "then": inp.text}, "leave.ask")


def _ask_leave(ctx: Context, data: dict[str, Any], key: str) -> Outcome:
    send, discard = ctx.t(texts, "btn.leave_send"), ctx.t(texts, "btn.leave_discard")
    quick = [m.postback_action(send, ctx.postback("complaint.leave", v="send"), send),
             m.postback_action(discard, ctx.postback("complaint.leave", v="discard"), discard)]
    return Outcome([m.text(ctx.t(texts, key, count=len(data.get("parts", []))), quick)], LEAVING, data)


def _left(ctx: Context, send: bool) -> Outcome:
    data = dict(ctx.data)
    then = data.pop("then", "")
    if send:
        outcome = file_complaint(ctx, data)
    else:
        outcome = Outcome([m.text(ctx.t(texts, "discarded"))])
    outcome.messages = [{k: v for k, v in msg.items() if k != "quickReply"} for msg in outcome.messages]
    return Outcome(outcome.messages, effects=(RunCommand(then),) if then else ())


@takes(session=True, v=choice("send", "discard"))
def on_leave_tap(ctx: Context, inp: Input) -> Outcome:
    if ctx.state != LEAVING:
        return core.expired(ctx, inp)
    return _left(ctx, inp.data.get("v") == "send")


def on_leave_text(ctx: Context, inp: Input) -> Outcome:
    if is_word(inp.text, texts.ZH["btn.leave_send"], texts.EN["btn.leave_send"], "送出", "send", "寄出"):
        return _left(ctx, True)
    if is_word(inp.text, texts.ZH["btn.leave_discard"], texts.EN["btn.leave_discard"], "不要", "刪除", "discard"):
        return _left(ctx, False)
    return _ask_leave(ctx, dict(ctx.data), "leave.again")


def _nothing_written_yet(ctx: Context) -> bool:
    """Once a complaint has a first part, a menu word typed is more of its text."""
    return not ctx.data.get("parts")


ROUTES = Routes(
    commands=words(core_texts, "menu.feedback", start, extra=("意見", "feedback", *TRIGGER_WORDS)),
    states={WRITE: on_write, CATEGORY: on_category_text, CONSENT: on_consent_text, LEAVING: on_leave_text,
            **CONTACT.states()},
    leave_on_command={WRITE: _nothing_written_yet, **leaving(CATEGORY, CONSENT), **CONTACT.leave_on_command()},
    leave_guards={state: hold_before_leaving for state in (WRITE, CATEGORY, CONSENT, *CONTACT.states())},
    postbacks={"complaint.category": on_category_tap, "complaint.consent": on_consent_tap,
               "complaint.leave": on_leave_tap, **CONTACT.postbacks()},
    flow_states=(State,),
    triggers=((TRIGGER, start),),
)
