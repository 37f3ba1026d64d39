"""The dashboard's figures, read from the store: one function for the page and the CSV export."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable

from bot.clock import iso
from bot.masking import mask
from bot.store import in_offices
from handlers.inbox.kinds import KINDS
from handlers.inbox.store import COMPLAINT_CATEGORIES
from bot.store.errors import StoreError

log = logging.getLogger(__name__)

UPCOMING_DAYS = 30        # as far ahead as a holiday booking may be made
UPCOMING_CHART_DAYS = 14


@dataclass
class Figures:
    days: int
    first_day: date
    last_day: date
    messages_per_day: list[tuple[date, int, int]]  # (day, messages in, citizens)
    faq: dict[str, Any]
    top_questions: list[tuple[str, int]]
    unmatched: list[tuple[str, int]]
    threads_by_kind: dict[str, int]
    complaints_by_category: dict[str, int]
    overdue_now: int
    open_now: int
    on_time: tuple[int, int]
    survey: Any
    bookings: dict[str, int] = field(default_factory=dict)
    bookings_per_day: list[tuple[date, int, int]] = field(default_factory=list)  # (day, booked, no-shows)
    # Ahead of today, counted apart: a past period alone says 「預約 0」 while next week is full.
    upcoming: int = 0
    upcoming_per_day: list[tuple[date, int, int]] = field(default_factory=list)
    next_day: tuple[date, int] | None = None  # the next day with bookings, and how many

    @property
    def messages_total(self) -> int:
        return sum(n for _, n, _ in self.messages_per_day)

    @property
    def on_time_rate(self) -> float | None:
        answered_on_time, answered = self.on_time
        return 100 * answered_on_time / answered if answered else None

    @property
    def no_show_rate(self) -> float | None:
        done = self.bookings.get("arrived", 0) + self.bookings.get("no_show", 0)
        return 100 * self.bookings.get("no_show", 0) / done if done else None


def compute(store: Any, knowledge: Any, days: int = 30, offices: tuple[str, ...] | None = None,
            office: str | None = None, deployment: Any = None) -> Figures:
    """Everything the dashboard shows for the last `days` days (office calendar): of every office, or of
    `offices` (their ids, "" for the first office; `office` the one their bookings are kept under).

    deployment: the bot.offices.Offices, which says whose office a citizen's messages count for."""
    bookings = store.bookings if office is None else store.bookings.for_office(office)
    now = store.clock.now()
    today = now.astimezone(store.clock.tz).date()
    first_day = today - timedelta(days=days - 1)
    since = iso(datetime.combine(first_day, datetime.min.time(), tzinfo=store.clock.tz))
    faq = _faq(store, days, offices)
    return Figures(
        days=days,
        first_day=first_day,
        last_day=today,
        messages_per_day=_messages_per_day(store, first_day, today, since,
                                           offices if deployment is not None else None, deployment),
        faq=faq,
        top_questions=[(_question(knowledge, entry_id), n) for entry_id, n in faq.get("top", [])],
        unmatched=[(mask(u["text"]), u["count"])
                   for u in _quietly(lambda: store.faq.unmatched(limit=10, days=days, offices=offices), [],
                                     "unmatched questions")],
        threads_by_kind=store.inbox.kinds_since(since, offices),
        complaints_by_category=store.inbox.complaints_by_category(since, offices),
        overdue_now=len(store.inbox.overdue(offices=offices)),
        open_now=sum(v for k, v in store.inbox.status_counts(offices).items() if k not in ("closed", "overdue")),
        on_time=store.inbox.answered_on_time(since, offices),
        survey=store.surveys.summary(since, offices),
        bookings=_bookings(bookings, first_day, today),
        bookings_per_day=_bookings_per_day(bookings, first_day, today),
        upcoming=_bookings(bookings, today + timedelta(days=1), today + timedelta(days=UPCOMING_DAYS))["booked"],
        upcoming_per_day=_bookings_per_day(bookings, today + timedelta(days=1),
                                           today + timedelta(days=UPCOMING_CHART_DAYS)),
        next_day=_next_day(bookings, today),
    )


def _utc_offset_hours(store: Any) -> float:
    offset = store.clock.now().astimezone(store.clock.tz).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


def _messages_per_day(store: Any, first: date, last: date, since: str, offices: tuple[str, ...] | None = None,
                      deployment: Any = None) -> list[tuple[date, int, int]]:
    """Citizens' messages and distinct citizens per office day; of some offices' citizens when given."""
    if store.database.dialect == "postgresql":  # a timestamptz: the office's day is asked for by zone name
        day, shift = "to_char(m.created_at AT TIME ZONE ?, 'YYYY-MM-DD')", str(store.clock.tz)
    else:
        day, shift = ("date(replace(replace(m.created_at, 'T', ' '), 'Z', ''), ?)",
                      f"{_utc_offset_hours(store):+g} hours")
    join, scope, params = "", "", []
    if offices is not None:
        # The message log keeps no office: a message counts for the office its citizen deals with now.
        office_of, office_params = deployment.citizen_office_sql("u.channel", "u.office_id")
        join = " LEFT JOIN users u ON u.user_id = m.user_id"
        scope, in_params = in_offices(offices, office_of)
        params = [*office_params, *in_params]
    rows = store.db.execute(
        f"SELECT {day} AS d, COUNT(*), COUNT(DISTINCT m.user_id) "
        f"FROM message_log m{join} WHERE m.direction = 'in' AND m.created_at >= ?{scope} GROUP BY d",
        [shift, since, *params],
    ).fetchall()
    return _every_day(first, last, {r[0]: (r[1], r[2]) for r in rows})


def _quietly(read: Callable[[], Any], default: Any, what: str) -> Any:
    """A figure, or a default when the database cannot answer: the rest of the dashboard still shows."""
    try:
        return read()
    except StoreError:
        log.warning("dashboard: %s unavailable", what)
        return default


def _faq(store: Any, days: int, offices: tuple[str, ...] | None = None) -> dict[str, Any]:
    empty = {"questions": 0, "answered": 0, "ambiguous": 0, "fallback": 0, "answer_rate": 0.0, "top": []}
    return _quietly(lambda: store.faq.figures(days=days, offices=offices), empty, "FAQ figures")


def _question(knowledge: Any, entry_id: str) -> str:
    entry = knowledge.get(entry_id) if knowledge is not None and hasattr(knowledge, "get") else None
    return f"{entry.question('zh')}（{entry_id}）" if entry is not None else str(entry_id)


def _bookings(bookings: Any, first: date, last: date) -> dict[str, int]:
    counts = {"booked": 0, "arrived": 0, "no_show": 0, "cancelled": 0}
    counts.update(_quietly(lambda: bookings.status_counts(first, last), {}, "booking counts"))
    return counts


def _next_day(bookings: Any, today: date) -> tuple[date, int] | None:
    day = _quietly(lambda: bookings.next_day_with_bookings(today), None, "next booked day")
    return (day, len(bookings.bookings_on(day))) if day else None


def _bookings_per_day(bookings: Any, first: date, last: date) -> list[tuple[date, int, int]]:
    by_day = _quietly(lambda: bookings.per_day(first, last), None, "bookings per day")
    return [] if by_day is None else _every_day(first, last, by_day)


def csv_rows(f: Figures, office: str = "all") -> list[list[Any]]:
    """The figures as rows of (section, key, value[, value], office) for the CSV export.

    office: the id of the office the figures are of, or "all" for city-wide totals; every row says it, so
    several offices' exports pasted into one sheet stay apart."""
    rows: list[list[Any]] = [["section", "key", "value", "value2"],
                             ["period", "from", f.first_day.isoformat(), ""],
                             ["period", "to", f.last_day.isoformat(), ""]]
    rows += [["messages_per_day", d.isoformat(), n, users] for d, n, users in f.messages_per_day]
    for key in ("questions", "answered", "ambiguous", "fallback"):
        rows.append(["faq", key, f.faq.get(key, 0), ""])
    rows.append(["faq", "answer_rate_percent", round(100 * f.faq.get("answer_rate", 0.0), 1), ""])
    rows += [["top_questions", q, n, ""] for q, n in f.top_questions]
    rows += [["unmatched", mask(q), n, ""] for q, n in f.unmatched]
    rows += [["threads_by_kind", k, f.threads_by_kind.get(k, 0), ""] for k in KINDS]
    rows += [["complaints_by_category", c, f.complaints_by_category.get(c, 0), ""] for c in COMPLAINT_CATEGORIES]
    rows.append(["inbox", "open_now", f.open_now, ""])
    rows.append(["inbox", "overdue_now", f.overdue_now, ""])
    rows.append(["inbox", "answered_on_time", f.on_time[0], f.on_time[1]])
    rows.append(["satisfaction", "invited", f.survey.invited, ""])
    rows.append(["satisfaction", "answered", f.survey.answered, ""])
    rows.append(["satisfaction", "average", f.survey.average if f.survey.average is not None else "", ""])
    rows += [["satisfaction_distribution", str(r), n, ""] for r, n in f.survey.distribution.items()]
    rows += [["bookings", k, v, ""] for k, v in f.bookings.items()]
    rows += [["bookings_per_day", d.isoformat(), booked, no_show] for d, booked, no_show in f.bookings_per_day]
    rows.append(["bookings_upcoming", f"next_{UPCOMING_DAYS}_days", f.upcoming, ""])
    return [rows[0] + ["office"], *(row + [office] for row in rows[1:])]


def csv_safe(value: Any) -> Any:
    """Text a spreadsheet will not run as a formula (citizens' words end up in here)."""
    # Spreadsheets skip leading blanks before reading "=", so " =1+1" is a formula too.
    if isinstance(value, str) and (value[:1] in ("\t", "\r") or value.lstrip()[:1] in ("=", "+", "-", "@")):
        return "'" + value
    return value


def _every_day(first: date, last: date, by_day: dict[str, tuple[int, int]]) -> list[tuple[date, int, int]]:
    """One row per day from first to last, with (0, 0) for days that had nothing."""
    out = []
    day = first
    while day <= last:
        out.append((day, *by_day.get(day.isoformat(), (0, 0))))
        day += timedelta(days=1)
    return out
