"""Signing in and out: server-side sessions, lockout, trusted devices, admin-only pages.

A session cookie names a row in staff_sessions (by a random id whose hash is stored) and the account's
session version; logout deletes the row, and a password change, disabling or "sign out everywhere"
bumps the version, so no copy of an old cookie opens a page again.
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable
from urllib.parse import urlparse

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, session,
                   url_for)
from itsdangerous import BadSignature, URLSafeTimedSerializer

from bot.staff.common import audit, local, me, store, stored_office
from bot.store.staff import StaffAccount

PUBLIC_ENDPOINTS = {"staff.login"}
DEVICE_COOKIE = "staff_device"
DEVICE_DAYS = 30
LOCK_LABELS = {"user+address": "此帳號自此位址", "address": "此位址", "username": "此帳號（減速）"}


def load_signed_in_staff() -> Any:
    """Before every staff request: who is signed in; everyone else goes to the login page."""
    g.staff = None
    info = session.get("staff")
    if isinstance(info, dict):
        try:
            account_id = int(info.get("id", 0))
        except (TypeError, ValueError):
            account_id = 0
        account = store().staff.session_account(info.get("sid", ""), account_id, info.get("v"))
        if account is not None:
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


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="staff-device")


def _trusted_device(username: str) -> bool:
    """The browser signed in as this username before (OWASP's device cookie against lockout abuse)."""
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if not raw:
        return False
    try:
        names = _devices().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return isinstance(names, list) and username.lower() in names


def _remember_device(response: Response, username: str) -> None:
    try:
        names = _devices().loads(request.cookies.get(DEVICE_COOKIE, ""), max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        names = []
    names = [n for n in (names if isinstance(names, list) else []) if n != username.lower()][-4:]
    response.set_cookie(DEVICE_COOKIE, _devices().dumps([*names, username.lower()]), max_age=DEVICE_DAYS * 86400,
                        path="/staff", httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))


def _begin_session(account: StaffAccount) -> None:
    """A fresh session: nothing from before the login carries over (no session fixation)."""
    session.clear()
    session.permanent = True
    sid = store().staff.start_session(account, request.remote_addr or "")
    session["staff"] = {"id": account.id, "v": account.session_version, "sid": sid}
    g.staff = account


def login() -> Any:
    if request.method == "GET":
        if getattr(g, "staff", None):
            return redirect(url_for("staff.inbox"))
        return render_template("staff/login.html", next=request.args.get("next", ""),
                               no_accounts=store().staff.count() == 0)
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    result = store().staff.authenticate(username, password, request.remote_addr or "",
                                        trusted=_trusted_device(username))
    if not result.ok or result.account is None:
        # Filed under the office of the account tried, so its office's audit page shows attacks on it.
        named = store().staff.by_username(username)
        office = stored_office(named.office_id) if named else ""
        if result.new_lock:
            audit("login_lockout", username, LOCK_LABELS.get(result.lock, result.lock)
                  + (f"，至 {local(result.locked_until, '%m/%d %H:%M')}" if result.locked_until else ""), actor="-",
                  office=office)
        audit("login_failed", username, "locked" if result.locked_until else "", actor="-", office=office)
        # One wording whether the username exists, is disabled or the password is wrong (no enumeration).
        message = "帳號或密碼錯誤。"
        status = 401
        if result.locked_until:
            message = f"登入失敗次數過多，暫時鎖定登入，請於 {local(result.locked_until, '%H:%M')} 後再試。"
            status = 429
        return render_template("staff/login.html", error=message, username=username,
                               next=request.form.get("next", ""), no_accounts=False), status
    _begin_session(result.account)
    audit("login")
    response = redirect(_safe_next(request.form.get("next")))
    _remember_device(response, result.account.username)
    return response


def logout() -> Any:
    audit("logout")
    info = session.get("staff")
    if isinstance(info, dict):
        store().staff.end_session(info.get("sid", ""))
    session.clear()
    flash("已登出。")
    return redirect(url_for("staff.login"))


def sign_out_everywhere() -> Any:
    """End all of my sessions on every device, then sign this one in afresh."""
    store().staff.sign_out_everywhere(me().username)
    audit("signout_everywhere", me().username)
    account = store().staff.get(me().id)
    _begin_session(account)
    flash("已登出其他所有裝置。")
    return redirect(url_for("staff.password"))


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
                _begin_session(store().staff.get(me().id))
                flash("密碼已更新，其他裝置上的登入已失效。")
                return redirect(url_for("staff.inbox"))
    return render_template("staff/password.html")


def register(bp: Blueprint) -> None:
    bp.before_request(load_signed_in_staff)
    bp.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", "logout", logout, methods=["POST"])
    bp.add_url_rule("/password", "password", change_password, methods=["GET", "POST"])
    bp.add_url_rule("/signout-everywhere", "signout_everywhere", sign_out_everywhere, methods=["POST"])
