"""POST /api/cases: how the office's registration system pushes case changes."""
from __future__ import annotations

import pytest

AUTH = {"Authorization": "Bearer test-staff-api-token"}


def item(case_no="A1150001", status="received", **fields):
    return {"case_no": case_no, "service": "戶籍謄本", "status": status, "phone_last4": "1234",
            "updated_at": "2026-12-01T09:00:00+08:00", **fields}


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "test-staff-api-token"},
    {"Authorization": "Basic dGVzdC1zdGFmZi1hcGktdG9rZW4="},
])
def test_without_the_staff_api_token_the_answer_is_401_and_nothing_changes(client, store, headers):
    response = client.post("/api/cases", json=[item()], headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert store.cases.get("A1150001") is None


def test_with_no_token_configured_the_api_is_closed(config, clock, fake_line):
    from bot.app import create_app

    app = create_app(config.with_(staff_api_token=""), clock=clock, fake_line=fake_line)
    response = app.test_client().post("/api/cases", json=[item()], headers={"Authorization": "Bearer "})
    assert response.status_code == 401


def test_good_items_are_created_and_updated(client, store):
    response = client.post("/api/cases", json=[item(), item("A1150002", "ready", pickup_by="2026-12-20")],
                           headers=AUTH)
    assert response.status_code == 200
    assert response.get_json()["counts"] == {"created": 2}
    response = client.post("/api/cases", json=[item(status="need_documents", missing="照片",
                                                    updated_at="2026-12-01T10:00:00+08:00")], headers=AUTH)
    assert response.get_json()["results"] == [{"case_no": "A1150001", "outcome": "updated", "notices": 0}]
    assert store.cases.get("A1150001").missing == "照片"
    assert store.cases.history("A1150001")[-1]["source"] == "api"


def test_bad_items_are_named_and_nothing_is_applied(client, store):
    response = client.post("/api/cases", json=[item("A1150001"), item("A1150002", "finished"), "oops",
                                               item("A1150003", phone_last4="12")], headers=AUTH)
    assert response.status_code == 400
    body = response.get_json()
    assert [(b["index"], b["case_no"]) for b in body["bad_items"]] == [(1, "A1150002"), (2, None), (3, "A1150003")]
    assert "unknown status 'finished'" in body["bad_items"][0]["problems"][0]
    assert body["bad_items"][1]["problems"] == ["not a JSON object"]
    assert "nothing was applied" in body["error"]
    assert store.cases.get("A1150001") is None


@pytest.mark.parametrize("payload", [{"case_no": "A1150001"}, "text", 3, None])
def test_a_body_that_is_not_a_list_is_a_400(client, payload):
    response = client.post("/api/cases", json=payload, headers=AUTH)
    assert response.status_code == 400 and "JSON list" in response.get_json()["error"]


def test_a_cases_envelope_is_accepted_too(client, store):
    assert client.post("/api/cases", json={"cases": [item()]}, headers=AUTH).status_code == 200
    assert store.cases.get("A1150001") is not None


def test_more_than_a_thousand_items_is_refused(client):
    response = client.post("/api/cases", json=[item(f"A{n:07d}") for n in range(1001)], headers=AUTH)
    assert response.status_code == 400 and "at most 1000" in response.get_json()["error"]


def test_ready_through_the_api_queues_a_notice_for_a_follower(client, store):
    client.post("/api/cases", json=[item()], headers=AUTH)
    store.users.ensure("U" + "3" * 32)
    store.cases.follow("A1150001", "U" + "3" * 32)
    response = client.post("/api/cases", json=[item(status="ready", updated_at="2026-12-01T10:00:00+08:00")],
                           headers=AUTH)
    assert response.get_json()["results"][0]["notices"] == 1
    assert store.outbox.stats() == {"pending": 1}


def test_the_api_needs_no_csrf_token(client):
    assert client.post("/api/cases", json=[], headers=AUTH).status_code == 200
