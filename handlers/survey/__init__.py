"""Satisfaction survey: a 1-5 rating and an optional comment after a closed thread or a visit.

The invitation is pushed through the outbox (invite_after_thread / invite_after_visit, called by the
staff web); its rating buttons are global postbacks naming the survey, so they work days later.
    [5 非常滿意 … 1 非常不滿意] ─▶ survey.comment (typed comment, or 不用了) ─▶ thanks
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import messages as m
from bot.postback import integer, takes
from bot.context import Context, Input, Outcome, t
from bot.routes import FlowState, Routes, leaving
from bot.store import Store
from handlers.inbox.store import Thread
from handlers import core
from handlers.inbox.common import is_word
from handlers.survey import texts


class State(FlowState):
    COMMENT = "survey.comment"


COMMENT, = State
RATE_ACTION = "survey.rate"
RATINGS = (5, 4, 3, 2, 1)


def invitation(lang: str, survey_id: int, intro: str) -> list[dict[str, Any]]:
    """The question with five rating buttons (5 first: the usual answer is one tap away)."""
    quick = [m.postback_action(t(texts, lang, f"rate.{r}"), f"a={RATE_ACTION}&v={survey_id}&r={r}",
                               t(texts, lang, f"rate.{r}")) for r in RATINGS]
    return [m.text(intro, quick)]


def invite(store: Store, user_id: str, source: str, source_id: str | int, intro_key: str, lang: str,
           due: datetime | None = None, office_id: str = "", **values: Any) -> int | None:
    """Create the survey and queue its invitation; None when this thread or visit was already asked."""
    with store.transaction():
        survey_id = store.surveys.invite(source, source_id, user_id, office_id)
        if survey_id is None:
            return None
        messages = invitation(lang, survey_id, t(texts, lang, intro_key, **values))
        return store.outbox.enqueue(user_id, messages, due=due, kind="survey",
                                    dedupe_key=f"survey:{source}:{source_id}", ref=f"survey:{source}:{source_id}")


def invite_after_thread(store: Store, thread: Thread) -> int | None:
    """A closed thread: tell the citizen and ask for a rating."""
    return invite(store, thread.user_id, "thread", thread.id, "invite.thread", thread.lang,
                  office_id=thread.office_id, ref=thread.ref)


def invite_after_visit(store: Store, user_id: str, booking_id: str | int, due: datetime | None = None,
                       office_id: str = "") -> int | None:
    """An attended appointment: ask for a rating."""
    user = store.users.get(user_id)
    lang = user.lang if user and user.lang in ("zh", "en") else "zh"
    return invite(store, user_id, "booking", booking_id, "invite.booking", lang, due=due, office_id=office_id)


@takes(session=False, v=integer(1, 2**53), r=integer(1, 5))
def rate(ctx: Context, inp: Input) -> Outcome:
    try:
        survey_id, rating = int(inp.data.get("v", "")), int(inp.data.get("r", ""))
    except ValueError:
        return core.unknown_postback(ctx, inp)
    result = ctx.store.surveys.rate(survey_id, ctx.user.user_id, rating)
    if result == "already":
        return core.menu_outcome(ctx, ctx.t(texts, "already"))
    if result != "ok":
        return core.menu_outcome(ctx, ctx.t(texts, "unknown"))
    ctx.start_session()
    body = ctx.t(texts, "ask_comment_low" if rating <= 2 else "ask_comment")
    return Outcome([m.text(body, [m.message_action(ctx.t(texts, "btn.skip"))])], COMMENT, {"survey": survey_id})


def on_comment(ctx: Context, inp: Input) -> Outcome:
    if is_word(inp.text, texts.ZH["btn.skip"], texts.EN["btn.skip"], "不用", "沒有", "no", "skip"):
        return core.menu_outcome(ctx, ctx.t(texts, "thanks_short"))
    ctx.store.surveys.add_comment(int(ctx.data.get("survey", 0)), ctx.user.user_id, inp.text)
    return core.menu_outcome(ctx, ctx.t(texts, "thanks"))


ROUTES = Routes(postbacks={RATE_ACTION: rate}, states={COMMENT: on_comment}, leave_on_command=leaving(COMMENT),
                flow_states=(State,))
