"""The booking flow: 預約臨櫃 -> service -> checklist -> day -> time -> priority -> name, mobile -> confirm.

Each step is a function of (context, data) returning an Outcome in one of the states below; buttons
are session-bound postbacks, and typed text in a state is understood too (typed_* handlers), so
「12/3 10點」 or 「明天下午」 work where a button would. Rescheduling runs day -> time -> confirm with the
booking number in data["resched"]. Routes: handlers/booking/__init__.py.
"""
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any

from bot import messages as m
from bot.postback import choice, hh_mm, ident, iso_date, takes
from handlers.booking.calendar import TOO_SOON, Refusal, Service
from bot.contact import normalise_name, normalise_phone
from bot.context import Context, Input, Outcome
from bot.masking import mask
from bot.routes import FlowState, command_key
from handlers.booking.store import (ARRIVED, CANCELLED, DAY_TAKEN, NO_SHOW, NO_SUCH_TIME, NOT_ACTIVE, PRIORITIES,
                                SLOT_FULL, STARTED, SUSPENDED, Booking, BookingRefused, FreeSlot, bookings_of)
from handlers.booking import views
from handlers import core
from handlers.booking.dates import AFTERNOON, When, parse_when
from handlers.booking import texts


class State(FlowState):
    SERVICE = "booking.service"
    CHECKLIST = "booking.checklist"
    DATE = "booking.date"
    TIME = "booking.time"
    PRIORITY = "booking.priority"
    NAME = "booking.name"
    PHONE = "booking.phone"
    CONFIRM = "booking.confirm"


SERVICE, CHECKLIST, DATE, TIME, PRIORITY, NAME, PHONE, CONFIRM = State

_YES = re.compile(r"^(好|好的|是|對|確認|確定|ok|okay|yes|y|備齊|有|下一步|next|confirm)$")
_PRIORITY_WORDS = (
    ("none", re.compile(r"不需要|不用|不必|否|沒有|无|無|^no\b|none")),
    ("elder", re.compile(r"年長|長者|老人|65|elder|senior|old")),
    ("pregnant", re.compile(r"孕|pregnan")),
    ("disabled", re.compile(r"行動不便|輪椅|身障|身心障礙|障礙|disab|wheel|mobility")),
    ("infant", re.compile(r"幼兒|嬰|小孩|寶寶|baby|child|infant|kid")),
)


# --- small helpers -----------------------------------------------------------------------------
def _service(ctx: Context, data: dict[str, Any]) -> Service | None:
    return bookings_of(ctx).service(str(data.get("service", "")))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _time(value: str | None) -> time | None:
    try:
        return time.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _ask(ctx: Context, state: str, data: dict[str, Any], body: str, quick: list[m.Action]) -> Outcome:
    return Outcome([m.text(body, quick)], state, data)


def _lines(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def refusal_text(ctx: Context, service: Service, refusal: Refusal) -> str:
    """One sentence on why a day cannot be booked."""
    rules = bookings_of(ctx).rules
    key = "r.too_soon_holiday" if refusal.reason == TOO_SOON and service.holiday else f"r.{refusal.reason}"
    return ctx.t(texts, key, day=views.day_text(ctx, refusal.day), cutoff=rules.cutoff.strftime("%H:%M"),
                 last=views.day_text(ctx, refusal.latest or refusal.day), name=refusal.detail,
                 reason=refusal.detail, working_days=rules.holiday_min_working_days)


# --- the flow ----------------------------------------------------------------------------------
def start(ctx: Context, inp: Input) -> Outcome:
    """預約臨櫃: a new conversation, unless booking is suspended for this citizen."""
    ctx.start_session()
    refused = _suspended(ctx)
    return refused or ask_service(ctx, {})


def _suspended(ctx: Context) -> Outcome | None:
    until = bookings_of(ctx).suspended_until(ctx.user.user_id)
    if until is None:
        return None
    return core.menu_outcome(ctx, ctx.t(texts, "r.suspended", limit=bookings_of(ctx).rules.no_show_limit,
                                        until=views.day_text(ctx, until)))


def ask_service(ctx: Context, data: dict[str, Any], intro: str = "") -> Outcome:
    body = _lines(intro, ctx.t(texts, "choose_service"))
    return _ask(ctx, SERVICE, data, body, views.service_actions(ctx, bookings_of(ctx).services()))


@takes(session=True, code=ident())
def on_service(ctx: Context, inp: Input) -> Outcome:
    service = bookings_of(ctx).service(inp.data.get("code", ""))
    if service is None:
        return ask_service(ctx, {}, ctx.t(texts, "service_unknown"))
    return show_checklist(ctx, service)


def show_checklist(ctx: Context, service: Service) -> Outcome:
    return Outcome([views.checklist(ctx, service)], CHECKLIST, {"service": service.code})


@takes(session=True)
def on_other_service(ctx: Context, inp: Input) -> Outcome:
    return ask_service(ctx, {})


@takes(session=True)
def on_docs_ok(ctx: Context, inp: Input) -> Outcome:
    return ask_day(ctx, ctx.data) if _service(ctx, ctx.data) else start(ctx, inp)


def _taken_days(ctx: Context, data: dict[str, Any]) -> set[date]:
    """Days the citizen already has a booking on (the one being rescheduled does not count)."""
    return {b.day for b in bookings_of(ctx).upcoming(ctx.user.user_id) if b.booking_no != data.get("resched")}


def ask_day(ctx: Context, data: dict[str, Any], intro: str = "") -> Outcome:
    """The next days with free seats as buttons, and a date picker for the rest of the window."""
    bookings = bookings_of(ctx)
    service = _service(ctx, data)
    if service is None:
        return ask_service(ctx, {})
    taken = _taken_days(ctx, data)
    days = [d for d, slots in bookings.availability(service).items()
            if d not in taken and any(s.seats_left > 0 for s in slots)]
    data = {k: v for k, v in data.items() if k not in ("day", "start")}
    if not days:
        return core.menu_outcome(ctx, _lines(intro, ctx.t(texts, "r.no_days", service=service.name(ctx.lang))))
    last = bookings.calendar.window(service, ctx.local_now.date())[1]
    if intro:
        body = _lines(intro, ctx.t(texts, "next_days"))
    else:
        body = ctx.t(texts, "choose_day", service=service.name(ctx.lang), first=views.day_text(ctx, days[0]),
                     last=views.day_text(ctx, last))
    return _ask(ctx, DATE, data, body, views.day_actions(ctx, days, days[0], last))


@takes(session=True, d=iso_date(required=False), picker={"date": iso_date(required=False)})
def on_day(ctx: Context, inp: Input) -> Outcome:
    """A day button or the date picker (its choice comes in params["date"])."""
    if _service(ctx, ctx.data) is None:
        return start(ctx, inp)
    day = _day(inp.data.get("d") or inp.params.get("date"))
    return choose_day(ctx, ctx.data, day) if day else ask_day(ctx, ctx.data)


def _day_problem(ctx: Context, service: Service, data: dict[str, Any], day: date) -> str | None:
    """Why the citizen cannot book this day (the rules, or a booking they already have), or None."""
    refusal = bookings_of(ctx).day_refusal(service, day, ctx.lang)
    if refusal is not None:
        return refusal_text(ctx, service, refusal)
    mine = bookings_of(ctx).on_day_for(ctx.user.user_id, day)
    if mine is not None and mine.booking_no != data.get("resched"):
        return ctx.t(texts, "r.day_taken", day=views.day_text(ctx, day), no=mine.booking_no,
                     start=views.hm(mine.start))
    return None


def _open_day(ctx: Context, data: dict[str, Any], day: date) -> tuple[Any, Outcome | None]:
    """The chosen service, or the answer that says why this day cannot be booked (and what instead)."""
    service = _service(ctx, data)
    if service is None:
        return None, ask_service(ctx, {})
    problem = _day_problem(ctx, service, data, day)
    return service, (ask_day(ctx, data, problem) if problem else None)


def choose_day(ctx: Context, data: dict[str, Any], day: date, start: time | None = None,
               part: str | None = None) -> Outcome:
    """A day was chosen or typed: its free times, or why not and which days instead."""
    service, refusal = _open_day(ctx, data, day)
    if refusal is not None:
        return refusal
    slots = bookings_of(ctx).free_slots(service, day)
    if not slots:
        return ask_day(ctx, data, ctx.t(texts, "r.day_full", day=views.day_text(ctx, day)))
    data = {**{k: v for k, v in data.items() if k != "start"}, "day": day.isoformat()}
    if start is not None:
        return choose_time(ctx, data, day, start)
    intro = None
    if part is not None:
        wanted = [s for s in slots if (s.start.hour >= 12) == (part == AFTERNOON)]
        if wanted:
            slots = wanted
        else:
            part_name = ctx.t(texts, "afternoon" if part == AFTERNOON else "morning")
            intro = ctx.t(texts, "no_part_slots", day=views.day_text(ctx, day), part=part_name)
    return Outcome(views.times(ctx, day, slots, intro), TIME, data)


@takes(session=True)
def on_other_day(ctx: Context, inp: Input) -> Outcome:
    return ask_day(ctx, ctx.data) if _service(ctx, ctx.data) else start(ctx, inp)


@takes(session=True, d=iso_date(), t=hh_mm())
def on_time(ctx: Context, inp: Input) -> Outcome:
    day, start_at = _day(inp.data.get("d")), _time(inp.data.get("t"))
    if _service(ctx, ctx.data) is None:
        return start(ctx, inp)
    if day is None or start_at is None:
        return ask_day(ctx, ctx.data)
    return choose_time(ctx, ctx.data, day, start_at)


def nearest(ctx: Context, service: Service, data: dict[str, Any], day: date, start: time,
            limit: int = 8) -> list[tuple[date, FreeSlot]]:
    """Free times closest to the wanted one: that day first, then the following days."""
    taken = _taken_days(ctx, data)
    wanted = start.hour * 60 + start.minute
    options = [(d, s) for d, slots in bookings_of(ctx).availability(service).items() if d not in taken
               for s in slots if s.seats_left > 0]
    options.sort(key=lambda o: (o[0] != day, abs((o[0] - day).days), abs(o[1].start.hour * 60 + o[1].start.minute
                                                                         - wanted), o[1].start))
    return options[:limit]


def _slot_gone(ctx: Context, service: Service, data: dict[str, Any], day: date, start: time) -> Outcome:
    """A full time: say so and offer the nearest free ones, each a single tap away."""
    data = {k: v for k, v in data.items() if k != "start"}
    options = nearest(ctx, service, data, day, start)
    if not options:
        return ask_day(ctx, data, ctx.t(texts, "r.slot_full", day=views.day_text(ctx, day), start=views.hm(start)))
    body = _lines(ctx.t(texts, "r.slot_full", day=views.day_text(ctx, day), start=views.hm(start)),
                  ctx.t(texts, "next_slots"))
    return _ask(ctx, TIME, data, body, views.slot_actions(ctx, options))


def choose_time(ctx: Context, data: dict[str, Any], day: date, start: time) -> Outcome:
    """A time was tapped or typed: take it into the data if it is free, then the next missing detail."""
    service, refusal = _open_day(ctx, data, day)
    if refusal is not None:
        return refusal
    free = {s.start: s for s in bookings_of(ctx).free_slots(service, day)}
    if start not in free:
        if bookings_of(ctx).calendar.is_bookable_start(service, day, start):
            return _slot_gone(ctx, service, data, day, start)
        intro = ctx.t(texts, "r.no_such_time", start=views.hm(start))
        slots = list(free.values())
        if not slots:
            return ask_day(ctx, data, ctx.t(texts, "r.day_full", day=views.day_text(ctx, day)))
        return Outcome(views.times(ctx, day, slots, _lines(intro, ctx.t(texts, "choose_time",
                                                                         day=views.day_text(ctx, day)))),
                       TIME, {**data, "day": day.isoformat()})
    return next_step(ctx, {**data, "day": day.isoformat(), "start": views.hm(start)})


def next_step(ctx: Context, data: dict[str, Any]) -> Outcome:
    """Ask for whatever is still missing (priority counter, name, mobile), else the confirmation card."""
    if data.get("resched"):
        return show_confirm(ctx, data)
    if "priority" not in data:
        return _ask(ctx, PRIORITY, data, ctx.t(texts, "choose_priority"), views.priority_actions(ctx))
    if not data.get("name"):
        return ask_contact(ctx, data)
    if not data.get("phone"):
        return _ask(ctx, PHONE, data, ctx.t(texts, "ask_phone"), [views.cancel_action(ctx)])
    return show_confirm(ctx, data)


@takes(session=True, p=choice(*PRIORITIES, "none"))
def on_priority(ctx: Context, inp: Input) -> Outcome:
    return _set_priority(ctx, inp.data.get("p", ""))


def _set_priority(ctx: Context, choice: str) -> Outcome:
    if _service(ctx, ctx.data) is None or "start" not in ctx.data:
        return ask_day(ctx, ctx.data)
    return next_step(ctx, {**ctx.data, "priority": choice if choice in PRIORITIES else ""})


def ask_contact(ctx: Context, data: dict[str, Any]) -> Outcome:
    """Offer last time's name and mobile, or ask for a name."""
    user = ctx.user
    if user.contact_name and user.contact_phone:
        body = ctx.t(texts, "contact_same_q", name=user.contact_name, phone=mask(user.contact_phone))
        quick = [m.postback_action(ctx.t(texts, "contact_same"), ctx.postback("booking.contact_same"),
                                   ctx.t(texts, "contact_same")),
                 m.postback_action(ctx.t(texts, "contact_new"), ctx.postback("booking.contact_new"),
                                   ctx.t(texts, "contact_new")),
                 views.cancel_action(ctx)]
        return _ask(ctx, NAME, data, body, quick)
    return _ask(ctx, NAME, data, ctx.t(texts, "ask_name"), [views.cancel_action(ctx)])


@takes(session=True)
def on_contact_same(ctx: Context, inp: Input) -> Outcome:
    if "start" not in ctx.data or not ctx.user.contact_phone:
        return ask_day(ctx, ctx.data) if _service(ctx, ctx.data) else start(ctx, inp)
    return next_step(ctx, {**ctx.data, "name": ctx.user.contact_name, "phone": ctx.user.contact_phone})


@takes(session=True)
def on_contact_new(ctx: Context, inp: Input) -> Outcome:
    if "start" not in ctx.data:
        return ask_day(ctx, ctx.data) if _service(ctx, ctx.data) else start(ctx, inp)
    return _ask(ctx, NAME, ctx.data, ctx.t(texts, "ask_name"), [views.cancel_action(ctx)])


def typed_name(ctx: Context, inp: Input) -> Outcome:
    if ctx.user.contact_phone and _YES.match(command_key(inp.text)):
        return on_contact_same(ctx, inp)  # 「好」 to "use the same as last time?"
    name = normalise_name(inp.text)
    if name is None:
        return _ask(ctx, NAME, ctx.data, ctx.t(texts, "bad_name"), [views.cancel_action(ctx)])
    return next_step(ctx, {**ctx.data, "name": name, "phone": ""})


def typed_phone(ctx: Context, inp: Input) -> Outcome:
    phone = normalise_phone(inp.text, mobile_only=True)
    if phone is None:
        return _ask(ctx, PHONE, ctx.data, ctx.t(texts, "bad_phone"), [views.cancel_action(ctx)])
    return next_step(ctx, {**ctx.data, "phone": phone})


def _old_booking(ctx: Context, data: dict[str, Any]) -> Booking | None:
    return bookings_of(ctx).get(data["resched"]) if data.get("resched") else None


def show_confirm(ctx: Context, data: dict[str, Any]) -> Outcome:
    service, day, start_at = _service(ctx, data), _day(data.get("day")), _time(data.get("start"))
    if service is None or day is None or start_at is None:
        return ask_day(ctx, data)
    end = (datetime.combine(day, start_at) + timedelta(minutes=service.minutes)).time()
    old = _old_booking(ctx, data)
    lines = views.summary_lines(ctx, service, day, start_at, end, data.get("priority", ""),
                                data.get("name", ""), data.get("phone", ""))
    if old is not None:
        lines.insert(0, ctx.t(texts, "line_no", no=old.booking_no))
        lines.append(ctx.t(texts, "line_old", day=views.day_text(ctx, old.day), start=views.hm(old.start)))
    card = views.confirm_card(ctx, lines, bookings_of(ctx).rules.late_minutes, old is not None)
    return Outcome([card], CONFIRM, data)


@takes(session=True)
def on_confirm(ctx: Context, inp: Input) -> Outcome:
    """確認預約: take the seat in one transaction; if someone was faster, offer the nearest free times."""
    data = ctx.data
    service, day, start_at = _service(ctx, data), _day(data.get("day")), _time(data.get("start"))
    if service is None or day is None or start_at is None:
        return start(ctx, inp)
    bookings = bookings_of(ctx)
    try:
        if data.get("resched"):
            booking = bookings.reschedule(data["resched"], day, start_at, user_id=ctx.user.user_id)
        else:
            if not data.get("name") or not data.get("phone"):
                return next_step(ctx, data)
            booking = bookings.book_slot(ctx.user.user_id, service, day, start_at, name=data["name"],
                                         phone=data["phone"], priority=data.get("priority", ""), lang=ctx.lang)
            ctx.store.users.update(ctx.user.user_id, contact_name=data["name"], contact_phone=data["phone"])
    except BookingRefused as refused:
        return _refused(ctx, service, data, day, start_at, refused)
    card = views.booked_card(ctx, service, booking, bookings.rules.late_minutes, bool(data.get("resched")))
    return Outcome([card])


def _refused(ctx: Context, service: Service, data: dict[str, Any], day: date, start_at: time,
             refused: BookingRefused) -> Outcome:
    """What a refused booking means for the citizen, with the next best choice."""
    if refused.reason == SLOT_FULL:
        return _slot_gone(ctx, service, data, day, start_at)
    if refused.reason == SUSPENDED:
        return _suspended(ctx) or core.menu_outcome(ctx)
    if refused.reason == DAY_TAKEN and refused.booking is not None and _same_booking(refused.booking, service, day,
                                                                                      start_at):
        # A double tap that reached two workers at once: the first one booked it; show that booking.
        return Outcome([views.booked_card(ctx, service, refused.booking, bookings_of(ctx).rules.late_minutes)])
    if refused.reason == DAY_TAKEN and refused.booking is not None:
        return ask_day(ctx, data, ctx.t(texts, "r.day_taken", day=views.day_text(ctx, day),
                                        no=refused.booking.booking_no, start=views.hm(refused.booking.start)))
    if refused.reason == NO_SUCH_TIME:
        return choose_day(ctx, data, day)
    if refused.refusal is not None:
        return ask_day(ctx, data, refusal_text(ctx, service, refused.refusal))
    return stale(ctx, data.get("resched", ""), refused)


def _same_booking(booking: Booking, service: Service, day: date, start_at: time) -> bool:
    return (booking.service, booking.day, booking.start, booking.status) == (service.code, day, start_at, "booked")


def typed_confirm(ctx: Context, inp: Input) -> Outcome:
    if _YES.match(command_key(inp.text)):
        return on_confirm(ctx, inp)
    outcome = show_confirm(ctx, ctx.data)
    outcome.messages.insert(0, m.text(ctx.t(texts, "confirm_hint")))
    return outcome


# --- typed text inside the flow --------------------------------------------------------------------
def typed_service(ctx: Context, inp: Input) -> Outcome:
    key = command_key(inp.text)
    matches = [s for s in bookings_of(ctx).services()
               if key and (key == s.code or any(key in command_key(n) for n in (s.name_zh, s.name_en, s.button_en))
                           or command_key(s.button("zh")) in key)]
    if not matches:
        return ask_service(ctx, {}, ctx.t(texts, "service_unknown"))
    return show_checklist(ctx, min(matches, key=lambda s: len(s.name_zh)))


def _when(ctx: Context, inp: Input) -> When:
    return parse_when(inp.text, ctx.local_now.date())


def typed_checklist(ctx: Context, inp: Input) -> Outcome:
    when = _when(ctx, inp)
    if when.day is not None:
        return choose_day(ctx, ctx.data, when.day, when.start, when.part)
    if _YES.match(command_key(inp.text)):
        return ask_day(ctx, ctx.data)
    service = _service(ctx, ctx.data)
    return show_checklist(ctx, service) if service else ask_service(ctx, {})


def typed_day(ctx: Context, inp: Input) -> Outcome:
    when = _when(ctx, inp)
    if when.day is None:
        return ask_day(ctx, ctx.data, ctx.t(texts, "not_understood_day"))
    return choose_day(ctx, ctx.data, when.day, when.start, when.part)


def typed_time(ctx: Context, inp: Input) -> Outcome:
    when, day = _when(ctx, inp), _day(ctx.data.get("day"))
    if when.day is not None:
        return choose_day(ctx, ctx.data, when.day, when.start, when.part)
    if day is None:
        return ask_day(ctx, ctx.data)
    if when.start is not None:
        return choose_time(ctx, ctx.data, day, when.start)
    if when.part is not None:
        return choose_day(ctx, ctx.data, day, part=when.part)
    outcome = choose_day(ctx, ctx.data, day)
    outcome.messages.insert(0, m.text(ctx.t(texts, "not_understood_time")))
    return outcome


def typed_priority(ctx: Context, inp: Input) -> Outcome:
    text = unicodedata.normalize("NFKC", inp.text).lower()
    for choice, pattern in _PRIORITY_WORDS:
        if pattern.search(text):
            return _set_priority(ctx, choice)
    return _ask(ctx, PRIORITY, ctx.data, ctx.t(texts, "priority_unknown"), views.priority_actions(ctx))


def stale(ctx: Context, number: str, refused: BookingRefused) -> Outcome:
    """A 改期/取消 button for a booking that can no longer change: say why, show the menu."""
    booking = refused.booking
    if refused.reason == NOT_ACTIVE and booking is not None and booking.status == CANCELLED:
        body = ctx.t(texts, "stale.cancelled", no=booking.booking_no)
    elif refused.reason == NOT_ACTIVE and booking is not None and booking.status in (ARRIVED, NO_SHOW):
        body = ctx.t(texts, "stale.done", no=booking.booking_no, status=ctx.t(texts, f"status.{booking.status}"))
    elif refused.reason == STARTED:
        body = ctx.t(texts, "stale.started", no=number)
    else:
        body = ctx.t(texts, "stale.not_found")
    return core.menu_outcome(ctx, body)


