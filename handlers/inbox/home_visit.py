"""行動戶政所: home and hospital visit requests for those who cannot come in.

    行動戶政所 ─▶ eligible? ─(以上皆非)─▶ alternatives, menu
                    │ 65+ / 身心障礙 / 住院
                    ▼
                 who is served (本人 / a name) ─▶ service ─▶ address ─▶ applicant's name ─▶ phone
                 ─▶ preferred times ─▶ confirmation card ─▶ filed (H-YYYY-NNNN)

The applicant (who asks, and whom staff phone) is often not the person to be served (a parent in
hospital): the flow asks who is served, and the card shows the two apart, the phone masked.
"""
from __future__ import annotations

from typing import Any

from bot import messages as m
from bot.postback import choice, takes
from bot.context import Context, Input, Outcome
from bot.routes import FlowState, Routes, command_key, leaving, words
from handlers import core
from handlers.inbox.home_visit_card import confirmation_card
from bot.contact import normalise_name
from handlers.inbox.common import ContactSteps, cancel_action, is_word, promise
from handlers.core import texts as core_texts
from handlers.inbox.texts import home_visit as texts


class State(FlowState):
    ELIGIBLE = "home_visit.eligible"
    SERVED = "home_visit.served"
    SERVICE = "home_visit.service"
    OTHER_SERVICE = "home_visit.other_service"
    ADDRESS = "home_visit.address"
    TIMES = "home_visit.times"
    CONFIRM = "home_visit.confirm"


ELIGIBLE, SERVED, SERVICE, OTHER_SERVICE, ADDRESS, TIMES, CONFIRM = State
ELIGIBILITY = ("senior", "disabled", "hospital", "other")
SERVICES = ("id_card", "seal", "registration", "certificate", "other")
TIME_CHOICES = ("morning", "afternoon", "any")


def _label(lang: str, key: str) -> str:
    return (texts.EN if lang == "en" else texts.ZH).get(key, key)


def _typed(text: str, prefix: str, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if is_word(text, texts.ZH[f"{prefix}.{key}"], texts.EN[f"{prefix}.{key}"]):
            return key
    return None


def start(ctx: Context, inp: Input) -> Outcome:
    ctx.start_session()
    return ask_eligibility(ctx)


def ask_eligibility(ctx: Context, error: bool = False) -> Outcome:
    quick = [m.postback_action(_label(ctx.lang, f"eligibility.{e}"), ctx.postback("home_visit.eligible", e=e),
                               _label(ctx.lang, f"eligibility.{e}")) for e in ELIGIBILITY]
    body = ctx.t(texts, "bad_eligibility" if error else "intro")
    return Outcome([m.text(body, [*quick, cancel_action(ctx)])], ELIGIBLE, {})


@takes(session=True, e=choice(*ELIGIBILITY))
def on_eligibility_tap(ctx: Context, inp: Input) -> Outcome:
    choice = inp.data.get("e", "")
    if ctx.state != ELIGIBLE or choice not in ELIGIBILITY:
        return core.expired(ctx, inp)
    return _eligibility(ctx, choice)


def on_eligibility_text(ctx: Context, inp: Input) -> Outcome:
    choice = _typed(inp.text, "eligibility", ELIGIBILITY)
    return ask_eligibility(ctx, error=True) if choice is None else _eligibility(ctx, choice)


def _eligibility(ctx: Context, choice: str) -> Outcome:
    if choice == "other":
        return core.menu_outcome(ctx, ctx.t(texts, "not_eligible"))
    return ask_served(ctx, {"eligibility": choice})


def ask_served(ctx: Context, data: dict[str, Any], error: bool = False) -> Outcome:
    self_label = ctx.t(texts, "served.self")
    quick = [m.postback_action(self_label, ctx.postback("home_visit.served"), self_label), cancel_action(ctx)]
    return Outcome([m.text(ctx.t(texts, "bad_served" if error else "ask_served"), quick)], SERVED, data)


@takes(session=True)
def on_served_self(ctx: Context, inp: Input) -> Outcome:
    if ctx.state != SERVED:
        return core.expired(ctx, inp)
    return ask_service(ctx, {**ctx.data, "served": ""})


def on_served_text(ctx: Context, inp: Input) -> Outcome:
    """「本人」 typed, or the name (or how staff should call them, 林奶奶) of the person to be served."""
    if is_word(inp.text, texts.ZH["served.self"], texts.EN["served.self"], "本人", "我", "me", "myself"):
        return ask_service(ctx, {**ctx.data, "served": ""})
    name = normalise_name(inp.text)
    if name is None or len(name) > 20:
        return ask_served(ctx, dict(ctx.data), error=True)
    return ask_service(ctx, {**ctx.data, "served": name})


def ask_service(ctx: Context, data: dict[str, Any]) -> Outcome:
    quick = [m.postback_action(_label(ctx.lang, f"service.{s}"), ctx.postback("home_visit.service", v=s),
                               _label(ctx.lang, f"service.{s}")) for s in SERVICES]
    return Outcome([m.text(ctx.t(texts, "ask_service"), [*quick, cancel_action(ctx)])], SERVICE, data)


@takes(session=True, v=choice(*SERVICES))
def on_service_tap(ctx: Context, inp: Input) -> Outcome:
    choice = inp.data.get("v", "")
    if ctx.state != SERVICE or choice not in SERVICES:
        return core.expired(ctx, inp)
    if choice == "other":
        return Outcome([m.text(ctx.t(texts, "ask_other_service"), [cancel_action(ctx)])], OTHER_SERVICE,
                       dict(ctx.data))
    return ask_address(ctx, {**ctx.data, "service": _label("zh", f"service.{choice}")})


def on_service_text(ctx: Context, inp: Input) -> Outcome:
    choice = _typed(inp.text, "service", SERVICES)
    if choice == "other":
        return Outcome([m.text(ctx.t(texts, "ask_other_service"), [cancel_action(ctx)])], OTHER_SERVICE,
                       dict(ctx.data))
    service = _label("zh", f"service.{choice}") if choice else inp.text.strip()[:100]
    return ask_address(ctx, {**ctx.data, "service": service})


def on_other_service(ctx: Context, inp: Input) -> Outcome:
    return ask_address(ctx, {**ctx.data, "service": inp.text.strip()[:100]})


def ask_address(ctx: Context, data: dict[str, Any], error: bool = False) -> Outcome:
    body = ctx.t(texts, "bad_address" if error else "ask_address")
    return Outcome([m.text(body, [cancel_action(ctx)])], ADDRESS, data)


def on_address(ctx: Context, inp: Input) -> Outcome:
    address = " ".join(inp.text.split())
    if len(command_key(address)) < 6 or len(address) > 150:
        return ask_address(ctx, dict(ctx.data), error=True)
    return CONTACT.start(ctx, {**ctx.data, "address": address})


def ask_times(ctx: Context, data: dict[str, Any]) -> Outcome:
    quick = [m.message_action(_label(ctx.lang, f"times.{c}")) for c in TIME_CHOICES]
    return Outcome([m.text(ctx.t(texts, "ask_times"), [*quick, cancel_action(ctx)])], TIMES, data)


def on_times(ctx: Context, inp: Input) -> Outcome:
    choice = _typed(inp.text, "times", TIME_CHOICES)
    times = _label("zh", f"times.{choice}") if choice else inp.text.strip()[:100]
    return confirm(ctx, {**ctx.data, "times": times})


def confirm(ctx: Context, data: dict[str, Any]) -> Outcome:
    """The request as a card: the applicant (masked phone) apart from the person to be served."""
    submit = ctx.t(texts, "btn.submit")
    submit_action = m.postback_action(submit, ctx.postback("home_visit.submit"), submit)
    card = confirmation_card(ctx.lang, data, submit_action, cancel_action(ctx))
    return Outcome([m.with_quick(card, [submit_action, cancel_action(ctx)])], CONFIRM, data)


def on_confirm_text(ctx: Context, inp: Input) -> Outcome:
    if is_word(inp.text, texts.ZH["btn.submit"], texts.EN["btn.submit"], "送出", "確認", "submit", "ok"):
        return file_request(ctx, dict(ctx.data))
    return confirm(ctx, dict(ctx.data))


@takes(session=True)
def on_submit(ctx: Context, inp: Input) -> Outcome:
    if ctx.state != CONFIRM:
        return core.expired(ctx, inp)
    return file_request(ctx, dict(ctx.data))


def file_request(ctx: Context, data: dict[str, Any]) -> Outcome:
    """The request becomes a home-visit thread; staff phone the citizen to agree on a time."""
    eligibility = data.get("eligibility", "")
    details = {"eligibility": eligibility, "served": data.get("served") or "申請人本人",
               "service": data.get("service", ""), "address": data.get("address", ""), "times": data.get("times", "")}
    subject = f"{_label('zh', f'eligibility.{eligibility}')}｜{details['service']}"
    thread = ctx.store.inbox.open_thread(
        "home_visit", ctx.user.user_id, [], category=eligibility, subject=subject,
        contact_name=data.get("contact_name", ""), contact_phone=data.get("contact_phone", ""),
        details=details, lang=ctx.lang, full_details=("address",), office_id=ctx.office_id,
    )
    return core.menu_outcome(ctx, ctx.t(texts, "filed", ref=thread.ref, promise=promise(ctx, thread)))


CONTACT = ContactSteps("home_visit", ask_times)

ROUTES = Routes(
    commands=words(core_texts, "menu.home_visit", start, extra=("到府服務", "home visit", "行動戶政")),
    states={ELIGIBLE: on_eligibility_text, SERVED: on_served_text, SERVICE: on_service_text, OTHER_SERVICE: on_other_service,
            ADDRESS: on_address, TIMES: on_times, CONFIRM: on_confirm_text, **CONTACT.states()},
    leave_on_command={**leaving(ELIGIBLE, SERVED, SERVICE, ADDRESS, TIMES, CONFIRM), **CONTACT.leave_on_command()},
    postbacks={"home_visit.eligible": on_eligibility_tap, "home_visit.served": on_served_self,
               "home_visit.service": on_service_tap,
               "home_visit.submit": on_submit, **CONTACT.postbacks()},
    private_states=frozenset({ADDRESS}),
    flow_states=(State,),
    private_data=("address",),
)
