"""The survey after a visit: a clock job for appointments marked arrived elsewhere than the staff web."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from handlers.survey import invite_after_visit

if TYPE_CHECKING:
    from bot.services import Services

SURVEY_DELAY = timedelta(minutes=30)


def survey_attended_visits(services: "Services", now: datetime) -> int:
    """A satisfaction survey for each appointment marked arrived today, 30 minutes after it ends.

    The staff web queues it when staff tap 已報到; this also covers arrivals marked elsewhere (the
    command line). Surveys are unique per booking, so running twice queues nothing new.
    """
    store = services.store
    today = now.astimezone(store.clock.tz).date()
    queued = 0
    for booking in store.bookings.bookings_on(today):
        if booking.status != "arrived" or store.surveys.for_source("booking", booking.booking_no):
            continue
        end = datetime.combine(booking.day, booking.end, tzinfo=store.clock.tz)
        if invite_after_visit(store, booking.user_id, booking.booking_no, due=max(end, now) + SURVEY_DELAY,
                              office_id=booking.office_id):
            queued += 1
    return queued
