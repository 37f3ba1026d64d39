"""Admin-only pages: staff accounts and the audit log."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bot.staff.auth import admin_required
from bot.staff.common import audit, me, store, stored_office, visible_offices

AUDIT_PAGE = 100


@admin_required
def accounts() -> Any:
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        try:
            account = store().staff.add(username, request.form.get("password", ""),
                                        admin=request.form.get("admin") == "1",
                                        display_name=request.form.get("display_name", ""))
        except ValueError as exc:
            flash(str(exc), "error")
        else:
            audit("account_add", account.username, "管理員" if account.is_admin else "",
                  office=stored_office(account.office_id))
            flash(f"已新增帳號 {account.username}。")
            return redirect(url_for("staff.accounts"))
    return render_template("staff/accounts.html", accounts=store().staff.all())


@admin_required
def account_change(username: str) -> Any:
    account = store().staff.by_username(username)
    if account is None:
        flash("找不到這個帳號。", "error")
        return redirect(url_for("staff.accounts"))
    what = request.form.get("what", "")
    if what in ("disable", "demote") and account.id == me().id:
        flash("不能停用或降級自己的帳號。", "error")
    elif what == "disable":
        store().staff.set_active(account.username, False)
        audit("account_disable", account.username, office=stored_office(account.office_id))
        flash(f"已停用 {account.username}，其登入立即失效。")
    elif what == "enable":
        store().staff.set_active(account.username, True)
        audit("account_enable", account.username, office=stored_office(account.office_id))
        flash(f"已啟用 {account.username}。")
    elif what in ("promote", "demote"):
        store().staff.set_admin(account.username, what == "promote")
        audit("account_admin", account.username, "設為管理員" if what == "promote" else "取消管理員",
              office=stored_office(account.office_id))
        flash("已更新權限。")
    elif what == "signout":
        store().staff.sign_out_everywhere(account.username)
        audit("account_signout", account.username, office=stored_office(account.office_id))
        flash(f"已登出 {account.username} 在所有裝置上的登入。")
    elif what == "password":
        try:
            store().staff.set_password(account.username, request.form.get("password", ""))
        except ValueError as exc:
            flash(str(exc), "error")
        else:
            audit("account_password", account.username, office=stored_office(account.office_id))
            flash(f"已重設 {account.username} 的密碼。")
    return redirect(url_for("staff.accounts"))


@admin_required
def audit_log() -> str:
    """The audit log: an office's account sees its office's entries; a city-wide one all, or one office's."""
    page = max(1, request.args.get("page", 1, type=int))
    actor = request.args.get("actor", "").strip()[:64]
    action = request.args.get("action", "").strip()[:40]
    office = request.args.get("office", "").strip()[:32]
    entries = store().audit.entries(actor=actor, action=action, offices=visible_offices(office),
                                    limit=AUDIT_PAGE + 1, offset=(page - 1) * AUDIT_PAGE)
    return render_template("staff/audit.html", entries=entries[:AUDIT_PAGE], more=len(entries) > AUDIT_PAGE,
                           page=page, actor=actor, action=action, office=office, actions=store().audit.actions())


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/accounts", "accounts", accounts, methods=["GET", "POST"])
    bp.add_url_rule("/accounts/<username>", "account_change", account_change, methods=["POST"])
    bp.add_url_rule("/audit", "audit", audit_log)
