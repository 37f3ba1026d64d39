"""The morning chase: overdue inbox threads, grouped by assignee, told to staff once per working day.

Declared in the inbox FEATURE: Job("inbox.chase_overdue", chase_overdue, daily("08:30")).
The note goes to the staff web (staff notes) and, when STAFF_LINE_GROUP_ID is set, to that LINE
group through the outbox (store.outbox.notify_staff); its once_key makes a second run that day a no-op.
With several offices (OFFICES_FILE) each office with overdue threads gets its own note, headed with its
name and keyed by office and day, pushed to the office's own staff group (staff_group_env) through its
bot when it has one.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.workdays import format_day
from handlers.inbox.kinds import KIND_LABELS
from handlers.inbox.store import Thread

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

MAX_LISTED = 30


def chase_overdue(services: "Services", now: datetime) -> int:
    """Tell staff which threads are overdue (on working days); returns how many were listed."""
    store = services.store
    today = now.astimezone(store.clock.tz).date()
    if not store.inbox.calendar.is_workday(today):
        return 0
    overdue = store.inbox.overdue(now)
    if not overdue:
        return 0
    offices = services.offices
    if offices is None or not offices.several:  # one office: one note, exactly as before offices existed
        store.outbox.notify_staff(chase_text(store, overdue, now), once_key=f"inbox-chase:{today.isoformat()}")
    else:
        for office, threads in _by_office(offices, overdue):
            # One once-key per office and day: a rerun is a no-op, yet one office's note never stops another's.
            store.outbox.notify_staff(
                chase_text(store, threads, now, services.office_name(office)),
                once_key=f"inbox-chase:{office.id}:{today.isoformat()}",
                group=office.staff_group or None,
                channel=office.channel if office.staff_group else None)
    log.info("inbox chase: %s overdue thread(s)", len(overdue))
    return len(overdue)


def _by_office(offices: Any, threads: list[Thread]) -> list[tuple[Any, list[Thread]]]:
    """The overdue threads of each office, in the order of OFFICES_FILE ("" and unknown ids: the first)."""
    groups: dict[str, list[Thread]] = defaultdict(list)
    for thread in threads:
        office = offices.by_stored_id(thread.office_id) or offices.first
        groups[office.id].append(thread)
    return [(office, groups[office.id]) for office in offices.offices if office.id in groups]


def chase_text(store: object, threads: list[Thread], now: datetime, office_name: str = "") -> str:
    """The reminder, one line per thread under its assignee (unassigned first); headed with the office's
    name when there are several offices."""
    tz = store.clock.tz  # type: ignore[attr-defined]
    names = {a.username: a.name for a in store.staff.all()}  # type: ignore[attr-defined]
    groups: dict[str, list[Thread]] = defaultdict(list)
    for thread in threads:
        groups[thread.assignee or ""].append(thread)
    heading = f"【逾期案件提醒】{office_name} " if office_name else "【逾期案件提醒】"
    lines = [f"{heading}{format_day(now.astimezone(tz).date())}",
             f"共 {len(threads)} 件已超過回覆期限："]
    listed = 0
    for assignee in sorted(groups, key=lambda a: (a != "", a)):
        who = names.get(assignee, assignee) if assignee else "未指派"
        for thread in groups[assignee]:
            if listed == MAX_LISTED:
                break
            due = thread.due.astimezone(tz)
            lines.append(f"・{who}：{thread.ref}（{KIND_LABELS.get(thread.kind, thread.kind)}，"
                         f"期限 {format_day(due.date())} {due:%H:%M}）")
            listed += 1
    if len(threads) > listed:
        lines.append(f"…另有 {len(threads) - listed} 件")
    lines.append("請到同仁後台「收件匣 › 逾期」處理。")
    return "\n".join(lines)
