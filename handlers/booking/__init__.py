"""Counter appointments: book by taps (or typed dates and times), then see, reschedule and cancel.

預約臨櫃 -> SERVICE -> CHECKLIST -> DATE -> TIME -> PRIORITY -> NAME (-> PHONE) -> CONFIRM -> booked.
Rescheduling (改期 on a booking) runs DATE -> TIME -> CONFIRM with the booking number in the data.
Buttons inside the flow are session-bound; 改期 / 取消 on a booking are global (they name the booking).
The steps: flow.py (dates: dates.py); 我的預約, 改期, 取消: manage.py; messages: views.py; words:
texts.py; the reminder job and closing a day: jobs.py; the staff day list: staff.py; the `bookings`
verbs: commands.py; what the kernel is told: feature.py. Rules: knowledge/booking_rules.yaml and
handlers/booking/calendar.py; the store: handlers/booking/store.py.
"""
from __future__ import annotations

from bot.routes import Routes, leaving, words
from handlers.booking.flow import (CHECKLIST, CONFIRM, DATE, NAME, PHONE, PRIORITY, SERVICE, TIME, State, on_confirm,
                                   on_contact_new, on_contact_same, on_day, on_docs_ok, on_other_day, on_other_service,
                                   on_priority, on_service, on_time, start, typed_checklist, typed_confirm, typed_day,
                                   typed_name, typed_phone, typed_priority, typed_service, typed_time)
from handlers.booking.manage import my_bookings, on_cancel, on_cancel_yes, on_keep, on_reschedule
from handlers.core import texts as core_texts

__all__ = ["CHECKLIST", "CONFIRM", "DATE", "NAME", "PHONE", "PRIORITY", "ROUTES", "SERVICE", "TIME",
           "my_bookings", "start"]

START_WORDS = ("預約", "booking", "book", "預約臨櫃服務", "線上預約")
MINE_WORDS = ("my booking", "查詢預約", "預約查詢", "取消預約", "改期", "bookings")

ROUTES = Routes(
    commands={
        **words(core_texts, "menu.booking", start, extra=START_WORDS),
        **words(core_texts, "menu.my_bookings", my_bookings, extra=MINE_WORDS),
    },
    postbacks={
        "booking.service": on_service,
        "booking.other_service": on_other_service,
        "booking.docs_ok": on_docs_ok,
        "booking.day": on_day,
        "booking.other_day": on_other_day,
        "booking.time": on_time,
        "booking.priority": on_priority,
        "booking.contact_same": on_contact_same,
        "booking.contact_new": on_contact_new,
        "booking.confirm": on_confirm,
        "booking.cancel": on_cancel,
        "booking.cancel_yes": on_cancel_yes,
        "booking.keep": on_keep,
        "booking.reschedule": on_reschedule,
    },
    states={
        SERVICE: typed_service,
        CHECKLIST: typed_checklist,
        DATE: typed_day,
        TIME: typed_time,
        PRIORITY: typed_priority,
        NAME: typed_name,
        PHONE: typed_phone,
        CONFIRM: typed_confirm,
    },
    leave_on_command=leaving(*State),
    flow_states=(State,),
)
