"""The cases feature: 案件進度 lookups and notices, the staff case pages, POST /api/cases, `cases` verbs."""
from __future__ import annotations

from bot.feature import Feature, WebRoutes
from bot.jobs import TICK, Job, daily
from handlers.cases import ROUTES, api, commands, staff
from handlers.cases.jobs import create_pickup_reminders, forget_failed_lookups
from handlers.cases.store import PART


def _api() -> WebRoutes:
    return WebRoutes(api.bp, csrf_exempt=True)


FEATURE = Feature(
    "cases",
    flows=(ROUTES,),
    store_parts=(PART,),
    staff_pages=(staff.register,),
    web=(_api,),
    cli_verbs=(commands.register,),
    jobs=(Job("cases.pickup_reminders", create_pickup_reminders, TICK),
          Job("maintenance.forget_failed_lookups", forget_failed_lookups, daily("03:30"))),
)
