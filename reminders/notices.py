"""The words about a case: the status card a citizen sees, and the notices pushed later."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot import messages as m
from bot import palette
from bot.context import t
from bot.store.cases import Case, status_label
from handlers.texts import progress as texts

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


def next_steps(case: Case, lang: str) -> list[str]:
    """What the citizen should do now, given the status."""
    if case.status == "need_documents":
        key = "next.need_documents" if case.missing else "next.need_documents_unknown"
        return [t(texts, lang, key, missing=case.missing)]
    lines = [t(texts, lang, f"next.{case.status}")]
    if case.status == "ready":
        lines.append(t(texts, lang, "bring"))
        if case.pickup_by:
            lines.append(t(texts, lang, "pickup_by", date=day(case.pickup_by)))
    return lines


def status_card(case: Case, lang: str, tz: ZoneInfo, actions: list[m.Action] | None = None,
                title_key: str = "card.title") -> m.Message:
    """A flex bubble: status, last update and next steps, coloured by status."""
    label = status_label(case.status, lang)
    lines = [
        t(texts, lang, "card.service", service=case.service),
        t(texts, lang, "card.status", status=label),
        t(texts, lang, "card.updated", when=local_time(case.updated_at, tz)),
        *next_steps(case, lang),
    ]
    bubble = m.bubble(t(texts, lang, title_key), lines, actions,
                      subtitle=t(texts, lang, "card.subtitle", case_no=case.case_no),
                      color=STATUS_COLORS.get(case.status, palette.GREEN))
    alt = f"{t(texts, lang, 'card.subtitle', case_no=case.case_no)}: {label}"
    return m.flex(alt, bubble)


def status_notice(case: Case, lang: str, tz: ZoneInfo) -> list[m.Message]:
    """The push when a followed case becomes ready or needs documents."""
    if case.status == "ready":
        card = status_card(case, lang, tz, title_key="notice.ready.title")
        card["altText"] = t(texts, lang, "notice.ready.alt", case_no=case.case_no)
        return [card]
    key = "notice.need_documents" if case.missing else "notice.need_documents_unknown"
    return [m.text(t(texts, lang, key, case_no=case.case_no, service=case.service, missing=case.missing))]


def pickup_reminder(case: Case, lang: str, *, last: bool) -> list[m.Message]:
    """A reminder that ready documents are still waiting (last=True: the deadline is near)."""
    values = {"case_no": case.case_no, "service": case.service,
              "date": day(case.pickup_by) if case.pickup_by else ""}
    body = t(texts, lang, "reminder.last" if last else "reminder.day", **values)
    return [m.text(f"{body}\n{t(texts, lang, 'bring')}")]
