"""What every staff page shares: the services, the signed-in account, labels, times, the audit trail."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app, g, request

from bot.clock import parse_iso
from bot.jobs import DISPATCH_ID
from bot.masking import mask, mask_phone
from bot.store.staff import StaffAccount

ACTION_LABELS = {
    "login": "登入", "login_failed": "登入失敗", "login_lockout": "登入鎖定", "logout": "登出",
    "signout_everywhere": "登出自己所有裝置", "account_signout": "登出帳號所有裝置", "view_thread": "檢視案件",
    "view_phone": "查看完整電話", "view_address": "查看完整地址", "reply": "回覆市民", "note": "內部備註", "assign": "指派",
    "close": "結案", "reopen": "重新開啟", "canned_add": "新增罐頭回覆", "canned_remove": "刪除罐頭回覆",
    "account_add": "新增帳號", "account_disable": "停用帳號", "account_enable": "啟用帳號",
    "account_admin": "變更管理員權限", "account_password": "重設密碼", "password_change": "變更自己的密碼",
    "case_status": "更新案件狀態", "case_unlock": "解除案件查詢鎖定", "attendance": "報到／未到", "kb_suggest": "知識庫建議", "kb_dismiss": "略過問題",
    "kb_reload": "重新載入知識庫", "export_csv": "匯出 CSV",
    "office_set": "更新機關資訊", "office_clear": "清除機關資訊",
}
WEEKDAYS = "一二三四五六日"


def services() -> Any:
    return current_app.extensions["services"]


def store() -> Any:
    return services().store


def me() -> StaffAccount:
    return g.staff


def visible_offices(wanted: str = "") -> tuple[str, ...] | None:
    """The office ids whose records this account sees ("" stands for the first office); None: every office.

    An account with an office sees that office only; a city-wide account sees all, or the one it picked.
    """
    offices = services().offices
    office_id = me().office_id or wanted
    if not office_id or offices is None or offices.office(office_id) is None:
        return None if not me().office_id else (me().office_id,)
    return ("", office_id) if office_id == offices.first.id else (office_id,)


def office_names() -> dict[str, str]:
    """Office id -> its name as staff read it ("" is the first office); empty with one office."""
    offices = services().offices
    if offices is None or not offices.several:
        return {}
    names = {office.id: services().office_name(office) for office in offices.offices}
    names[""] = names[offices.first.id]
    return names


def office_view(wanted: str = "") -> str | None:
    """The one office id ("" for the first) a page of single-office records shows; None: every office's."""
    shown = visible_offices(wanted)
    if shown is None:
        return None
    return "" if "" in shown else shown[0]


def office_rules(office_id: str) -> Any:
    """The booking rules file of an office ("" is the first office); None: the deployment's rules."""
    offices = services().offices
    if offices is None:
        return None
    office = offices.by_stored_id(office_id)
    return office.booking_rules if office is not None else None


def can_see_office(office_id: str) -> bool:
    shown = visible_offices()
    return shown is None or office_id in shown


def stored_office(office_id: str) -> str:
    """An office id as office_id columns store it: "" for the first office (and for none or an unknown one)."""
    offices = services().offices
    return "" if offices is None else offices.stored_id(offices.office(office_id))


def audit(action: str, target: Any = "", detail: str = "", actor: str | None = None,
          office: str | None = None) -> None:
    """Record a staff action with who, from where and for which office.

    office: the stored office id of the thing acted on (a thread's, a booking's); None: the account's own
    office, so a clerk's logins and settings show on their office's audit page ("" when city-wide).
    """
    account = getattr(g, "staff", None)
    who = actor if actor is not None else (account.username if account else "-")
    if office is None:
        office = stored_office(account.office_id) if account else ""
    store().audit.record(who, action, str(target), detail, request.remote_addr or "", office_id=office)


def deliver_now_if_simulated() -> None:
    """In simulator mode there is no clock process: send what a staff action queued at once."""
    if services().config.simulator:
        services().run_job(DISPATCH_ID, store().clock.now())


def local(stamp: str | datetime | None, fmt: str = "%m/%d %H:%M") -> str:
    """A stored UTC stamp as the office's local time."""
    if not stamp:
        return ""
    when = parse_iso(stamp) if isinstance(stamp, str) else stamp
    return when.astimezone(store().clock.tz).strftime(fmt)


def local_day(stamp: str | datetime | None) -> str:
    if not stamp:
        return ""
    when = parse_iso(stamp) if isinstance(stamp, str) else stamp
    day = when.astimezone(store().clock.tz)
    return f"{day:%Y/%m/%d}（{WEEKDAYS[day.weekday()]}）{day:%H:%M}"


def weekday_label(day: date) -> str:
    return f"{day:%Y/%m/%d}（{WEEKDAYS[day.weekday()]}）"


def template_helpers() -> dict[str, Any]:
    """Names every staff template may use."""
    return {
        "me": getattr(g, "staff", None),
        "OFFICE_NAMES": office_names(),
        "ACTION_LABELS": ACTION_LABELS,
        "local": local,
        "local_day": local_day,
        "mask_phone": mask_phone,
        "mask": mask,
        "now": store().clock.now(),
    }
