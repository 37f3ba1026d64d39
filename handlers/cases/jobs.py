"""Pickup reminders: ready documents not collected after PICKUP_REMINDER_DAYS, and one before the deadline."""
from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.clock import iso
from handlers.cases.store import Case
from handlers.cases.notices import pickup_reminder

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

# A reminder more than this late (the clock process was down) is skipped rather than sent stale.
MAX_LATENESS = timedelta(days=2)
# The last reminder goes out at this office time on the day before the pickup deadline.
LAST_REMINDER_AT = time(10, 0)


def reminder_days(spec: str) -> list[int]:
    """PICKUP_REMINDER_DAYS such as "3,7" -> [3, 7]; blanks and nonsense are ignored."""
    days = set()
    for part in (spec or "").replace("，", ",").split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) <= 365:
            days.add(int(part))
        elif part:
            log.warning("PICKUP_REMINDER_DAYS: ignoring %r", part)
    return sorted(days)


def due_reminders(case: Case, following_since: datetime, now: datetime, days: list[int],
                  tz: ZoneInfo) -> list[tuple[str, datetime]]:
    """Which reminders (label, due time) one follower of a ready case should get now."""
    if case.status != "ready" or case.ready_since is None:
        return []
    start = max(case.ready_since, following_since)

    def fresh(due: datetime) -> bool:
        return start < due <= now and now - due <= MAX_LATENESS

    last_due = deadline_end = None
    if case.pickup_by:
        last_due = datetime.combine(case.pickup_by - timedelta(days=1), LAST_REMINDER_AT, tzinfo=tz)
        deadline_end = datetime.combine(case.pickup_by + timedelta(days=1), time(0), tzinfo=tz)
    by_day = [(f"d{n}", case.ready_since + timedelta(days=n)) for n in days]
    if last_due:  # the last reminder covers the days around the deadline
        by_day = [(label, due) for label, due in by_day if due.astimezone(tz).date() < last_due.date()]
    found = [(label, due) for label, due in by_day if fresh(due)][-1:]
    if last_due and deadline_end and fresh(last_due) and now < deadline_end:
        found.append(("last", last_due))
    return found


def create_pickup_reminders(services: "Services", now: datetime) -> int:
    """Queue the reminders that are due; each (case, readiness, user, reminder) is queued once."""
    store = services.store
    days = reminder_days(services.config.pickup_reminder_days)
    queued = 0
    for case, user_id, lang, since in store.cases.ready_followers():
        for label, _due in due_reminders(case, since, now, days, store.cases.tz):
            row = store.outbox.enqueue(
                user_id, pickup_reminder(case, lang, last=label == "last"), kind="case.reminder",
                dedupe_key=f"pickup:{case.key}:{iso(case.ready_since or now)}:{user_id}:{label}", ref=case.ref,
            )
            queued += row is not None
    if queued:
        log.info("queued %s pickup reminder(s)", queued)
    return queued


def forget_failed_lookups(services: "Services", now: datetime) -> int:
    """Failed case lookups are only needed while they may still lock someone out."""
    return services.store.cases.forget_failed_lookups(days=1)
