"""The words about a case: the status card a citizen sees, and the notices pushed later."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bot import messages as m
from bot import palette
from bot.context import t
from handlers.cases.store import Case, UpdateResult, status_label
from handlers.core import texts as core_texts
from handlers.cases import texts

if TYPE_CHECKING:
    from bot.store import Store

STATUS_COLORS = {
    "received": palette.SLATE_BLUE,
    "reviewing": palette.OCEAN,
    "need_documents": palette.ORANGE,
    "ready": palette.GREEN,
    "picked_up": palette.GREY,
    "cancelled": palette.GREY,
}


def local_time(when: datetime, tz: ZoneInfo) -> str:
    return when.astimezone(tz).strftime("%Y/%m/%d %H:%M")


def day(value: date) -> str:
    return value.strftime("%Y/%m/%d")


def next_steps(case: Case, lang: str, office: Any = None) -> list[str]:
    """What the citizen should do now, given the status (with where and when, once the office is known)."""
    if case.status == "need_documents":
        key = "next.need_documents" if case.missing else "next.need_documents_unknown"
        lines = [t(texts, lang, key, missing=case.missing)]
    else:
        lines = [t(texts, lang, f"next.{case.status}")]
    if case.status == "ready":
        lines.append(t(texts, lang, "bring"))
        if case.pickup_by:
            lines.append(t(texts, lang, "pickup_by", date=day(case.pickup_by)))
    if office is not None and case.status in ("ready", "need_documents"):
        lines.append(t(texts, lang, "card.hours", hours=office.get("hours", lang)))
        lines.append(t(texts, lang, "card.address", address=office.get("address", lang)))
    return lines


def pickup_actions(case: Case, lang: str, office: Any, following: bool = True) -> list[m.Action]:
    """The next actions for documents waiting at the counter: the way there, the hours, and stopping the notices."""
    from handlers.info import map_url  # the one map link, as 服務資訊 gives it

    info = t(core_texts, lang, "menu.info")
    actions = [m.uri_action(t(texts, lang, "btn.map"), map_url(office)), m.message_action(info, info)]
    if following:
        stop = t(texts, lang, "stop")
        actions.append(m.postback_action(stop, urlencode({"a": "progress.unfollow", "case": case.case_no}), stop))
    return actions


def status_card(case: Case, lang: str, tz: ZoneInfo, actions: list[m.Action] | None = None,
                title_key: str = "card.title", office: Any = None) -> m.Message:
    """A flex bubble: status, last update and next steps, coloured by status."""
    label = status_label(case.status, lang)
    lines = [
        t(texts, lang, "card.service", service=case.service),
        t(texts, lang, "card.status", status=label),
        t(texts, lang, "card.updated", when=local_time(case.updated_at, tz)),
        *next_steps(case, lang, office),
    ]
    bubble = m.bubble(t(texts, lang, title_key), lines, actions,
                      subtitle=t(texts, lang, "card.subtitle", case_no=case.case_no),
                      color=STATUS_COLORS.get(case.status, palette.GREEN))
    alt = f"{t(texts, lang, 'card.subtitle', case_no=case.case_no)}: {label}"
    return m.flex(alt, bubble)


def status_notice(case: Case, lang: str, tz: ZoneInfo, office: Any = None) -> list[m.Message]:
    """The push when a followed case becomes ready or needs documents.

    The ready card carries its next actions (地圖, 服務資訊, 取消通知) and, once staff confirmed the
    office's coordinates, LINE's location message follows it.
    """
    if case.status == "ready":
        actions = pickup_actions(case, lang, office) if office is not None else None
        card = status_card(case, lang, tz, actions, title_key="notice.ready.title", office=office)
        card["altText"] = t(texts, lang, "notice.ready.alt", case_no=case.case_no)
        from handlers.info import location_message

        pin = location_message(office, lang) if office is not None else None
        return [card, pin] if pin else [card]
    key = "notice.need_documents" if case.missing else "notice.need_documents_unknown"
    return [m.text(t(texts, lang, key, case_no=case.case_no, service=case.service, missing=case.missing))]


def pickup_reminder(case: Case, lang: str, *, last: bool) -> list[m.Message]:
    """A reminder that ready documents are still waiting (last=True: the deadline is near)."""
    values = {"case_no": case.case_no, "service": case.service,
              "date": day(case.pickup_by) if case.pickup_by else ""}
    body = t(texts, lang, "reminder.last" if last else "reminder.day", **values)
    return [m.text(f"{body}\n{t(texts, lang, 'bring')}")]


def update_case(store: "Store", case_no: str, status: str, *, office_id: str = "", office: Any = None,
                **fields: Any) -> UpdateResult:
    """Change a case of an office ("" the first; the CSV import, POST /api/cases, the staff web) and, in
    the same transaction, queue the status notice to each follower when one is due (see store.py).
    `office`: the details the notice quotes (`office_details`); None: the first office's."""
    cases = store.cases.for_office(office_id)
    with store.transaction():
        result = cases.apply_update(case_no, status, **fields)
        if result.notice_due is None:
            return result
        notices = queue_status_notices(store, result.notice_due, result.history_id, office)
    return replace(result, notices=notices)


def stored_office(services: Any, given: Any) -> str:
    """The office_id the cases of an office named in an import or API item carry ("" the first office);
    CaseError for an id OFFICES_FILE does not list."""
    from bot.offices import OfficesError, stored_id_named
    from handlers.cases.store import CaseError

    try:
        return stored_id_named(services.offices, given)
    except OfficesError as exc:
        raise CaseError([str(exc)]) from None


def office_details(services: Any, office_id: str) -> Any:
    """The details notices about an office's cases quote; None for the first office (its confirmed details)."""
    offices = services.offices
    return None if offices is None else services.office_details(offices.by_stored_id(office_id))


def queue_status_notices(store: "Store", case: Case, history_id: int | None, office: Any = None) -> int:
    """One notice per active follower, once per history row (the dedupe key), filed under the case."""
    office = office if office is not None else store.office.current()
    queued = 0
    for user_id, lang, _ in store.cases.for_office(case.office_id).followers(case.case_no):
        row = store.outbox.enqueue(user_id, status_notice(case, lang, store.cases.tz, office),
                                   kind=f"case.{case.status}", dedupe_key=f"case-notice:{history_id}:{user_id}",
                                   ref=case.ref)
        queued += row is not None
    return queued
