"""The booking flow's messages: service buttons, the checklist card, day and time choices, confirmation cards."""
from __future__ import annotations

from datetime import date, time
from typing import Any, Iterable

from bot import messages as m
from bot import palette
from handlers.booking.calendar import Service
from bot.context import Context
from bot.masking import mask
from handlers.booking.store import Booking, FreeSlot
from bot.workdays import format_day
from handlers.core import menu_actions
from handlers.booking import texts
from handlers.core import texts as core_texts
from handlers.booking import jobs as booking_jobs

BLUE, GREEN = palette.BLUE, palette.GREEN
TIMES_PER_ROW = 2
MAX_DAY_BUTTONS = 10


def day_text(ctx: Context, day: date) -> str:
    return format_day(day, ctx.lang)


def hm(start: time) -> str:
    return start.strftime("%H:%M")


def cancel_action(ctx: Context) -> m.Action:
    """Leave the flow (the 取消 interrupt)."""
    label = ctx.t(core_texts, "menu.cancel")
    return m.message_action(label, label)


def service_actions(ctx: Context, services: Iterable[Service]) -> list[m.Action]:
    actions = [m.postback_action(s.button(ctx.lang), ctx.postback("booking.service", code=s.code), s.name(ctx.lang))
               for s in services]
    return [*actions[:12], cancel_action(ctx)]


def checklist(ctx: Context, service: Service) -> m.Message:
    """The documents to bring (the office's pre-check), before any date is chosen."""
    lines = [f"・{d}" for d in service.documents(ctx.lang)]
    lines += [ctx.t(texts, "checklist_minutes", minutes=service.minutes), ctx.t(texts, "checklist_precheck")]
    card = m.bubble(ctx.t(texts, "checklist_title", service=service.name(ctx.lang)), lines, [
        m.postback_action(ctx.t(texts, "docs_ok"), ctx.postback("booking.docs_ok"), ctx.t(texts, "docs_ok")),
        m.postback_action(ctx.t(texts, "other_service"), ctx.postback("booking.other_service"),
                          ctx.t(texts, "other_service")),
    ], color=BLUE)
    return m.with_quick(m.flex(ctx.t(texts, "checklist_title", service=service.name(ctx.lang)), card),
                        [cancel_action(ctx)])


def day_actions(ctx: Context, days: list[date], first: date, last: date) -> list[m.Action]:
    """The next days with free seats as buttons, a date picker for any other day, and 取消."""
    actions = [m.postback_action(day_text(ctx, d), ctx.postback("booking.day", d=d.isoformat()), day_text(ctx, d))
               for d in days[:MAX_DAY_BUTTONS]]
    initial = days[0] if days else first
    actions.append(m.datetime_action(ctx.t(texts, "pick_date"), ctx.postback("booking.day"), "date",
                                     initial.isoformat(), first.isoformat(), last.isoformat()))
    actions.append(cancel_action(ctx))
    return actions


def _time_button(ctx: Context, day: date, slot: FreeSlot) -> dict[str, Any]:
    label = ctx.t(texts, "slot_label", time=hm(slot.start), seats=slot.seats_left)
    action = m.postback_action(label, ctx.postback("booking.time", d=day.isoformat(), t=hm(slot.start)),
                               f"{day_text(ctx, day)} {hm(slot.start)}")
    return {"type": "button", "style": "secondary", "height": "sm", "action": action, "flex": 1}


def _times_bubble(ctx: Context, title: str, day: date, slots: list[FreeSlot]) -> dict[str, Any]:
    rows = []
    for i in range(0, len(slots), TIMES_PER_ROW):
        row = [_time_button(ctx, day, s) for s in slots[i:i + TIMES_PER_ROW]]
        row += [{"type": "filler"}] * (TIMES_PER_ROW - len(row))
        rows.append({"type": "box", "layout": "horizontal", "spacing": "sm", "contents": row})
    return {
        "type": "bubble",
        "header": {"type": "box", "layout": "vertical", "backgroundColor": BLUE, "contents": [
            {"type": "text", "text": title, "weight": "bold", "color": palette.WHITE, "size": "lg", "wrap": True}]},
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": rows},
    }


def times(ctx: Context, day: date, slots: list[FreeSlot], intro: str | None = None) -> list[m.Message]:
    """Free times of a day as button cards (morning and afternoon), seats left on each button."""
    morning = [s for s in slots if s.start.hour < 12]
    afternoon = [s for s in slots if s.start.hour >= 12]
    bubbles = [_times_bubble(ctx, f"{day_text(ctx, day)} {ctx.t(texts, key)}", day, part)
               for key, part in (("morning", morning), ("afternoon", afternoon)) if part]
    contents = bubbles[0] if len(bubbles) == 1 else m.carousel(bubbles)
    card = m.flex(ctx.t(texts, "time_title", day=day_text(ctx, day)), contents)
    quick = [m.postback_action(ctx.t(texts, "other_day"), ctx.postback("booking.other_day"),
                               ctx.t(texts, "other_day")), cancel_action(ctx)]
    return [m.text(intro or ctx.t(texts, "choose_time", day=day_text(ctx, day))), m.with_quick(card, quick)]


def slot_actions(ctx: Context, options: list[tuple[date, FreeSlot]]) -> list[m.Action]:
    """The nearest free times (maybe on other days) as quick replies that take the time at once."""
    actions = []
    for day, slot in options[:10]:
        label = f"{day_text(ctx, day)} {hm(slot.start)}"
        actions.append(m.postback_action(label, ctx.postback("booking.time", d=day.isoformat(), t=hm(slot.start)),
                                         label))
    actions.append(m.postback_action(ctx.t(texts, "other_day"), ctx.postback("booking.other_day"),
                                     ctx.t(texts, "other_day")))
    actions.append(cancel_action(ctx))
    return actions


def priority_actions(ctx: Context) -> list[m.Action]:
    keys = ("elder", "pregnant", "disabled", "infant", "none")
    return [m.postback_action(ctx.t(texts, f"priority.{k}"), ctx.postback("booking.priority", p=k),
                              ctx.t(texts, f"priority.{k}")) for k in keys] + [cancel_action(ctx)]


def summary_lines(ctx: Context, service: Service, day: date, start: time, end: time, priority: str,
                  name: str, phone: str) -> list[str]:
    lines = [ctx.t(texts, "line_service", service=service.name(ctx.lang)),
             ctx.t(texts, "line_day", day=day_text(ctx, day)),
             ctx.t(texts, "line_time", start=hm(start), end=hm(end))]
    if priority:
        lines.append(ctx.t(texts, "line_priority", priority=ctx.t(texts, f"priority.{priority}")))
    if name:
        lines.append(ctx.t(texts, "line_name", name=name))
    if phone:
        lines.append(ctx.t(texts, "line_phone", phone=mask(phone)))
    return lines


def confirm_card(ctx: Context, lines: list[str], late_minutes: int, rescheduling: bool) -> m.Message:
    """The last look before booking: what, when, who, the lateness rule, and 確認 / 修改時間."""
    title = ctx.t(texts, "reschedule_title" if rescheduling else "confirm_title")
    ok = ctx.t(texts, "confirm_reschedule" if rescheduling else "confirm")
    card = m.bubble(title, [*lines, ctx.t(texts, "line_late", minutes=late_minutes)], [
        m.postback_action(ok, ctx.postback("booking.confirm"), ok),
        m.postback_action(ctx.t(texts, "change_time"), ctx.postback("booking.other_day"), ctx.t(texts, "change_time")),
    ], color=BLUE)
    return m.with_quick(m.flex(title, card), [cancel_action(ctx)])


def manage_actions(ctx: Context, booking: Booking) -> list[m.Action]:
    """改期 and 取消 buttons that stay valid after the flow ends: they name the booking."""
    return booking_jobs.manage_actions(ctx.lang, booking)


def booking_lines(ctx: Context, service: Service | None, booking: Booking) -> list[str]:
    name = service.name(ctx.lang) if service else booking.service
    return [ctx.t(texts, "line_no", no=booking.booking_no),
            *summary_lines(ctx, service or Service(booking.service, name, name, booking.minutes), booking.day,
                           booking.start, booking.end, booking.priority, booking.contact_name, booking.contact_phone)]


def booked_card(ctx: Context, service: Service | None, booking: Booking, late_minutes: int,
                rescheduled: bool = False) -> m.Message:
    """The final card: the booking number, the rules, and global 改期 / 取消 buttons; the menu below."""
    title = ctx.t(texts, "rescheduled_title" if rescheduled else "booked_title")
    lines = [*booking_lines(ctx, service, booking), ctx.t(texts, "line_late", minutes=late_minutes),
             ctx.t(texts, "booked_remind")]
    alt = f"{title} {booking.booking_no} {day_text(ctx, booking.day)} {hm(booking.start)}"
    return m.with_quick(m.flex(alt, m.bubble(title, lines, manage_actions(ctx, booking), color=GREEN)),
                        menu_actions(ctx.lang))


def my_bookings(ctx: Context, bookings: list[tuple[Service | None, Booking]]) -> m.Message:
    bubbles = [m.bubble(ctx.t(texts, "my_title", no=b.booking_no), booking_lines(ctx, s, b)[1:],
                        manage_actions(ctx, b), color=GREEN) for s, b in bookings]
    contents = bubbles[0] if len(bubbles) == 1 else m.carousel(bubbles)
    return m.with_quick(m.flex(ctx.t(texts, "my_alt", count=len(bookings)), contents), menu_actions(ctx.lang))
