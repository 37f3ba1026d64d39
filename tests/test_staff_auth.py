"""Staff sign-in: every page needs a login, CSRF on every form, lockout, sessions that end, admin-only pages."""
from __future__ import annotations

import pytest

from tests.helpers import StaffUser

PAGES = ["/staff/", "/staff/inbox", "/staff/threads/1", "/staff/dashboard", "/staff/dashboard.csv",
         "/staff/knowledge", "/staff/cases", "/staff/appointments", "/staff/canned", "/staff/accounts",
         "/staff/audit", "/staff/password"]


@pytest.mark.parametrize("url", PAGES)
def test_every_staff_page_sends_a_stranger_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


@pytest.mark.parametrize("url", ["/staff/threads/1/reply", "/staff/threads/1/close", "/staff/accounts",
                                 "/staff/cases/update", "/staff/knowledge/suggest"])
def test_posting_without_a_login_does_nothing(client, store, url):
    thread = store.inbox.open_thread("question", "U1", ["問題"])
    token = StaffUser.token_in(client.get("/staff/login").get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "text": "hi", "username": "x", "password": "y" * 12})
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert store.inbox.get(thread.id).status == "new" and store.staff.count() == 0


def test_the_login_page_returns_to_the_page_asked_for(client, store):
    user = StaffUser(client, store)
    client.get("/staff/dashboard")
    token = StaffUser.token_in(client.get("/staff/login?next=/staff/dashboard").get_data(as_text=True))
    response = client.post("/staff/login", data={"csrf_token": token, "username": "clerk",
                                                 "password": user.PASSWORD, "next": "/staff/dashboard"})
    assert response.headers["Location"] == "/staff/dashboard"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/staff", "/simulator/", "/staff\\@evil"])
def test_next_never_leads_off_the_staff_pages(client, store, target):
    user = StaffUser(client, store)
    token = StaffUser.token_in(client.get("/staff/login").get_data(as_text=True))
    response = client.post("/staff/login", data={"csrf_token": token, "username": "clerk",
                                                 "password": user.PASSWORD, "next": target})
    assert response.headers["Location"] == "/staff/inbox"


def test_a_wrong_password_is_refused_and_audited(client, store):
    user = StaffUser(client, store)
    response = user.login("wrong-password-1")
    assert response.status_code == 401 and "帳號或密碼錯誤" in response.get_data(as_text=True)
    assert client.get("/staff/inbox").status_code == 302
    assert [(e.action, e.target) for e in store.audit.entries()] == [("login_failed", "clerk")]


def test_five_failures_lock_the_account_for_a_while(client, store, clock):
    user = StaffUser(client, store)
    for _ in range(4):
        assert user.login("wrong-password-1").status_code == 401
    assert user.login("wrong-password-1").status_code == 429  # the fifth failure locks
    response = user.login()  # even the right password, while locked
    assert response.status_code == 429 and "鎖定" in response.get_data(as_text=True)
    clock.advance(minutes=16)
    assert user.login().status_code == 302


def test_an_unknown_username_fails_the_same_way_and_is_locked_too(client, store):
    user = StaffUser(client, store, "ghost-probe")
    store.staff.set_active("ghost-probe", False)
    responses = [user.login("whatever-123") for _ in range(6)]
    assert [r.status_code for r in responses] == [401] * 4 + [429] * 2


def test_a_success_resets_the_failure_count(client, store):
    user = StaffUser(client, store)
    for _ in range(4):
        user.login("wrong-password-1")
    assert user.login().status_code == 302
    for _ in range(4):
        assert user.login("wrong-password-1").status_code == 401


def test_a_form_without_its_csrf_token_is_refused(staff, store):
    thread = store.inbox.open_thread("question", "U1", ["問題"])
    response = staff.client.post(f"/staff/threads/{thread.id}/reply", data={"text": "答覆"})
    assert response.status_code == 400 and "表單已過期" in response.get_data(as_text=True)
    response = staff.client.post(f"/staff/threads/{thread.id}/reply", data={"text": "答覆", "csrf_token": "forged"})
    assert response.status_code == 400
    assert store.inbox.messages(thread.id)[-1].author_kind == "citizen"


def test_the_login_form_itself_needs_its_token(client, store):
    user = StaffUser(client, store)
    response = client.post("/staff/login", data={"username": "clerk", "password": user.PASSWORD})
    assert response.status_code == 400
    assert client.get("/staff/inbox").status_code == 302


def test_logging_out_ends_the_session(staff):
    assert staff.get("/staff/inbox").status_code == 200
    staff.post("/staff/logout")
    assert staff.get("/staff/inbox").status_code == 302


def test_disabling_an_account_ends_its_session_at_once(staff, admin, store):
    assert staff.get("/staff/inbox").status_code == 200
    admin.post("/staff/accounts/clerk", {"what": "disable"})
    assert staff.get("/staff/inbox").status_code == 302
    assert staff.login().status_code == 401


def test_changing_the_password_ends_other_sessions(app, store, staff):
    other_device = StaffUser(app.test_client(), store, "clerk")
    other_device.login()
    response = staff.post("/staff/password", {"current": StaffUser.PASSWORD, "new": "new-password-77",
                                              "confirm": "new-password-77"})
    assert response.status_code == 302
    assert staff.get("/staff/inbox").status_code == 200
    assert other_device.get("/staff/inbox").status_code == 302
    assert other_device.login("new-password-77").status_code == 302


def test_admin_pages_are_for_admins_only(staff, admin):
    assert staff.get("/staff/accounts").status_code == 403
    assert staff.get("/staff/audit").status_code == 403
    assert staff.post("/staff/accounts", {"username": "sneaky", "password": "password-123"}).status_code == 403
    assert admin.get("/staff/accounts").status_code == 200
    assert admin.get("/staff/audit").status_code == 200


def test_an_admin_adds_promotes_and_resets_accounts_and_it_is_audited(admin, store):
    admin.post("/staff/accounts", {"username": "newbie", "password": "first-pass-99", "display_name": "新同仁"})
    assert store.staff.by_username("newbie").display_name == "新同仁"
    admin.post("/staff/accounts/newbie", {"what": "promote"})
    admin.post("/staff/accounts/newbie", {"what": "password", "password": "second-pass-99"})
    assert store.staff.by_username("newbie").is_admin
    assert store.staff.authenticate("newbie", "second-pass-99").ok
    actions = [e.action for e in store.audit.entries(actor="boss")]
    assert {"account_add", "account_admin", "account_password"} <= set(actions)
    page = admin.page("/staff/audit?action=account_add")
    assert "newbie" in page and "新增帳號" in page


def test_an_admin_cannot_lock_themselves_out(admin, store):
    admin.post("/staff/accounts/boss", {"what": "disable"})
    assert store.staff.by_username("boss").active


def test_weak_passwords_and_bad_usernames_are_refused(store):
    for username, password in [("ok-name", "short1"), ("ok-name", "onlyletters"), ("bad name", "good-pass-123"),
                               ("x", "good-pass-123")]:
        with pytest.raises(ValueError):
            store.staff.add(username, password)


def test_passwords_are_stored_as_hashes(store):
    store.staff.add("hashcheck", "plain-secret-42")
    stored = store.db.execute("SELECT password_hash FROM staff_accounts").fetchone()[0]
    assert "plain-secret-42" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_staff_pages_send_protective_headers_and_cookies(client, store):
    user = StaffUser(client, store)
    response = user.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    page = client.get("/staff/inbox")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Cache-Control"] == "no-store"


def test_a_staff_session_lasts_a_working_day(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 8 * 3600
