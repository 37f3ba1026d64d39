"""Appointments page: a day's bookings, arrived / no-show; an arrival brings a satisfaction survey later."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from bot.staff.common import audit, can_see_office, office_rules, office_view, store, weekday_label
from bot.workdays import format_day
from handlers.survey import invite_after_visit
from handlers.survey.jobs import SURVEY_DELAY

ATTENDANCE_LABELS = {"booked": "已預約", "arrived": "已報到", "no_show": "未到", "cancelled": "已取消"}


def _day() -> date:
    try:
        return date.fromisoformat(request.args.get("date", "") or request.form.get("date", ""))
    except ValueError:
        return store().clock.local().date()


def _bookings() -> Any:
    """The appointments this account sees: its office's, or (city-wide) every office's or the one picked."""
    office = office_view(request.args.get("office", ""))
    if office is None:
        return store().bookings
    return store().bookings.for_office(office, office_rules(office))


def _opening_day() -> tuple[date, bool]:
    """The day to show and whether it was moved on: same-day booking is not allowed, so today is often empty."""
    day = _day()
    if request.args.get("date") or _bookings().bookings_on(day):
        return day, False
    later = _bookings().next_day_with_bookings(day)
    return (later, True) if later else (day, False)


def appointments_page() -> str:
    day, moved = _opening_day()
    bookings = _bookings().bookings_on(day, include_cancelled=True)
    services = {s.code: s.name("zh") for s in store().bookings.services()}
    counts = {k: sum(1 for b in bookings if b.status == k) for k in ATTENDANCE_LABELS}
    return render_template("staff/appointments.html", day=day, day_label=weekday_label(day), bookings=bookings,
                           services=services, labels=ATTENDANCE_LABELS, counts=counts,
                           prev_day=day - timedelta(days=1), next_day=day + timedelta(days=1),
                           today=store().clock.local().date(), moved=moved, short_day=format_day(day))


def attendance(booking_no: str) -> Any:
    from handlers.booking.store import BookingRefused

    status = request.form.get("status", "")
    found = store().bookings.get(booking_no)
    if found is not None and not can_see_office(found.office_id):
        abort(404)  # another office's appointment
    try:
        booking = store().bookings.mark_attendance(booking_no, status)
    except (BookingRefused, ValueError) as exc:
        reason = getattr(exc, "reason", str(exc))
        messages = {"not_yet": "預約時間還沒到，不能標記未到。", "not_active": "這筆預約已取消。",
                    "not_found": "找不到這筆預約。"}
        flash(messages.get(reason, f"無法更新（{reason}）。"), "error")
        return redirect(url_for("staff.appointments", date=_day().isoformat()))
    audit("attendance", booking.booking_no, status, office=booking.office_id)
    if booking.status == "arrived":
        end = datetime.combine(booking.day, booking.end, tzinfo=store().clock.tz)
        invite_after_visit(store(), booking.user_id, booking.booking_no, office_id=booking.office_id,
                           due=max(end, store().clock.now()) + SURVEY_DELAY)
    flash(f"{booking.booking_no}：{ATTENDANCE_LABELS.get(booking.status, booking.status)}。")
    return redirect(url_for("staff.appointments", date=booking.day.isoformat()))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/appointments", "appointments", appointments_page)
    bp.add_url_rule("/appointments/<booking_no>/attendance", "attendance", attendance, methods=["POST"])
