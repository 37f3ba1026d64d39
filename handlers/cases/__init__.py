"""Case progress lookups and the opt-in to be told when documents are ready.

查詢進度 -> case number -> last 4 digits of the phone -> status card (+ 「可領件時通知我」).
An unknown case and wrong digits get the same answer, and the digits are asked for again with the
case number kept, until a limit is reached: per LINE user, per case across all users (the citizen
is asked to call the office; staff see the lock on the case page) and for the whole service
(bot/store/case_lookups.py). The digits typed are never logged and never reach the FAQ.
"""
from __future__ import annotations

import re
import unicodedata
from bot import messages as m
from bot.postback import ident, takes
from bot.context import Context, Input, Outcome
from bot.routes import FlowState, Routes, command_key, leaving, words
from bot.store.core import IDLE
from handlers.cases.lookups import LookupBlock
from handlers import info
from handlers.cases.store import FINAL_STATUSES, Case, Cases, normalize_case_no, status_label, valid_case_no
from handlers import core
from handlers.core import texts as core_texts
from handlers.cases import texts
from handlers.cases.notices import pickup_actions, status_card


class State(FlowState):
    ASK_CASE = "progress.ask_case"
    ASK_PHONE = "progress.ask_phone"


ASK_CASE, ASK_PHONE = State
MAX_FORMAT_TRIES = 3


def cases_of(ctx: Context) -> Cases:
    """The cases of the citizen's office: a case number names a case within its office."""
    return ctx.store.cases.for_office(ctx.office_id)


def start(ctx: Context, inp: Input) -> Outcome:
    """Ask for the case number (unless lookups are locked for this user); on a channel several offices
    share, first which office (its case numbers are its own)."""
    if ctx.office_choices() and ctx.office() is None:
        return info.choose_office(ctx, then="progress")
    ctx.start_session()
    block = cases_of(ctx).lookup_block(ctx.user.user_id)
    if block:
        return _blocked(ctx, block)
    return Outcome([m.text(ctx.t(texts, "ask_case"), _flow_buttons(ctx))], ASK_CASE)


def got_case_no(ctx: Context, inp: Input) -> Outcome:
    case_no = normalize_case_no(inp.text)
    if not valid_case_no(case_no):
        return _retry(ctx, "bad_case", ASK_CASE)
    block = cases_of(ctx).lookup_block(ctx.user.user_id, case_no)
    if block:
        return _blocked(ctx, block)
    return Outcome([m.text(ctx.t(texts, "ask_phone"), _flow_buttons(ctx))], ASK_PHONE, {"case_no": case_no})


def got_phone(ctx: Context, inp: Input) -> Outcome:
    last4 = _last4(inp.text)
    if last4 is None:
        return _retry(ctx, "bad_phone", ASK_PHONE)
    cases, user_id = cases_of(ctx), ctx.user.user_id
    case_no = str(ctx.data.get("case_no", ""))
    block = cases.lookup_block(user_id, case_no)
    if block:
        return _blocked(ctx, block)
    case = cases.lookup(case_no, last4)
    if case is None:
        block = cases.record_lookup(user_id, case_no, ok=False)
        if block:
            return _blocked(ctx, block)
        # Forgiving: ask for the digits again, keeping the case number, so the next try is not an FAQ question.
        again = m.message_action(ctx.t(texts, "again"), ctx.t(core_texts, "menu.progress"))
        return Outcome([m.text(ctx.t(texts, "not_found"), [again, *_flow_buttons(ctx)])], ASK_PHONE,
                       {"case_no": case_no})
    cases.record_lookup(user_id, case.case_no, ok=True)
    return Outcome([_card(ctx, case)])


def bare_digits(ctx: Context, inp: Input) -> Outcome | None:
    """Four digits typed outside the lookup (it timed out or was locked): a second factor, not a question."""
    typed = unicodedata.normalize("NFKC", inp.text or "")
    if ctx.state != IDLE or not re.fullmatch(r"[\d\s().-]*", typed) or len(_digits(typed)) != 4:
        return None
    again = m.message_action(ctx.t(texts, "again"), ctx.t(core_texts, "menu.progress"))
    return Outcome([m.text(ctx.t(texts, "digits_alone"), [again, *core.menu_actions(ctx.lang)])])


@takes(session=False, case=ident())
def follow(ctx: Context, inp: Input) -> Outcome:
    """「可領件時通知我」: link this user to the case they looked up."""
    case = _verified_case(ctx, inp)
    if case is None:
        return _side_answer(ctx, ctx.t(texts, "not_verified"))
    if case.status in FINAL_STATUSES:
        return _side_answer(ctx, ctx.t(texts, "closed", case_no=case.case_no,
                                       status=status_label(case.status, ctx.lang)))
    key = "followed" if cases_of(ctx).follow(case.case_no, ctx.user.user_id) else "already_following"
    if case.status == "ready":  # following a ready case means pickup reminders, so say that
        key = "followed_ready" if key == "followed" else "already_following_ready"
    stop = m.postback_action(ctx.t(texts, "stop"), ctx.global_postback("progress.unfollow", case=case.case_no))
    return _side_answer(ctx, ctx.t(texts, key, case_no=case.case_no), stop)


@takes(session=False, case=ident())
def unfollow(ctx: Context, inp: Input) -> Outcome:
    case_no = normalize_case_no(inp.data.get("case", ""))
    key = "unfollowed" if cases_of(ctx).unfollow(case_no, ctx.user.user_id) else "not_following"
    return _side_answer(ctx, ctx.t(texts, key, case_no=case_no))


# --- helpers ------------------------------------------------------------------------------------
def _card(ctx: Context, case: Case) -> m.Message:
    """The status card with only the next actions that make sense for the status."""
    lang, following = ctx.lang, cases_of(ctx).is_following(case.case_no, ctx.user.user_id)
    office = core.office(ctx) if case.status in ("ready", "need_documents") else None
    actions: list[m.Action] = []
    if case.status == "ready":
        # Documents wait at the counter: the way there and the hours, not an offer to be told "ready".
        actions += pickup_actions(case, lang, office, following)
        if not following:
            actions.append(m.postback_action(ctx.t(texts, "offer_reminder"),
                                             ctx.global_postback("progress.follow", case=case.case_no),
                                             display_text=ctx.t(texts, "offer_reminder")))
    elif case.status not in FINAL_STATUSES:
        if following:
            actions.append(m.postback_action(ctx.t(texts, "stop"),
                                             ctx.global_postback("progress.unfollow", case=case.case_no),
                                             display_text=ctx.t(texts, "stop")))
        else:
            actions.append(m.postback_action(ctx.t(texts, "offer"),
                                             ctx.global_postback("progress.follow", case=case.case_no),
                                             display_text=ctx.t(texts, "offer")))
        if case.status == "need_documents":
            actions.append(m.message_action(ctx.t(core_texts, "menu.info")))
    actions.append(m.message_action(ctx.t(texts, "again"), ctx.t(core_texts, "menu.progress")))
    card = status_card(case, lang, ctx.store.cases.tz, actions, office=office)
    return m.with_quick(card, core.menu_actions(lang))


def _verified_case(ctx: Context, inp: Input) -> Case | None:
    """The case a button names, only if this user proved the second factor for it before."""
    case_no = normalize_case_no(inp.data.get("case", ""))
    cases = cases_of(ctx)
    if not valid_case_no(case_no) or not cases.verified(ctx.user.user_id, case_no):
        return None
    return cases.get(case_no)


def _side_answer(ctx: Context, body: str, *extra: m.Action) -> Outcome:
    """An answer to a lasting button that leaves whatever the citizen was doing as it was."""
    return Outcome([m.text(body, [*extra, *core.menu_actions(ctx.lang)])], ctx.state, ctx.data)


def _blocked(ctx: Context, block: LookupBlock) -> Outcome:
    """Lookups refused: this user tried too often, this case is locked (call the office), or all are paused."""
    local = block.until.astimezone(ctx.store.cases.tz)
    shown = local.strftime("%H:%M") if local.date() == ctx.local_now.date() else local.strftime("%m/%d %H:%M")
    key = {"user": "locked", "case": "case_locked", "busy": "busy"}[block.kind]
    return core.menu_outcome(ctx, ctx.t(texts, key, until=shown))


def _retry(ctx: Context, key: str, state: str) -> Outcome:
    tries = int(ctx.data.get("tries", 0)) + 1
    if tries >= MAX_FORMAT_TRIES:
        return core.menu_outcome(ctx, ctx.t(texts, key), ctx.t(core_texts, "menu"))
    return Outcome([m.text(ctx.t(texts, key), _flow_buttons(ctx))], state, {**ctx.data, "tries": tries})


def _digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text or ""))


def _last4(text: str) -> str | None:
    """The last four digits: "1234", "１２３４", or a whole phone number typed by mistake."""
    digits = _digits(text)
    if len(digits) == 4 or 8 <= len(digits) <= 12:
        return digits[-4:]
    return None


def _flow_buttons(ctx: Context) -> list[m.Action]:
    return [m.message_action(ctx.t(core_texts, "menu.cancel")), m.message_action(ctx.t(core_texts, "menu.main"))]


ROUTES = Routes(
    commands=words(core_texts, "menu.progress", start, extra=("進度", "查進度", "progress", "進度查詢", "案件進度")),
    states={ASK_CASE: got_case_no, ASK_PHONE: got_phone},
    leave_on_command=leaving(*State),
    flow_states=(State,),
    postbacks={"progress.follow": follow, "progress.unfollow": unfollow},
    claims=(bare_digits,),
    private_states=frozenset({ASK_PHONE}),  # the second factor's digits are never logged
)
