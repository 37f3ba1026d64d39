"""我的預約 and the buttons on a booking: 改期 and 取消 (global postbacks that name the booking)."""
from __future__ import annotations

from bot import messages as m
from bot.postback import ident, takes
from bot.context import Context, Input, Outcome
from handlers.booking.store import BOOKED, NOT_ACTIVE, NOT_FOUND, STARTED, Booking, BookingRefused, bookings_of
from handlers.booking import views
from handlers import core
from handlers.booking.flow import ask_day, stale
from handlers.booking import texts


def my_bookings(ctx: Context, inp: Input) -> Outcome:
    bookings = bookings_of(ctx)
    upcoming = bookings.upcoming(ctx.user.user_id)
    if not upcoming:
        label = ctx.t(texts, "book_now")
        return Outcome([m.text(ctx.t(texts, "none_upcoming"),
                               [m.message_action(label, label), *core.menu_actions(ctx.lang)])])
    return Outcome([views.my_bookings(ctx, [(bookings.service(b.service), b) for b in upcoming[:12]])])


def _changeable(ctx: Context, number: str) -> Booking:
    """The citizen's own booking that can still be changed, or BookingRefused."""
    booking = bookings_of(ctx).get(number)
    if booking is None or booking.user_id != ctx.user.user_id:
        raise BookingRefused(NOT_FOUND)
    if booking.status != BOOKED:
        raise BookingRefused(NOT_ACTIVE, booking=booking)
    if booking.starts_at <= ctx.local_now.replace(tzinfo=None):
        raise BookingRefused(STARTED, booking=booking)
    return booking


@takes(session=False, no=ident())
def on_cancel(ctx: Context, inp: Input) -> Outcome:
    """取消 on a booking: ask once more (the seat goes to someone else at once)."""
    number = inp.data.get("no", "")
    try:
        booking = _changeable(ctx, number)
    except BookingRefused as refused:
        return stale(ctx, number, refused)
    service = bookings_of(ctx).service(booking.service)
    body = ctx.t(texts, "cancel_q", service=service.name(ctx.lang) if service else booking.service,
                 day=views.day_text(ctx, booking.day), start=views.hm(booking.start))
    yes, keep = ctx.t(texts, "cancel_yes"), ctx.t(texts, "keep")
    message = m.buttons(body.split("\n")[0], body, [
        m.postback_action(yes, ctx.global_postback("booking.cancel_yes", no=number), yes),
        m.postback_action(keep, ctx.global_postback("booking.keep", no=number), keep),
    ])
    return Outcome([message], ctx.state, ctx.data)


@takes(session=False, no=ident())
def on_cancel_yes(ctx: Context, inp: Input) -> Outcome:
    number = inp.data.get("no", "")
    try:
        _changeable(ctx, number)
        booking = bookings_of(ctx).cancel(number, user_id=ctx.user.user_id)
    except BookingRefused as refused:
        return stale(ctx, number, refused)
    return core.menu_outcome(ctx, ctx.t(texts, "cancelled", no=booking.booking_no,
                                        day=views.day_text(ctx, booking.day), start=views.hm(booking.start)))


@takes(session=False, no=ident())
def on_keep(ctx: Context, inp: Input) -> Outcome:
    booking = bookings_of(ctx).get(inp.data.get("no", ""))
    if booking is None or booking.user_id != ctx.user.user_id:
        return stale(ctx, "", BookingRefused(NOT_FOUND))
    body = ctx.t(texts, "kept", day=views.day_text(ctx, booking.day), start=views.hm(booking.start))
    return Outcome(core.with_menu(ctx, body), ctx.state, ctx.data)


@takes(session=False, no=ident())
def on_reschedule(ctx: Context, inp: Input) -> Outcome:
    """改期 on a booking: pick a new day and time for the same service; the old seat is kept until then."""
    number = inp.data.get("no", "")
    try:
        booking = _changeable(ctx, number)
    except BookingRefused as refused:
        return stale(ctx, number, refused)
    ctx.start_session()
    data = {"service": booking.service, "resched": booking.booking_no, "priority": booking.priority,
            "name": booking.contact_name, "phone": booking.contact_phone}
    return ask_day(ctx, data)


