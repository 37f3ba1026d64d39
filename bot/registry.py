"""Every feature, through one list: the app factory, the CLI and the clock read it; nothing else does.

Adding a feature is one package under handlers/ with a `FEATURE = Feature(...)` (bot/feature.py) and
one line in FEATURES. The order matters twice: tick jobs run in it (the outbox dispatch always last),
and it is the order of the CLI's verbs.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from bot import api
from bot.commands import bookings as booking_verbs
from bot.commands import cases as case_verbs
from bot.commands import faq as faq_verbs
from bot.dispatch import Dispatcher
from bot.feature import Feature, WebRoutes
from bot.jobs import DISPATCH_ID, KERNEL_DAILY_JOBS, KERNEL_TICK_JOBS, TICK, Job, daily, unique
from bot.staff import appointments, cases as case_pages, inbox as inbox_pages
from handlers import booking, complaint, core, faq, handoff, home_visit, info, progress, survey
from reminders.booking_jobs import booking_reminders
from reminders.dispatcher import dispatch_due
from reminders.inbox_jobs import chase_overdue, survey_attended_visits
from reminders.pickup import create_pickup_reminders, forget_failed_lookups


def _api() -> WebRoutes:
    return WebRoutes(api.bp, csrf_exempt=True)


FEATURES: tuple[Feature, ...] = (
    core.FEATURE,
    replace(handoff.FEATURE, staff_pages=(inbox_pages.register,),
            jobs=(Job("inbox.chase_overdue", chase_overdue, daily("08:30")),)),
    replace(faq.FEATURE, cli_verbs=(faq_verbs.register,)),
    info.FEATURE,
    replace(progress.FEATURE, staff_pages=(case_pages.register,), web=(_api,), cli_verbs=(case_verbs.register,),
            jobs=(Job("cases.pickup_reminders", create_pickup_reminders, TICK),
                  Job("maintenance.forget_failed_lookups", forget_failed_lookups, daily("03:30")))),
    replace(booking.FEATURE, staff_pages=(appointments.register,), cli_verbs=(booking_verbs.register,),
            jobs=(Job("bookings.reminders", booking_reminders, TICK),)),
    complaint.FEATURE,
    home_visit.FEATURE,
    replace(survey.FEATURE, jobs=(Job("surveys.after_visits", survey_attended_visits, TICK),)),
)


def dispatcher(features: tuple[Feature, ...] = FEATURES) -> Dispatcher:
    """The dispatch table of every feature's routes."""
    return Dispatcher(features)


def all_jobs(features: tuple[Feature, ...] = FEATURES) -> tuple[Job, ...]:
    """What the clock runs: the kernel's tick jobs, the features' jobs, the outbox dispatch, the daily ones."""
    return unique((*KERNEL_TICK_JOBS, *(job for f in features for job in f.jobs),
                   Job(DISPATCH_ID, dispatch_due, TICK), *KERNEL_DAILY_JOBS))


def staff_pages(features: tuple[Feature, ...] = FEATURES) -> tuple[Callable, ...]:
    return tuple(page for f in features for page in f.staff_pages)


def web_routes(features: tuple[Feature, ...] = FEATURES) -> list[WebRoutes]:
    return [make() for f in features for make in f.web]


def cli_verbs(features: tuple[Feature, ...] = FEATURES) -> tuple[Callable, ...]:
    return tuple(verbs for f in features for verbs in f.cli_verbs)
