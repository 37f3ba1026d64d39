"""找真人: forward the question and recent conversation to the staff inbox; citizens writing back to staff.

    找真人 (any state) ─▶ a recent question?  yes ─▶ thread filed ─▶ handoff.more (補充, until 完成)
                                              no  ─▶ handoff.ask ─▶ thread filed ─▶ handoff.more
    staff answer (push) ─[回覆承辦同仁]─▶ handoff.write_back ─▶ into the thread ─▶ handoff.more
    staff wait for the citizen (status "waiting"): the citizen's next free text goes into that thread.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot import messages as m
from bot.postback import integer, takes
from bot.clock import iso
from bot.context import Context, Input, Outcome, t
from bot.masking import mask
from bot.routes import FlowState, Routes, command_key, leaving, words
from handlers.inbox.store import Thread
from handlers import core
from handlers.inbox.common import cancel_action, done_action, is_done, promise
from handlers.core import texts as core_texts
from handlers.inbox.texts import handoff as texts
from handlers.inbox.texts import common as common_texts


class State(FlowState):
    ASK = "handoff.ask"
    MORE = "handoff.more"
    WRITE_BACK = "handoff.write_back"  # a reply to staff, after 回覆承辦 on their answer


ASK, MORE, WRITE_BACK = State
WRITE_ACTION = "handoff.write"
HUMAN_WORDS = ("真人", "客服", "專人", "人工客服", "真人客服", "轉真人", "human", "staff", "agent")
HUMAN = re.compile(r"找真人|真人客服|轉真人|人工客服|找專人|轉接專人|talk to (a )?(human|person|staff)", re.IGNORECASE)
QUESTION_WINDOW = timedelta(minutes=30)
WAITING_DAYS = 14


def start(ctx: Context, inp: Input) -> Outcome:
    """The citizen asks for a person: forward the question they just asked, or ask for it."""
    ctx.start_session()
    question = _question_in(inp.text) if inp.kind == "text" else None
    question = question or recent_question(ctx)
    existing = ctx.store.inbox.open_thread_of(ctx.user.user_id, kind="question")
    if existing is not None and existing.status in ("new", "assigned"):
        already = {msg.text for msg in ctx.store.inbox.messages(existing.id, include_notes=False)}
        if question and mask(question.strip()) not in already:
            existing = ctx.store.inbox.add_citizen_message(existing.id, question)
        body = ctx.t(texts, "already_open", ref=existing.ref, promise=promise(ctx, existing))
        return _more(ctx, existing, body)
    if question:
        return file_question(ctx, question)
    return Outcome([m.text(ctx.t(texts, "ask_question"), [cancel_action(ctx)])], ASK, {})


def _question_in(text: str) -> str | None:
    """The question inside "找真人，我想問…" (None when the text is only the request)."""
    rest = HUMAN.sub("", text).strip(" ，,。.!！?？:：")
    for word in HUMAN_WORDS:
        if command_key(rest) == command_key(word):
            return None
    return rest if len(command_key(rest)) >= 4 else None


def recent_question(ctx: Context) -> str | None:
    """The question the citizen asked just before asking for a person, or None (then we ask for it).

    Only the message right before the request counts, and only when the FAQ took it as a question:
    a name typed in a booking, a complaint's text or a menu word from some other flow is never
    forwarded. The same rule holds however 找真人 was reached (typed, a menu button, a rich-menu tile).
    """
    since = iso(ctx.now - QUESTION_WINDOW)
    said = [e for e in ctx.store.messages.recent(ctx.user.user_id, limit=12) if e["direction"] == "in"]
    if said and _is_request(said[-1]):
        said = said[:-1]  # the request itself (logged before it is routed)
    if not said:
        return None
    before = said[-1]
    if before["kind"] != "text" or before["created_at"] < since or ctx.is_menu_word(before["text"]):
        return None
    question = ctx.store.faq.last_question(ctx.user.user_id, since)
    return before["text"] if question is not None and question == before["text"][:500] else None


def _is_request(entry: dict) -> bool:
    """The logged message that asked for a person: 找真人 typed, or a button or tile that sent it."""
    if entry["kind"] != "text":
        return True
    return bool(HUMAN.search(entry["text"])) and not _question_in(entry["text"]) or command_key(entry["text"]) in REQUEST


def file_question(ctx: Context, question: str) -> Outcome:
    """A new question thread with the recent conversation as context."""
    context = ctx.store.messages.recent(ctx.user.user_id, limit=12)
    thread = ctx.store.inbox.open_thread("question", ctx.user.user_id, [question], context=context, lang=ctx.lang,
                                         office_id=ctx.office_id)
    body = ctx.t(texts, "forwarded", ref=thread.ref, promise=promise(ctx, thread))
    return _more(ctx, thread, body)


def _more(ctx: Context, thread: Thread, body: str) -> Outcome:
    """Further texts go into the thread until 完成 (or the conversation times out)."""
    return Outcome([m.text(body, [done_action(ctx), m.message_action(ctx.t(common_texts, "btn.menu"))])],
                   MORE, {"thread": thread.id})


def on_ask(ctx: Context, inp: Input) -> Outcome:
    if is_done(inp.text) or len(command_key(inp.text)) < 2:
        return Outcome([m.text(ctx.t(texts, "need_question"), [cancel_action(ctx)])], ASK, {})
    return file_question(ctx, inp.text)


def on_more(ctx: Context, inp: Input) -> Outcome:
    thread = ctx.store.inbox.get(int(ctx.data.get("thread", 0)))
    if thread is None or thread.user_id != ctx.user.user_id:
        return core.menu_outcome(ctx, ctx.t(texts, "write_back.unknown"))
    if is_done(inp.text):
        return core.menu_outcome(ctx, ctx.t(texts, "done"))
    thread = ctx.store.inbox.add_citizen_message(thread.id, inp.text)
    return _more(ctx, thread, ctx.t(texts, "added", ref=thread.ref))


# --- citizens writing back to staff ----------------------------------------------------------
@takes(session=False, t=integer(1, 2**53))
def write_back(ctx: Context, inp: Input) -> Outcome:
    """The 回覆承辦同仁 button under a staff answer."""
    thread = _own_thread(ctx, inp.data.get("t", ""))
    if thread is None:
        return core.menu_outcome(ctx, ctx.t(texts, "write_back.unknown"))
    ctx.start_session()
    return Outcome([m.text(ctx.t(texts, "write_back.ask", ref=thread.ref), [cancel_action(ctx)])],
                   WRITE_BACK, {"thread": thread.id})


def on_write_back(ctx: Context, inp: Input) -> Outcome:
    thread = ctx.store.inbox.get(int(ctx.data.get("thread", 0)))
    if thread is None or thread.user_id != ctx.user.user_id:
        return core.menu_outcome(ctx, ctx.t(texts, "write_back.unknown"))
    thread = ctx.store.inbox.add_citizen_message(thread.id, inp.text)
    return _more(ctx, thread, ctx.t(texts, "write_back.sent", ref=thread.ref))


def answer_to_staff(ctx: Context, inp: Input) -> Outcome | None:
    """Free text while staff wait for this citizen goes into that thread; None lets routing go on."""
    thread = ctx.store.inbox.waiting_thread(ctx.user.user_id)
    if thread is None or (thread.staff_at or "") < iso(ctx.now - timedelta(days=WAITING_DAYS)):
        return None
    thread = ctx.store.inbox.add_citizen_message(thread.id, inp.text)
    ctx.start_session()
    return _more(ctx, thread, ctx.t(texts, "write_back.sent", ref=thread.ref))


def _own_thread(ctx: Context, raw_id: str) -> Thread | None:
    try:
        thread = ctx.store.inbox.get(int(raw_id))
    except (TypeError, ValueError):
        return None
    return thread if thread is not None and thread.user_id == ctx.user.user_id else None


# --- what staff answers look like on LINE (built here, queued by the staff web) ---------------
def staff_reply_messages(thread: Thread, text: str, lang: str, wait_for_citizen: bool) -> list[dict[str, Any]]:
    """A staff answer as the citizen sees it, with a button to write back into the same thread."""
    footer = t(texts, lang, "reply.footer_wait" if wait_for_citizen else "reply.footer")
    body = f"{t(texts, lang, 'reply.header', ref=thread.ref)}\n{text.strip()}\n\n{footer}"
    label = t(texts, lang, "btn.write_back")
    quick = [m.postback_action(label, f"a={WRITE_ACTION}&t={thread.id}", label),
             m.message_action(t(core_texts, lang, "menu.main"))]
    return [m.text(body, quick)]


# 找真人 and its synonyms, from any state: the words that asked for a person.
REQUEST = words(core_texts, "menu.human", start, extra=HUMAN_WORDS)

ROUTES = Routes(
    interrupts=REQUEST,
    states={ASK: on_ask, MORE: on_more, WRITE_BACK: on_write_back},
    leave_on_command=leaving(ASK, MORE),
    flow_states=(State,),
    postbacks={WRITE_ACTION: write_back},
    claims=(answer_to_staff,),
    triggers=((HUMAN, start),),
)
