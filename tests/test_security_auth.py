"""Staff sign-in is production-safe (issue 10, items 3 and 4), through the real staff pages.

Sessions are revoked server-side: logout, a password change, disabling and "sign out everywhere"
end every copy of the session cookie. The lockout protects without letting a stranger keep a
colleague out: per (username, address) with back-off, per address (a success does not reset it),
and per username (slowed, not locked, and never for a browser the colleague signed in on before).
"""
from __future__ import annotations

import hashlib
import io
import re

import pytest

from bot.config import Config, config_from_env
from tests.helpers import StaffUser

OFFICE = "192.0.2.10"
STRANGER = "203.0.113.66"


def login(client, username: str, password: str, ip: str = OFFICE):
    """The login form posted from an address, CSRF token and all."""
    token = StaffUser.token_in(client.get("/staff/login", environ_base={"REMOTE_ADDR": ip}).get_data(as_text=True))
    return client.post("/staff/login", data={"csrf_token": token, "username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def copied_cookie(user: StaffUser) -> str:
    cookie = user.client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def opens_inbox(app, cookie: str) -> bool:
    """Someone else's browser with a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/staff/inbox").status_code == 200


# --- sessions revoked server-side ---------------------------------------------------------------
def test_a_cookie_copied_before_logout_no_longer_opens_the_inbox(app, store, staff):
    other_device = StaffUser(app.test_client(), store, "clerk")
    other_device.login()
    cookie = copied_cookie(staff)
    assert opens_inbox(app, cookie)
    staff.post("/staff/logout")
    assert staff.get("/staff/inbox").status_code == 302
    assert not opens_inbox(app, cookie)
    # Logging out ends this session only: the clerk's other device stays signed in.
    assert other_device.get("/staff/inbox").status_code == 200


def test_every_way_out_ends_every_copy_of_the_session(app, store, staff, admin):
    def signed_in_copy() -> str:
        device = StaffUser(app.test_client(), store, "clerk")
        assert device.login(password).status_code == 302
        return copied_cookie(device)

    password = StaffUser.PASSWORD
    # The clerk changes their password: copies of every older session stop working.
    cookie = signed_in_copy()
    staff.post("/staff/password", {"current": password, "new": "new-password-77", "confirm": "new-password-77"})
    password = "new-password-77"
    assert not opens_inbox(app, cookie)
    # "Sign out everywhere" on the clerk's own password page: others end, this one stays.
    cookie = signed_in_copy()
    assert staff.post("/staff/signout-everywhere").status_code == 302
    assert not opens_inbox(app, cookie) and staff.get("/staff/inbox").status_code == 200
    # The admin's "sign out everywhere" button for the clerk.
    cookie, own = signed_in_copy(), copied_cookie(staff)
    assert "登出所有裝置" in admin.page("/staff/accounts")
    admin.post("/staff/accounts/clerk", {"what": "signout"})
    assert not opens_inbox(app, cookie) and not opens_inbox(app, own)
    assert admin.get("/staff/inbox").status_code == 200
    # Disabling the account.
    cookie = signed_in_copy()
    admin.post("/staff/accounts/clerk", {"what": "disable"})
    assert not opens_inbox(app, cookie)
    actions = [e.action for e in store.audit.entries()]
    assert {"signout_everywhere", "account_signout", "account_disable", "password_change"} <= set(actions)


def test_the_cli_signs_an_account_out_everywhere(app, store, staff, config, monkeypatch, capsys):
    from bot.cli import main

    cookie = copied_cookie(staff)
    for name, value in {"DATABASE_PATH": config.database_path, "SECRET_KEY": config.secret_key}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["staff", "signout", "clerk"]) == 0
    assert "signed out clerk everywhere" in capsys.readouterr().out
    assert not opens_inbox(app, cookie)
    assert main(["staff", "signout", "nobody"]) == 1


def test_the_database_keeps_only_a_hash_of_each_session_id(app, store, staff):
    from flask.sessions import SecureCookieSessionInterface

    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    sid = serializer.loads(copied_cookie(staff))["staff"]["sid"]
    ids = [row[0] for row in store.db.execute("SELECT id FROM staff_sessions")]
    assert ids == [hashlib.sha256(sid.encode()).hexdigest()] and sid not in ids


# --- login lockout ---------------------------------------------------------------------------------
def test_failures_for_a_username_from_one_address_lock_it_with_a_growing_back_off(client, store, clock):
    StaffUser(client, store)
    assert [login(client, "clerk", "wrong-password-1").status_code for _ in range(5)] == [401] * 4 + [429]
    clock.advance(minutes=16)  # the first lock: 15 minutes
    assert login(client, "clerk", "wrong-password-1").status_code == 429  # one more failure: 30 minutes
    clock.advance(minutes=16)
    assert login(client, "clerk", StaffUser.PASSWORD).status_code == 429
    clock.advance(minutes=15)
    assert login(client, "clerk", StaffUser.PASSWORD).status_code == 302


def test_a_stranger_elsewhere_cannot_lock_a_colleague_out_or_learn_who_exists(app, client, store):
    StaffUser(client, store)
    stranger = app.test_client()
    for who in ("clerk", "nobody-here"):
        answers = [login(stranger, who, "wrong-password-1", STRANGER) for _ in range(6)]
        assert [a.status_code for a in answers] == [401] * 4 + [429] * 2
        bodies = [re.sub(r'name="csrf_token" value="[^"]*"', "", a.get_data(as_text=True)).replace(who, "")
                  for a in answers]
        assert bodies[0] == bodies[3] and "帳號或密碼錯誤" in bodies[0]
        assert bodies[4] == bodies[5] and "暫時鎖定" in bodies[4]
    assert [a.status_code for a in (login(stranger, "clerk", StaffUser.PASSWORD, STRANGER),)] == [429]
    assert login(client, "clerk", StaffUser.PASSWORD, OFFICE).status_code == 302


def test_the_address_limit_is_not_reset_by_successful_logins(app, client, store):
    StaffUser(client, store, "mallory")
    attacker = app.test_client()
    targets = [f"user{n}" for n in range(10)]
    for round_ in range(3):
        assert login(attacker, "mallory", StaffUser.PASSWORD, STRANGER).status_code == 302
        attacker.post("/staff/logout", data={"csrf_token": StaffUser.token_in(
            attacker.get("/staff/password").get_data(as_text=True))})
        for target in targets:
            answer = login(attacker, target, f"guess-{round_}-123", STRANGER)
            assert answer.status_code == (429 if round_ == 2 and target == targets[-1] else 401)
    # 30 failures in an hour from that address: refused, even the right password of a real account.
    assert login(attacker, "mallory", StaffUser.PASSWORD, STRANGER).status_code == 429
    assert login(app.test_client(), "mallory", StaffUser.PASSWORD, OFFICE).status_code == 302


def test_a_username_attacked_from_many_addresses_is_slowed_not_locked(app_with, clock):
    app = app_with(staff_username_max_failures=20)
    store = app.extensions["services"].store
    own_browser = app.test_client()
    StaffUser(own_browser, store)
    assert login(own_browser, "clerk", StaffUser.PASSWORD).status_code == 302  # the office PC, trusted now
    own_browser.post("/staff/logout", data={"csrf_token": StaffUser.token_in(
        own_browser.get("/staff/password").get_data(as_text=True))})
    botnet = app.test_client()
    answers = [login(botnet, "clerk", "wrong-password-1", f"198.51.100.{n}").status_code for n in range(20)]
    assert answers == [401] * 19 + [429]
    # Past the limit: from a browser the clerk never signed in on, one try a minute ...
    new_laptop = app.test_client()
    assert login(new_laptop, "clerk", StaffUser.PASSWORD, "192.0.2.77").status_code == 429
    assert login(botnet, "clerk", "wrong-password-2", "198.51.100.99").status_code == 429
    clock.advance(seconds=61)
    assert login(new_laptop, "clerk", StaffUser.PASSWORD, "192.0.2.77").status_code == 302
    # ... and the office PC, which proved itself before, is not slowed at all.
    login(botnet, "clerk", "wrong-password-3", "198.51.100.98")
    assert login(own_browser, "clerk", StaffUser.PASSWORD).status_code == 302
    assert len(store.audit.entries(action="login_lockout")) == 1  # crossing the limit, not every try


def test_the_default_limits_follow_owasp_and_come_from_the_environment():
    limits = Config()
    assert (limits.staff_max_login_failures, limits.staff_lockout_minutes, limits.staff_lockout_max_hours,
            limits.staff_address_max_failures, limits.staff_username_max_failures,
            limits.staff_username_slow_seconds) == (5, 15, 24, 30, 100, 60)
    config = config_from_env({"STAFF_ADDRESS_MAX_FAILURES": "40", "STAFF_USERNAME_MAX_FAILURES": "80",
                              "STAFF_USERNAME_SLOW_SECONDS": "30", "STAFF_LOCKOUT_MAX_HOURS": "6"})
    assert (config.staff_address_max_failures, config.staff_username_max_failures,
            config.staff_username_slow_seconds, config.staff_lockout_max_hours) == (40, 80, 30, 6)


def test_every_lockout_is_audited(app, client, store, clock, admin):
    StaffUser(client, store)
    for _ in range(5):
        login(client, "clerk", "wrong-password-1", STRANGER)
    login(client, "clerk", "wrong-password-1", STRANGER)  # refused while locked: no second lockout entry
    entries = store.audit.entries(action="login_lockout")
    assert [(e.target, e.ip) for e in entries] == [("clerk", STRANGER)]
    assert "此帳號自此位址" in entries[0].detail and "12/01 10:15" in entries[0].detail
    for n in range(25):
        login(client, f"probe{n}", "wrong-password-1", STRANGER)
    entries = store.audit.entries(action="login_lockout")
    assert len(entries) == 2 and entries[0].detail.startswith("此位址")
    assert "登入鎖定" in admin.page("/staff/audit?action=login_lockout")


# --- passwords (OWASP) ---------------------------------------------------------------------------------
@pytest.mark.parametrize("password, problem", [
    ("password123", "太常見"),
    ("aaaaaaaaaa1", "太常見"),
])
def test_common_or_oversized_passwords_are_refused(store, password, problem):
    with pytest.raises(ValueError, match=problem):
        store.staff.add("newbie", password)


def test_any_characters_up_to_256_are_allowed_and_a_longer_password_is_refused_not_truncated(client, store):
    phrase = "小港戶政 correct horse 電池 staple 42 " * 10
    phrase = phrase[:256]
    assert len(phrase) == 256
    store.staff.add("poet", phrase)
    assert login(client, "poet", phrase).status_code == 302
    assert login(client.application.test_client(), "poet", phrase[:-1]).status_code == 401
    with pytest.raises(ValueError, match="最多 256"):
        store.staff.set_password("poet", phrase + "x")
