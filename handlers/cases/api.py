"""The JSON API for the office's own systems (Authorization: Bearer STAFF_API_TOKEN).

POST /api/cases   a JSON list of {case_no, service, status, phone_last4, updated_at[, missing, pickup_by, office]}
                  (office: an OFFICES_FILE id; without it the first office; case numbers are per office).
                  All items are checked first: any bad item -> 400 naming each one, nothing applied.
                  Otherwise all are applied in one transaction -> 200 with each item's outcome.
"""
from __future__ import annotations

import hmac
import logging
from collections import Counter
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from bot.jsonbody import BadJson, load_json
from handlers.cases.store import CaseError, CaseUpdate, check_update
from handlers.cases.notices import office_details, stored_office, update_case

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_ITEMS = 1000


def _authorized(token: str) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _error(status: int, message: str, **extra: Any) -> tuple[Any, int, dict[str, str]]:
    headers = {"WWW-Authenticate": 'Bearer realm="api"'} if status == 401 else {}
    return jsonify({"error": message, **extra}), status, headers


@bp.post("/cases")
def post_cases() -> Any:
    """Create or update cases, exactly as the CSV import does."""
    services = current_app.extensions["services"]
    if not _authorized(services.config.staff_api_token):
        return _error(401, "a valid 'Authorization: Bearer <STAFF_API_TOKEN>' header is required")
    try:
        payload = load_json(request.get_data(cache=False))
    except BadJson:
        return _error(400, "the body must be a JSON list of cases (valid JSON, at most 32 levels deep)")
    items = payload.get("cases") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        return _error(400, "the body must be a JSON list of cases")
    if len(items) > MAX_ITEMS:
        return _error(400, f"at most {MAX_ITEMS} cases per request, got {len(items)}")
    updates, bad = _check(items, services)
    if bad:
        return _error(400, f"{len(bad)} bad item(s); nothing was applied", bad_items=bad)
    store = services.store
    with store.transaction():
        results = [update_case(store, **u.as_kwargs(), office_id=office, office=office_details(services, office),
                               source="api") for office, u in updates]
    counts = Counter(r.outcome for r in results)
    log.info("api: %s case update(s): %s", len(results), dict(counts))
    return jsonify({
        "results": [{"case_no": r.case_no, "outcome": r.outcome, "notices": r.notices} for r in results],
        "counts": dict(counts),
    })


def _check(items: list[Any], services: Any) -> tuple[list[tuple[str, CaseUpdate]], list[dict[str, Any]]]:
    """(office_id, update) of every good item, and the problems of every bad one."""
    store = services.store
    updates: list[tuple[str, CaseUpdate]] = []
    bad: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            bad.append({"index": index, "case_no": None, "problems": ["not a JSON object"]})
            continue
        try:
            office = stored_office(services, item.get("office"))
            updates.append((office, check_update(item, store.cases.tz, full=True, now=store.clock.now())))
        except CaseError as exc:
            bad.append({"index": index, "case_no": item.get("case_no"), "problems": exc.problems})
    return updates, bad
