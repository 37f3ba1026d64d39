"""Cases belong to an office (OFFICES_FILE): a case number names a case within its office.

小港 (the first office, on the default channel) and 鳳山 (its own bot) may both have case A1150001: the
office's systems say which office an update is for; each citizen looks up their own office's case through
their own bot, is told through it when it is ready, and each office's clerk sees only that office's cases.
"""
from __future__ import annotations

from reminders.dispatcher import dispatch_due
from handlers.cases.commands import import_csv
from tests.helpers import Citizen, StaffUser, actions_in, all_text
from tests.test_offices import FENGSHAN_BOT, FENGSHAN_SECRET, FENGSHAN_TOKEN, shared_channel, two_channels  # noqa: F401

AUTH = {"Authorization": "Bearer test-staff-api-token"}
SIAOGANG_USER, FENGSHAN_USER = "U" + "a1" * 16, "U" + "b2" * 16


def _post_cases(app, items):
    return app.test_client().post("/api/cases", json=items, headers=AUTH)


def _same_number_in_both_offices(app):
    response = _post_cases(app, [
        {"case_no": "A1150001", "service": "戶籍謄本", "status": "reviewing", "phone_last4": "1111",
         "updated_at": "2026-12-01 09:00"},
        {"case_no": "A1150001", "service": "初領身分證", "status": "need_documents", "phone_last4": "2222",
         "updated_at": "2026-12-01 09:00", "missing": "照片", "office": "fengshan"},
    ])
    assert response.status_code == 200, response.get_json()
    assert [r["outcome"] for r in response.get_json()["results"]] == ["created", "created"]


def _look_up(citizen: Citizen, case_no: str, last4: str) -> list:
    citizen.says("查詢進度")
    citizen.says(case_no)
    return citizen.says(last4)


def test_two_offices_may_have_the_same_case_number_and_each_citizen_sees_their_own(two_channels):
    app, fake = two_channels
    _same_number_in_both_offices(app)
    client = app.test_client()
    siaogang = Citizen(client, fake, SIAOGANG_USER)
    fengshan = Citizen(client, fake, FENGSHAN_USER, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)

    here = _look_up(siaogang, "A1150001", "1111")
    there = _look_up(fengshan, "A1150001", "2222")

    assert "戶籍謄本" in all_text(here) and "審核中" in all_text(here)
    assert "初領身分證" in all_text(there) and "照片" in all_text(there) and "鳳山" in all_text(there)
    # The other office's digits open nothing: A1150001 at 小港 is not 鳳山's case.
    assert "初領身分證" not in all_text(_look_up(siaogang, "A1150001", "2222"))


def test_a_ready_notice_goes_through_the_offices_own_bot_with_its_address(two_channels):
    app, fake = two_channels
    services = app.extensions["services"]
    _same_number_in_both_offices(app)
    fengshan = Citizen(app.test_client(), fake, FENGSHAN_USER, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
    card = _look_up(fengshan, "A1150001", "2222")
    assert "通知" in all_text(fengshan.taps_button(card, "可領件時通知我"))

    services.store.clock.advance(hours=1)
    response = _post_cases(app, [{"case_no": "A1150001", "service": "初領身分證", "status": "ready",
                                  "phone_last4": "2222", "updated_at": "2026-12-01 11:00", "office": "fengshan"}])
    assert response.get_json()["results"][0]["notices"] == 1
    dispatch_due(services, services.store.clock.now())

    pushes = [c for c in fake.calls("/v2/bot/message/push") if c.to == FENGSHAN_USER]
    assert len(pushes) == 1 and pushes[0].token == FENGSHAN_TOKEN
    assert "鳳山區" in all_text(pushes[0].body["messages"]) and "小港區" not in all_text(pushes[0].body["messages"])
    # 小港's case of the same number did not move.
    assert services.store.cases.get("A1150001").status == "reviewing"


def test_an_unknown_office_in_an_update_is_refused_and_nothing_is_applied(two_channels):
    app, _ = two_channels
    response = _post_cases(app, [
        {"case_no": "A1150009", "service": "戶籍謄本", "status": "received", "phone_last4": "1111",
         "updated_at": "2026-12-01 09:00"},
        {"case_no": "A1150010", "service": "戶籍謄本", "status": "received", "phone_last4": "1111",
         "updated_at": "2026-12-01 09:00", "office": "nowhere"},
    ])
    assert response.status_code == 400
    assert "unknown office" in response.get_json()["bad_items"][0]["problems"][0]
    assert app.extensions["services"].store.cases.get("A1150009") is None


def test_the_csv_import_files_rows_under_an_office(two_channels):
    app, _ = two_channels
    services = app.extensions["services"]
    text = ("case_no,service,status,phone_last4,updated_at,office\n"
            "B1150001,戶籍謄本,received,1234,2026-12-01 09:00,\n"
            "B1150002,戶籍謄本,received,1234,2026-12-01 09:00,siaogang\n")
    report = import_csv(services.store, text, services=services, office="fengshan")
    assert report.counts["created"] == 2 and not report.errors
    # A row without an office takes --office; a row naming the first office is the first office's.
    assert services.store.cases.for_office("fengshan").get("B1150001") is not None
    assert services.store.cases.get("B1150002") is not None and services.store.cases.get("B1150001") is None


def test_an_offices_clerk_sees_only_that_offices_cases_and_a_city_wide_admin_sees_both(two_channels):
    app, _ = two_channels
    store = app.extensions["services"].store
    _same_number_in_both_offices(app)

    clerk = StaffUser(app.test_client(), store, "fengshan-clerk", office="fengshan")
    clerk.login()
    listed = clerk.page("/staff/cases")
    assert "初領身分證" in listed and "戶籍謄本" not in listed
    page = clerk.page("/staff/cases/A1150001?office=siaogang")  # another office's name is ignored
    assert "初領身分證" in page and "戶籍謄本" not in page
    clerk.post("/staff/cases/update", {"case_no": "A1150001", "status": "reviewing", "office": "siaogang"})
    assert store.cases.for_office("fengshan").get("A1150001").status == "reviewing"
    assert store.cases.get("A1150001").status == "reviewing" and store.cases.get("A1150001").service == "戶籍謄本"

    admin = StaffUser(app.test_client(), store, "city-admin", admin=True)
    admin.login()
    everything = admin.page("/staff/cases")
    assert "初領身分證" in everything and "戶籍謄本" in everything and "高雄市鳳山戶政事務所" in everything
    assert "戶籍謄本" not in admin.page("/staff/cases?office=fengshan")
    assert "初領身分證" in admin.page("/staff/cases/A1150001?office=fengshan")
    assert "戶籍謄本" in admin.page("/staff/cases/A1150001?office=siaogang")


def test_on_a_shared_channel_the_lookup_asks_the_office_first_and_then_goes_on(shared_channel):
    app, fake = shared_channel
    citizen = Citizen(app.test_client(), fake, "U" + "e5" * 16)

    asked = citizen.says("查詢進度")
    assert "哪一個戶政事務所" in all_text(asked)
    chosen = citizen.taps({a["label"]: a for a in actions_in(asked)}["前鎮戶政事務所"]["data"])

    assert "案件編號" in all_text(chosen)
    assert app.extensions["services"].store.users.get(citizen.user_id).office_id == "cianjhen"


def test_cases_from_before_offices_stay_with_the_first_office_and_keep_their_history(config, clock, request):
    from bot import registry
    from handlers.cases.notices import update_case
    from tests.conftest import on_postgresql

    if on_postgresql():  # an empty database, not the suite's migrated template
        config = config.with_(database_url=request.getfixturevalue("pg_cluster").create_database(
            f"upgrade_{id(request)}"))
    store = registry.open_store(config=config, clock=clock)
    store.database.migrate([m for m in store.migrations() if m[0] < 93])  # a database of the previous release
    with store.transaction() as db:
        db.execute("INSERT INTO users (user_id, lang, active, created_at, updated_at) "
                   "VALUES ('U1', 'zh', 1, '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')")
        db.execute("INSERT INTO cases (case_no, service, status, phone_last4, updated_at, created_at, changed_at) "
                   "VALUES ('A1150001', '戶籍謄本', 'reviewing', '1234', '2026-12-01T01:00:00Z', "
                   "'2026-12-01T01:00:00Z', '2026-12-01T01:00:00Z')")
        db.execute("INSERT INTO case_history (case_no, status, updated_at, recorded_at) "
                   "VALUES ('A1150001', 'reviewing', '2026-12-01T01:00:00Z', '2026-12-01T01:00:00Z')")
        db.execute("INSERT INTO case_followers (case_no, user_id, created_at) VALUES ('A1150001', 'U1', '2026-12-01T01:00:00Z')")

    assert 93 in store.migrate()

    assert store.cases.get("A1150001").office_id == "" and store.cases.followers("A1150001")[0][0] == "U1"
    update_case(store, "A1150001", "ready")  # a new history row after the copied one (PostgreSQL: its identity follows)
    assert [h["status"] for h in store.cases.history("A1150001")] == ["reviewing", "ready"]
    assert store.cases.for_office("fengshan").get("A1150001") is None
    store.close()


def test_closing_one_offices_day_cancels_only_its_appointments(two_channels):
    from datetime import date, time

    from handlers.booking.commands import close_day

    app, _ = two_channels
    store = app.extensions["services"].store
    there = store.bookings.for_office("fengshan").book_slot(FENGSHAN_USER, "id_card", date(2026, 12, 3), time(10, 0),
                                                            name="王小明", phone="0912345678")
    here = store.bookings.book_slot(SIAOGANG_USER, "id_card", date(2026, 12, 3), time(10, 0),
                                    name="林小華", phone="0922333444")

    assert close_day(store, date(2026, 12, 3), "停電", office_id="fengshan").endswith(there.booking_no)

    assert store.bookings.for_office("fengshan").closures() and not store.bookings.closures()
    assert store.bookings.get(here.booking_no).status == "booked"
    assert store.bookings.get(there.booking_no).status == "cancelled"
