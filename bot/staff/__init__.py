"""The staff web at /staff: sign-in, inbox, threads, dashboard, knowledge, cases, appointments, admin.

staff_blueprint() builds a fresh blueprint for each app (tests build many apps). Every page needs a
signed-in account (auth.load_signed_in_staff); accounts and the audit log need an admin. Every form
carries Flask-WTF's CSRF token (CSRFProtect is on app-wide); pages are sent with no-store caching,
a strict Content-Security-Policy and no framing.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable, Iterable

from flask import Blueprint, Response, render_template
from flask_wtf.csrf import CSRFError

from bot.staff import admin, auth, office
from bot.staff.common import template_helpers

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _configure(state: Any) -> None:
    """Staff sessions last a working day, not Flask's default month."""
    services = state.app.extensions.get("services")
    hours = services.config.staff_session_hours if services else 8
    state.app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=max(1, hours))


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _csrf_failed(error: CSRFError) -> tuple[str, int]:
    return render_template("staff/error.html", title="表單已失效",
                           message="這個表單已過期或缺少安全驗證碼，所以沒有執行。請重新整理頁面後再送出一次。"), 400


def _forbidden(error: Any) -> tuple[str, int]:
    return render_template("staff/error.html", title="沒有權限", message="這個頁面只有管理員可以使用。"), 403


def _not_found(error: Any) -> tuple[str, int]:
    return render_template("staff/error.html", title="找不到頁面", message="找不到您要的資料，可能已被移除。"), 404


def staff_blueprint(feature_pages: Iterable[Callable[[Blueprint], None]] = ()) -> Blueprint:
    """The staff web: the kernel's pages and the ones features declare (bot/registry.py)."""
    bp = Blueprint("staff", __name__, url_prefix="/staff")
    bp.record_once(_configure)
    auth.register(bp)
    for register in (*feature_pages, admin.register, office.register):
        register(bp)
    bp.context_processor(template_helpers)
    bp.after_request(_security_headers)
    bp.register_error_handler(CSRFError, _csrf_failed)
    bp.register_error_handler(403, _forbidden)
    bp.register_error_handler(404, _not_found)
    return bp
