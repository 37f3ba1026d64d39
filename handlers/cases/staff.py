"""Cases page: find a case and change its status through the cases store (which queues the notices)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from bot.staff.common import audit, deliver_now_if_simulated, me, office_view, services, store, visible_offices
from bot.store.errors import StoreError
from handlers.cases import notices

LIMIT = 50


def _statuses() -> dict[str, tuple[str, str]]:
    from handlers.cases.store import STATUSES

    return STATUSES


def _search(query: str) -> list[Any]:
    """Cases whose number contains the query (or the latest changes when there is none), in the offices
    this account sees (a city-wide account: every office's, or the one it filters by)."""
    try:
        return store().cases.search_in(visible_offices(request.args.get("office", "")), query, LIMIT)
    except StoreError:
        return []


def office_key(stored: str) -> str:
    """The OFFICES_FILE id a case's office_id names, for links and forms ("" with one office)."""
    offices = services().offices
    if offices is None or not offices.several:
        return ""
    office = offices.by_stored_id(stored)
    return office.id if office is not None else stored


def _cases(wanted: str = "") -> Any:
    """The cases of the office a case page is about: the account's own, else the one named (`office`),
    else the first office's. A case number names a case within its office."""
    shown = office_view(wanted)
    return store().cases.for_office(shown or "")


def cases_page() -> str:
    query = request.args.get("q", "").strip()[:40]
    return render_template("staff/cases.html", cases=_search(query), q=query, statuses=_statuses(),
                           office_key=office_key)


def case_page(case_no: str) -> str:
    cases = _cases(request.args.get("office", ""))
    case = cases.get(case_no)
    if case is None:
        abort(404)
    return render_template("staff/case.html", case=case, history=cases.history(case.case_no),
                           statuses=_statuses(), followers=len(cases.followers(case.case_no)),
                           lookup_lock=cases.guard.case_lock(case.case_no), office=office_key(case.office_id))


def _to_case(case_no: str, office_id: str) -> Any:
    office = office_key(office_id)
    return redirect(url_for("staff.case", case_no=case_no, **({"office": office} if office else {})))


def unlock_case(case_no: str) -> Any:
    """Staff confirmed the citizen by phone or at the counter: online lookups of the case work again."""
    cases = _cases(request.form.get("office", ""))
    case = cases.get(case_no)
    if case is None:
        abort(404)
    if cases.guard.unlock_case(case.case_no):
        audit("case_unlock", case.case_no, office=case.office_id)
        flash(f"{case.case_no}：已解除線上查詢鎖定。")
    return _to_case(case.case_no, case.office_id)


def update_case() -> Any:
    """Create or change a case; the cases store records history and queues ready / need-documents notices."""
    from handlers.cases.store import CaseError

    form = request.form
    case_no = form.get("case_no", "").strip()
    fields: dict[str, Any] = {"missing": form.get("missing", "").strip(), "pickup_by": form.get("pickup_by", "").strip()}
    if form.get("service", "").strip():
        fields["service"] = form["service"].strip()
    if form.get("phone_last4", "").strip():
        fields["phone_last4"] = form["phone_last4"].strip()
    office_id = _cases(form.get("office", "")).office_id
    try:
        result = notices.update_case(store(), case_no, form.get("status", ""), office_id=office_id,
                                     office=notices.office_details(services(), office_id),
                                     source=f"staff:{me().username}", **fields)
    except CaseError as exc:
        flash("無法更新：" + "；".join(exc.problems), "error")
        if store().cases.for_office(office_id).get(case_no):
            return _to_case(case_no, office_id)
        return redirect(url_for("staff.cases"))
    audit("case_status", result.case_no, f"{form.get('status', '')} ({result.outcome})", office=office_id)
    deliver_now_if_simulated()
    words = {"created": "已新增案件", "updated": "已更新", "unchanged": "狀態沒有變化", "stale": "資料較舊，未更新"}
    extra = f"，已通知 {result.notices} 位市民" if result.notices else ""
    flash(f"{result.case_no}：{words.get(result.outcome, result.outcome)}{extra}。")
    return _to_case(result.case_no, office_id)


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/cases", "cases", cases_page)
    bp.add_url_rule("/cases/update", "case_update", update_case, methods=["POST"])
    bp.add_url_rule("/cases/<case_no>", "case", case_page)
    bp.add_url_rule("/cases/<case_no>/unlock", "case_unlock", unlock_case, methods=["POST"])
