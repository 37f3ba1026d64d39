"""GET /healthz: 200 once the database answers."""
from __future__ import annotations

import logging

from flask import Blueprint, current_app

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[str, int]:
    try:
        ok = current_app.extensions["services"].store.ping()
    except Exception:  # noqa: BLE001
        log.exception("health check: database does not answer")
        ok = False
    return ("ok", 200) if ok else ("database unavailable", 503)
