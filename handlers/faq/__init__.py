"""Answers typed questions from the knowledge base: an answer, a did-you-mean list, or an honest fallback."""
from __future__ import annotations

import logging
from typing import Any, Callable

from bot import messages as m
from bot.postback import choice, ident, integer, takes
from bot.context import Context, Input, Outcome, t
from bot.routes import Routes, words
from handlers import core
from handlers.faq.card import answer_card
from handlers.core import texts as core_texts
from handlers.faq import texts

log = logging.getLogger(__name__)

# Builds postback data for (action, params); the handler uses Context.global_postback, the CLI a plain one.
Postback = Callable[..., str]
MIN_WORDS_TO_SWITCH_LANGUAGE = 4
# Quick replies an answer may spend on other questions; staff and menu always fit after them.
MAX_TOPIC_BUTTONS = m.MAX_QUICK_REPLIES - 2


def answer_text(entry: Any, lang: str, offered: tuple[Any, ...] = ()) -> str:
    """The words of an FAQ answer: the answer, the documents checklist, the agency, the official source."""
    parts = [entry.answer(lang).strip()]
    documents = entry.documents(lang)
    if documents:
        parts.append(t(texts, lang, "documents") + "\n" + "\n".join(f"• {d}" for d in documents))
    if entry.referral:
        parts.append(t(texts, lang, "referral", agency=entry.referral))
    if entry.source:
        parts.append(t(texts, lang, "source", url=entry.source))
    if offered:
        parts.append(t(texts, lang, "see_also") + "\n" + "\n".join(f"・{e.question(lang)}" for e in offered))
    return "\n\n".join(parts)


def answer_messages(kb: Any, entry: Any, lang: str, postback: Postback, offered: tuple[Any, ...] = (),
                    rich: bool = True, office: Any = None, office_id: str = "") -> list[m.Message]:
    """An answer (a flex card, or plain text for `ask`) with quick replies.

    offered comes first among the buttons: the second question of the message, then close
    siblings ("照片規定" next to "換發"); then 👍/👎, related questions, staff and the menu.
    office: the office's details as staff confirmed them (store.office.current), for answers naming them;
    office_id: the citizen's office (an OFFICES_FILE id), whose own answer an entry may carry.
    """
    if office is not None:
        entry = entry.with_office(office, office_id)
    quick: list[m.Action] = []
    shown = {entry.id}
    for other in offered:
        if other.id not in shown:
            quick.append(_question_button(other, lang, postback))
            shown.add(other.id)
    quick += [m.postback_action(t(texts, lang, "helpful"), postback("faq.feedback", id=entry.id, v="up"),
                                display_text=t(texts, lang, "helpful")),
              m.postback_action(t(texts, lang, "not_helpful"), postback("faq.feedback", id=entry.id, v="down"),
                                display_text=t(texts, lang, "not_helpful"))]
    for related_id in entry.related:
        related = kb.get(related_id)
        if related is not None and related.id not in shown and len(quick) < MAX_TOPIC_BUTTONS:
            quick.append(_question_button(related, lang, postback))
            shown.add(related.id)
    quick += [m.message_action(t(core_texts, lang, "menu.human")), m.message_action(t(core_texts, lang, "menu.main"))]
    if rich:
        return [m.with_quick(answer_card(entry, lang), quick)]
    return [m.text(answer_text(entry, lang, offered), quick)]


def did_you_mean_messages(candidates: list[Any], lang: str, postback: Postback) -> list[m.Message]:
    quick = [_question_button(entry, lang, postback) for entry in candidates[:4]]
    quick.append(m.message_action(t(core_texts, lang, "menu.human")))
    return [m.text(t(texts, lang, "did_you_mean") + "\n" + "\n".join(f"・{e.question(lang)}" for e in candidates[:4]),
                   quick)]


def fallback_messages(lang: str) -> list[m.Message]:
    quick = [m.message_action(t(core_texts, lang, key)) for key in ("menu.human", "menu.faq", "menu.main")]
    return [m.text(t(texts, lang, "fallback"), quick)]


def _question_button(entry: Any, lang: str, postback: Postback) -> m.Action:
    # The short label fits LINE's 20-unit limit whole; the tap still shows the full question.
    question = entry.question(lang)
    return m.postback_action(_label(entry, lang), postback("faq.show", id=entry.id), display_text=question)


def _label(entry: Any, lang: str) -> str:
    """The entry's short button label (kb check keeps every one whole and within LINE's 20 units)."""
    return entry.label(lang)


def reply_for(kb: Any, result: Any, lang: str, postback: Postback, rich: bool = True,
              office: Any = None, office_id: str = "") -> list[m.Message]:
    """The messages for one match result: a card on the phone, plain text (rich=False) for `python -m bot ask`."""
    if result.kind == "answer":
        offered = tuple(e for e in (result.follow_up, *result.siblings) if e is not None)
        return answer_messages(kb, result.entry, lang, postback, offered, rich, office, office_id)
    if result.kind == "ambiguous":
        return did_you_mean_messages([entry for entry, _ in result.candidates], lang, postback)
    if result.kind == "smalltalk":
        return [m.text(result.smalltalk_answer or "", core.menu_actions(lang))]
    return fallback_messages(lang)


def answer_free_text(ctx: Context, inp: Input) -> Outcome:
    """Free text with no command: match it against the knowledge base."""
    matcher = ctx.matcher()
    if matcher is None:
        return core.show_menu(ctx, inp)
    result = matcher.match(inp.text)
    lang = _language_for(ctx, inp.text, result.lang)
    entry_id = result.entry.id if result.entry is not None else None
    ctx.store.faq.log_question(inp.user_id, inp.text, result.kind, entry_id, result.score, lang, ctx.office_id)
    return Outcome(reply_for(ctx.knowledge, result, lang, ctx.global_postback, office=core.office(ctx),
                             office_id=_office_key(ctx)))


def _language_for(ctx: Context, text: str, written: str) -> str:
    """Answer in the language the citizen wrote; a real sentence in the other language switches for good."""
    if written != ctx.lang and len(text.split()) + sum(1 for ch in text if ord(ch) > 0x2E80) >= MIN_WORDS_TO_SWITCH_LANGUAGE:
        ctx.store.users.update(ctx.user.user_id, lang=written)
        ctx.user.lang = written
    return written


@takes(session=False, id=ident())
def show_entry(ctx: Context, inp: Input) -> Outcome:
    """A question tapped in a list (did-you-mean, related, a category)."""
    entry = ctx.knowledge.get(inp.data.get("id", "")) if ctx.knowledge else None
    if entry is None:
        return core.menu_outcome(ctx, ctx.t(texts, "gone"))
    ctx.store.faq.log_question(inp.user_id, entry.question(ctx.lang), "choice", entry.id, 100.0, ctx.lang,
                               ctx.office_id)
    return Outcome(answer_messages(ctx.knowledge, entry, ctx.lang, ctx.global_postback,
                                   office=core.office(ctx), office_id=_office_key(ctx)))


def _office_key(ctx: Context) -> str:
    """The OFFICES_FILE id of the citizen's office ("" with one office), which entries' own answers name."""
    return getattr(ctx.office(), "id", "")


@takes(session=False, id=ident(), v=choice("up", "down"))
def feedback(ctx: Context, inp: Input) -> Outcome:
    entry_id = inp.data.get("id", "")
    helpful = inp.data.get("v") == "up"
    if entry_id:
        ctx.store.faq.feedback(inp.user_id, entry_id, helpful)
    if helpful:
        return core.menu_outcome(ctx, ctx.t(texts, "thanks_feedback"))
    quick = [m.message_action(ctx.t(core_texts, "menu.human")), *core.menu_actions(ctx.lang)]
    return Outcome([m.text(ctx.t(texts, "sorry_feedback"), quick)])


@takes(session=False, page=integer(0, 99, required=False))
def categories(ctx: Context, inp: Input) -> Outcome:
    """常見問題: the topics as quick replies."""
    kb = ctx.knowledge
    if kb is None:
        return core.not_ready(ctx, inp)
    quick = [m.postback_action(c.title(ctx.lang), ctx.global_postback("faq.category", id=c.id),
                               display_text=c.title(ctx.lang)) for c in kb.categories]
    page = int(inp.data.get("page", "0") or 0) if inp.kind == "postback" else 0
    per_page = 12
    shown = quick[page * per_page:(page + 1) * per_page]
    if len(quick) > (page + 1) * per_page:
        shown.append(m.postback_action(ctx.t(texts, "more"), ctx.global_postback("faq.categories", page=page + 1),
                                       display_text=ctx.t(texts, "more")))
    return Outcome([m.text(ctx.t(texts, "categories"), shown)])


@takes(session=False, id=ident())
def category(ctx: Context, inp: Input) -> Outcome:
    kb = ctx.knowledge
    try:
        chosen = kb.category(inp.data.get("id", ""))
    except (KeyError, AttributeError):
        return core.menu_outcome(ctx, ctx.t(texts, "gone"))
    entries = kb.entries_in(chosen.id)
    lines = [f"・{e.question(ctx.lang)}" for e in entries]
    quick = [_question_button(e, ctx.lang, ctx.global_postback) for e in entries[:12]]
    quick.append(m.message_action(ctx.t(core_texts, "menu.main")))
    return Outcome([m.text(ctx.t(texts, "category_questions", title=chosen.title(ctx.lang)) + "\n" + "\n".join(lines),
                           quick)])


ROUTES = Routes(
    commands=words(core_texts, "menu.faq", categories, extra=("faq", "常見問答", "問題集")),
    postbacks={"faq.show": show_entry, "faq.feedback": feedback, "faq.category": category,
               "faq.categories": categories},
)
