"""Admin page 機關資訊 (/staff/office): confirm the office's address, phone, hours, map pin and more.

Each field is saved on its own, validated (knowledge/office_fields.py), audited, and used by the next
answer; a field never confirmed keeps office.yaml's text, which points to the website.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bot.staff.auth import admin_required
from bot.staff.common import audit, me, services, store


def _page(errors: dict[str, str] | None = None, typed: dict[str, str] | None = None, status: int = 200) -> Any:
    from knowledge.office_fields import FIELDS, shown_value

    kb = services().knowledge
    current = store().office.current(kb.office if kb is not None else None)
    return render_template("staff/office.html", fields=FIELDS, confirmed=store().office.confirmations(),
                           shown_value=lambda name: shown_value(current, name),
                           errors=errors or {}, typed=typed or {}), status


@admin_required
def office() -> Any:
    if request.method == "GET":
        return _page()
    from knowledge.office_fields import BY_NAME, InvalidValue

    name = request.form.get("field", "")
    field = BY_NAME.get(name)
    if field is None:
        flash("沒有這個欄位。", "error")
        return redirect(url_for("staff.office"))
    if request.form.get("what") == "clear":
        if store().office.clear(name):
            audit("office_clear", name, office="")  # these are the first office's details
            flash(f"已清除「{field.label}」，回答改回「請以官網公告為準」。")
        return redirect(url_for("staff.office"))
    value = request.form.get("value", "")
    try:
        stored = store().office.set(name, value, me().username)
    except InvalidValue as exc:
        flash(f"「{field.label}」沒有儲存：{exc}", "error")
        return _page({name: str(exc)}, {name: value[:400]}, 400)
    audit("office_set", name, stored, office="")  # the first office's details (knowledge/office.yaml)
    flash(f"已更新「{field.label}」為 {stored}；市民下一次詢問就會看到。")
    return redirect(url_for("staff.office") + f"#f-{name}")


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/office", "office", office, methods=["GET", "POST"])
