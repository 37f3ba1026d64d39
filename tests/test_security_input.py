"""Issue 10 items 7 and 8: hostile input never reaches a traceback; small hardening of keys, CSV and headers."""
from __future__ import annotations

import multiprocessing
import os
import stat

import pytest

from bot.app import _stored_secret_key
from handlers.dashboard.figures import csv_safe
from tests.helpers import actions_in, all_text, signed_post

USER = "U" + "5ec" * 10 + "ab"
EXPIRED = "已過期"


# --- signatures ------------------------------------------------------------------------------------
@pytest.mark.parametrize("signature", ["ｓｉｇｎａｔｕｒｅ", "簽章", "é" * 44, "A" * 5000, "\x00"])
def test_a_strange_signature_is_a_plain_400(client, fake_line, signature):
    response = client.post("/callback", data=b'{"events": []}', headers={"X-Line-Signature": signature})
    assert response.status_code == 400 and b"Traceback" not in response.data
    assert fake_line.calls() == []


# --- nesting -----------------------------------------------------------------------------------------
def deep(levels: int) -> bytes:
    return b'{"events": [' + b"[" * levels + b"]" * levels + b"]}"


@pytest.mark.parametrize("levels", [40, 1000, 5000])
def test_a_deeply_nested_webhook_body_is_a_400(client, fake_line, levels):
    response = signed_post(client, [], raw=deep(levels))
    assert response.status_code == 400 and b"Traceback" not in response.data


@pytest.mark.parametrize("levels", [40, 1000, 5000])
def test_a_deeply_nested_cases_body_is_a_400(client, levels):
    body = b"[" * levels + b"]" * levels
    response = client.post("/api/cases", data=body, content_type="application/json",
                           headers={"Authorization": "Bearer test-staff-api-token"})
    assert response.status_code == 400 and "JSON" in response.get_json()["error"]


def test_an_ordinary_nested_webhook_body_still_works(citizen):
    citizen.follow()
    assert citizen.says("主選單")


# --- postback parameters ------------------------------------------------------------------------------
@pytest.mark.parametrize("data", [
    "a=faq.categories&page=abc",
    "a=faq.categories&page=-1",
    "a=survey.rate&v=12345678901234567890123&r=5",
    "a=survey.rate&v=1&r=9",
    "a=faq.feedback&id=fee-table&v=maybe",
    "a=faq.show&id=<script>",
    "a=booking.cancel&no=",
    "a=handoff.write&t=1e9",
    "a=faq.show&id=fee-table&extra=1",
])
def test_a_tampered_postback_is_answered_like_an_expired_menu(citizen, data):
    citizen.follow()
    replies = citizen.taps(data)
    assert EXPIRED in all_text(replies)


def test_a_conversation_button_without_its_session_id_is_expired(citizen):
    citizen.follow()
    citizen.says("預約臨櫃")
    replies = citizen.taps("a=booking.docs_ok")
    assert EXPIRED in all_text(replies)


def test_a_picker_value_that_is_not_a_date_is_expired(citizen):
    citizen.follow()
    replies = citizen.says("預約臨櫃")
    session = next(a["data"] for a in actions_in(replies) if a.get("type") == "postback").split("s=")[1].split("&")[0]
    replies = citizen.taps(f"a=booking.day&s={session}", params={"date": "tomorrow"})
    assert EXPIRED in all_text(replies)


def test_a_postback_longer_than_line_allows_is_refused_politely(citizen):
    citizen.follow()
    replies = citizen.taps("a=faq.show&id=" + "x" * 400)
    assert replies and "按鈕" in all_text(replies)


# --- headers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("method,path", [("GET", "/healthz"), ("POST", "/callback"), ("POST", "/api/cases"),
                                         ("GET", "/no-such-page"), ("GET", "/staff/login")])
def test_every_response_says_nosniff_and_keeps_addresses_to_itself(client, method, path):
    response = client.open(path, method=method)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Staff pages keep their own stricter-than-default same-origin policy; everything else sends none.
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin")


# --- CSV -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["=1+1", " =1+1", "\t=cmd", "  +SUM(A1)", " -2", "\u3000@x", "\r=1"])
def test_a_csv_cell_that_a_spreadsheet_would_run_is_defused(cell):
    assert csv_safe(cell).startswith("'")


@pytest.mark.parametrize("cell", ["正常文字", "A-1", "2026-12-01", "a = b"])
def test_ordinary_csv_cells_are_left_alone(cell):
    assert csv_safe(cell) == cell


# --- the secret key file ------------------------------------------------------------------------------
def _key(path: str, queue) -> None:  # noqa: ANN001
    queue.put(_stored_secret_key(path))


def test_workers_starting_together_all_read_one_whole_private_key(tmp_path):
    database = str(tmp_path / "data" / "bot.sqlite3")
    queue = multiprocessing.get_context("fork").Queue()
    workers = [multiprocessing.get_context("fork").Process(target=_key, args=(database, queue)) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    keys = {queue.get(timeout=5) for _ in workers}
    assert len(keys) == 1 and len(keys.pop()) == 64
    key_file = tmp_path / "data" / ".secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir() if p.name.startswith(".secret_key.")] == []


def test_an_empty_key_left_by_an_older_version_is_replaced(tmp_path):
    (tmp_path / ".secret_key").write_text("")
    key = _stored_secret_key(str(tmp_path / "bot.sqlite3"))
    assert len(key) == 64 and (tmp_path / ".secret_key").read_text() == key
