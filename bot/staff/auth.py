"""Signing in and out: sessions tied to the account's version, lockout, admin-only pages."""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable
from urllib.parse import urlparse

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for

from bot.staff.common import audit, local, me, store

PUBLIC_ENDPOINTS = {"staff.login"}


def load_signed_in_staff() -> Any:
    """Before every staff request: who is signed in; everyone else goes to the login page."""
    g.staff = None
    info = session.get("staff")
    if isinstance(info, dict):
        account = store().staff.get(int(info.get("id", 0)))
        if account and account.active and account.session_version == info.get("v"):
            g.staff = account
        else:
            session.pop("staff", None)
    if g.staff is None and request.endpoint not in PUBLIC_ENDPOINTS:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("staff.login", next=target) if target else url_for("staff.login"))
    return None


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not me().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _safe_next(target: str | None) -> str:
    """Only our own staff pages, never another site (open redirect)."""
    if target:
        parsed = urlparse(target)
        if not parsed.scheme and not parsed.netloc and target.startswith("/staff") and "\\" not in target:
            return target.rstrip("?")
    return url_for("staff.inbox")


def login() -> Any:
    if request.method == "GET":
        if getattr(g, "staff", None):
            return redirect(url_for("staff.inbox"))
        return render_template("staff/login.html", next=request.args.get("next", ""),
                               no_accounts=store().staff.count() == 0)
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    result = store().staff.authenticate(username, password, request.remote_addr or "")
    if not result.ok or result.account is None:
        audit("login_failed", username, "locked" if result.locked_until else "", actor="-")
        message = "帳號或密碼錯誤。"
        status = 401
        if result.locked_until:
            message = f"登入失敗次數過多，帳號暫時鎖定，請於 {local(result.locked_until, '%H:%M')} 後再試。"
            status = 429
        return render_template("staff/login.html", error=message, username=username,
                               next=request.form.get("next", ""), no_accounts=False), status
    account = result.account
    session.clear()  # a fresh session: nothing from before the login carries over
    session.permanent = True
    session["staff"] = {"id": account.id, "v": account.session_version}
    g.staff = account
    audit("login")
    return redirect(_safe_next(request.form.get("next")))


def logout() -> Any:
    audit("logout")
    session.clear()
    flash("已登出。")
    return redirect(url_for("staff.login"))


def change_password() -> Any:
    if request.method == "POST":
        current = request.form.get("current", "")
        new = request.form.get("new", "")
        check = store().staff.authenticate(me().username, current, request.remote_addr or "")
        if not check.ok:
            flash("目前的密碼不正確。", "error")
        elif new != request.form.get("confirm", ""):
            flash("兩次輸入的新密碼不一致。", "error")
        else:
            try:
                store().staff.set_password(me().username, new)
            except ValueError as exc:
                flash(str(exc), "error")
            else:
                audit("password_change", me().username)
                account = store().staff.get(me().id)
                session["staff"] = {"id": account.id, "v": account.session_version}
                flash("密碼已更新，其他裝置上的登入已失效。")
                return redirect(url_for("staff.inbox"))
    return render_template("staff/password.html")


def register(bp: Blueprint) -> None:
    bp.before_request(load_signed_in_staff)
    bp.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", "logout", logout, methods=["POST"])
    bp.add_url_rule("/password", "password", change_password, methods=["GET", "POST"])
