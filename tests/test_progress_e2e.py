"""End to end: a case imported, looked up through the webhook, followed, made ready, pushed once."""
from __future__ import annotations

from handlers.cases.commands import import_csv, read_text
from reminders.jobs import run_tick
from tests.helpers import all_text
from handlers.cases.notices import update_case

HEADER = "case_no,service,status,phone_last4,updated_at,missing,pickup_by\n"


def test_import_look_up_opt_in_ready_and_exactly_one_push(citizen, store, services, fake_line, clock, tmp_path):
    citizen.follow()
    received = tmp_path / "received.csv"
    received.write_text(HEADER + "A1150001,戶籍謄本,reviewing,1234,2026-12-01 09:00,,\n", encoding="utf-8")
    assert import_csv(store, read_text(received)).counts["created"] == 1

    citizen.dialog([("查詢進度", "案件編號"), ("A1150001", "末四碼")])
    card = citizen.says("1234")
    assert "審核中" in all_text(card)
    assert "會以 LINE 通知您" in all_text(citizen.taps_button(card, "可領件時通知我"))

    ready = tmp_path / "ready.csv"
    ready.write_text(HEADER + "A1150001,戶籍謄本,ready,1234,2026-12-01 11:00,,2026-12-31\n", encoding="utf-8")
    clock.advance(hours=1)
    assert import_csv(store, read_text(ready)).notices == 1

    pushes_before = len(fake_line.calls("/push"))
    run_tick(services, clock.now())
    run_tick(services, clock.now())
    pushes = fake_line.calls("/push")[pushes_before:]
    assert len(pushes) == 1 and pushes[0].status == 200 and pushes[0].to == citizen.user_id
    notice = pushes[0].body["messages"][0]
    assert notice["altText"] == "您的案件 A1150001 已可領件"
    assert "2026/12/31" in all_text([notice]) and pushes[0].retry_key


def test_the_lookup_works_in_the_simulator(tmp_path):
    from bot.app import create_app
    from bot.config import Config

    app = create_app(Config(database_path=str(tmp_path / "sim.sqlite3"), secret_key="s", simulator=True))
    services = app.extensions["services"]
    try:
        update_case(services.store, "A1150001", "ready", service="戶籍謄本", phone_last4="1234")
        client = app.test_client()
        for said in ("查詢進度", "A1150001", "1234"):
            assert client.post("/simulator/api/send", json={"user": "Usim1", "type": "text", "text": said}
                               ).get_json()["status"] == 200
        messages = client.get("/simulator/api/messages?user=Usim1").get_json()["messages"]
        assert "可領件" in all_text([m["message"] for m in messages])
    finally:
        services.fake_line.stop()
        services.store.close()
