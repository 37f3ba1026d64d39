"""The kinds of inbox thread, in one table: reference prefix, staff label, working days to answer.

A new kind (an inbox flow like 申訴) is one row here: the threads table holds any kind (migration 90
dropped its CHECK constraint), the staff pages, the dashboard and the deadlines read this table, and
INBOX_DUE_DAYS ("complaint=10") overrides a kind's days.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.workdays import days_per_name


@dataclass(frozen=True)
class ThreadKind:
    name: str
    prefix: str  # the reference number's letter: C-2026-0001
    label: str  # as staff read it
    due_days: int  # working days the office gives itself to answer


THREAD_KINDS: tuple[ThreadKind, ...] = (
    ThreadKind("question", "Q", "一般問題", 1),
    ThreadKind("complaint", "C", "意見反映", 6),
    ThreadKind("home_visit", "H", "行動戶政所", 3),
)
KINDS: tuple[str, ...] = tuple(k.name for k in THREAD_KINDS)
PREFIXES: dict[str, str] = {k.name: k.prefix for k in THREAD_KINDS}
KIND_LABELS: dict[str, str] = {k.name: k.label for k in THREAD_KINDS}


def due_days(setting: str = "") -> dict[str, int]:
    """Working days allowed per kind: the table's, overridden by INBOX_DUE_DAYS ("question=1,complaint=6")."""
    return days_per_name(setting, {k.name: k.due_days for k in THREAD_KINDS})


# How staff read a thread's status, category and authors (the staff templates' names).
STATUS_LABELS = {
    "new": "新進",
    "assigned": "已指派",
    "waiting": "等待市民回覆",
    "replied": "已回覆",
    "closed": "已結案",
}
CATEGORY_LABELS = {
    "attitude": "服務態度", "process": "流程", "environment": "環境", "suggestion": "建議", "other": "其他",
    "senior": "65歲以上行動不便", "disabled": "身心障礙", "hospital": "住院或安養中",
}
AUTHOR_LABELS = {"citizen": "市民", "staff": "承辦同仁", "note": "內部備註", "system": "系統"}


def template_labels() -> dict[str, dict[str, str]]:
    return {"STATUS_LABELS": STATUS_LABELS, "KIND_LABELS": KIND_LABELS, "CATEGORY_LABELS": CATEGORY_LABELS,
            "AUTHOR_LABELS": AUTHOR_LABELS}
