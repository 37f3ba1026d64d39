"""The outbox dispatcher: claim due rows, push each with its retry key, settle it exactly once."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING

from bot.line_client import LineApiError, LineClient
from bot.messages import plain_text
from bot.store import Store
from bot.store.outbox import LEASE_SECONDS, OutboxRow

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

BATCH = 40
WORKERS = 4
MAX_ROWS_PER_RUN = 5000


@dataclass
class DispatchReport:
    """What one dispatch run did with the rows it claimed."""

    sent: int = 0
    already: int = 0  # 409: LINE had accepted this retry key before (e.g. before a crash)
    retried: int = 0
    dead: int = 0
    skipped: int = 0
    lost: int = 0  # the claim ran out and another dispatcher took the row

    @property
    def handled(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))

    def add(self, other: "DispatchReport") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def dispatch_due(services: "Services", now: datetime, *, batch: int = BATCH, max_rows: int = MAX_ROWS_PER_RUN,
                 workers: int = WORKERS) -> DispatchReport:
    """Send every row due at `now` (up to max_rows); retries wait for a later run.

    Rows are claimed in batches; within a batch, different recipients are pushed in parallel
    (`workers` threads) while each recipient's rows go one after another, in order.
    """
    store = services.store
    lease = max(LEASE_SECONDS, int(batch * services.config.line_timeout_seconds * 2))
    report = DispatchReport()
    pool = ThreadPoolExecutor(workers, thread_name_prefix="dispatch") if workers > 1 else None
    try:
        while report.handled < max_rows:
            moment = max(now, store.clock.now())  # a long run keeps its leases honest
            rows = store.outbox.claim_due(moment, limit=min(batch, max_rows - report.handled), lease_seconds=lease)
            if not rows:
                break
            by_recipient: dict[str, list[OutboxRow]] = {}
            for row in rows:
                by_recipient.setdefault(row.to, []).append(row)
            groups = list(by_recipient.values())
            results = pool.map(lambda g: _send_all(services, g), groups) if pool else map(
                lambda g: _send_all(services, g), groups)
            for result in results:
                report.add(result)
    finally:
        if pool:
            pool.shutdown(wait=True)
    if report.handled:
        log.info("dispatch: %s", report)
    return report


def _send_all(services: "Services", rows: list[OutboxRow]) -> DispatchReport:
    report = DispatchReport()
    for row in rows:
        send_row(services.store, services.line_for(row.line_channel), row, report)
    return report


def send_row(store: Store, line: LineClient, row: OutboxRow, report: DispatchReport) -> None:
    """Push one claimed row and record what happened."""
    if not _reachable(store, row.to):
        _count(report, "skipped" if store.outbox.mark_skipped(row, "recipient unfollowed") else "lost")
        return
    try:
        accepted = line.push(row.to, row.messages, retry_key=row.retry_key)
    except LineApiError as exc:
        outcome = store.outbox.mark_failed(row, exc.status, exc.detail, retryable=exc.retryable)
        _count(report, {"retry": "retried"}.get(outcome, outcome))
        return
    except Exception as exc:  # noqa: BLE001 - a row the SDK cannot even send must not stop the others
        log.exception("outbox row %s could not be pushed", row.id)
        _count(report, store.outbox.mark_failed(row, 0, type(exc).__name__, retryable=False))
        return
    if not store.outbox.mark_sent(row, already=not accepted):
        _count(report, "lost")
        return
    _count(report, "sent" if accepted else "already")
    if row.to.startswith("U"):
        for message in row.messages:
            store.messages.add(row.to, "out", f"push:{row.kind}", plain_text(message))


def _reachable(store: Store, to: str) -> bool:
    """Users who unfollowed get nothing; groups and unknown ids are tried."""
    user = store.users.get(to) if to.startswith("U") else None
    return user is None or user.active


def _count(report: DispatchReport, outcome: str) -> None:
    setattr(report, outcome, getattr(report, outcome) + 1)
