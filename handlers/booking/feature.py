"""The booking feature: counter appointments, their reminders, the staff day list, `bookings` verbs."""
from __future__ import annotations

from bot.feature import Feature
from bot.jobs import TICK, Job
from handlers.booking import ROUTES, commands, staff
from handlers.booking.jobs import booking_reminders
from handlers.booking.store import PART

FEATURE = Feature(
    "booking",
    flows=(ROUTES,),
    store_parts=(PART,),
    staff_pages=(staff.register,),
    cli_verbs=(commands.register,),
    jobs=(Job("bookings.reminders", booking_reminders, TICK),),
)
