"""Several offices in one deployment (OFFICES_FILE): each office's own LINE channel, through the real webhook.

小港 answers on the default channel (LINE_CHANNEL_*); 鳳山 has its own bot. A citizen of each is answered
with their own office's details, through their own bot's token; a body signed for one bot but addressed to
another, or signed with no channel's secret, is refused and nothing is sent.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import ConfigError, create_app
from bot.config import Config
from bot.fake_line import FakeLineApi
from bot.offices import OfficesError, load_offices
from handlers.inbox.store import ThreadFilter
from reminders.dispatcher import dispatch_due
from tests.helpers import (SECRET, TOKEN, Citizen, StaffUser, actions_in, all_text, file_complaint, labels,
                           signed_post, text_event)

ROOT = Path(__file__).resolve().parents[1]
FENGSHAN_BOT = "U" + "f" * 32
FENGSHAN_SECRET = "fengshan-channel-secret"
FENGSHAN_TOKEN = "fengshan-access-token"


def _offices_file(tmp_path: Path, shared: bool = False, cianjhen_info: Path | None = None) -> Path:
    path = tmp_path / "offices.yaml"
    cianjhen = f"""
  - id: cianjhen
    info: {cianjhen_info or ROOT / "offices" / "cianjhen.yaml"}
""" if shared else ""
    path.write_text(f"""
offices:
  - id: siaogang
    info: {ROOT / "knowledge" / "office.yaml"}
  - id: fengshan
    info: {ROOT / "offices" / "fengshan.yaml"}
    line:
      destination: {FENGSHAN_BOT}
      channel_secret_env: TEST_FENGSHAN_SECRET
      channel_access_token_env: TEST_FENGSHAN_TOKEN
{cianjhen}""", encoding="utf-8")
    return path


def _deployment(tmp_path, config, clock, knowledge_and_matcher, monkeypatch, shared: bool, **office_files):
    monkeypatch.setenv("TEST_FENGSHAN_SECRET", FENGSHAN_SECRET)
    monkeypatch.setenv("TEST_FENGSHAN_TOKEN", FENGSHAN_TOKEN)
    fake = FakeLineApi(access_token={TOKEN, FENGSHAN_TOKEN}).start()
    kb, matcher = knowledge_and_matcher
    app = create_app(config.with_(offices_file=str(_offices_file(tmp_path, shared, **office_files)),
                                  line_api_base_url=fake.url),
                     clock=clock, fake_line=fake, knowledge=kb, matcher=matcher)
    app.config["TESTING"] = True
    return app, fake


@pytest.fixture
def two_channels(tmp_path, config, clock, knowledge_and_matcher, monkeypatch):
    app, fake = _deployment(tmp_path, config, clock, knowledge_and_matcher, monkeypatch, shared=False)
    yield app, fake
    app.extensions["services"].store.close()
    fake.stop()


@pytest.fixture
def shared_channel(tmp_path, config, clock, knowledge_and_matcher, monkeypatch):
    """小港 and 前鎮 share the default channel; 鳳山 keeps its own."""
    app, fake = _deployment(tmp_path, config, clock, knowledge_and_matcher, monkeypatch, shared=True)
    yield app, fake
    app.extensions["services"].store.close()
    fake.stop()


def test_each_citizen_is_answered_by_their_own_offices_bot_with_its_details(two_channels):
    app, fake = two_channels
    client = app.test_client()
    siaogang = Citizen(client, fake, "U" + "a1" * 16)
    fengshan = Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)

    here = siaogang.says("服務資訊")
    there = fengshan.says("服務資訊")

    assert "小港" in all_text(here) and "鳳山" not in all_text(here)
    assert "鳳山" in all_text(there) and "小港" not in all_text(there)
    tokens = {d["to"]: d["token"] for d in fake.delivered()}
    assert tokens == {siaogang.user_id: TOKEN, fengshan.user_id: FENGSHAN_TOKEN}


def test_on_a_shared_channel_the_citizen_chooses_an_office_once_and_may_change_it(shared_channel):
    app, fake = shared_channel
    citizen = Citizen(app.test_client(), fake, "U" + "e5" * 16)

    asked = citizen.says("服務資訊")
    assert "哪一個戶政事務所" in all_text(asked)
    buttons = {a["label"]: a for a in actions_in(asked)}
    assert set(buttons) == {"小港戶政事務所", "前鎮戶政事務所"}
    assert all(a["displayText"] for a in buttons.values())

    card = citizen.taps(buttons["前鎮戶政事務所"]["data"])
    assert "前鎮" in all_text(card) and "小港" not in all_text(card)
    assert "前鎮" in all_text(citizen.says("服務資訊"))  # remembered
    assert "切換戶所" in labels(card)

    again = citizen.taps_button(card, "切換戶所")
    assert "哪一個戶政事務所" in all_text(again)
    switched = citizen.taps({a["label"]: a for a in actions_in(again)}["小港戶政事務所"]["data"])
    assert "小港" in all_text(switched) and "前鎮" not in all_text(switched)
    assert "小港" in all_text(citizen.says("服務資訊"))
    # 鳳山's own channel has one office: nothing to choose.
    fengshan = Citizen(app.test_client(), fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
    assert "鳳山" in all_text(fengshan.says("服務資訊"))


def complaints_in_each_office(app, fake):
    """A 小港 citizen on the default bot and a 鳳山 citizen on 鳳山's bot each file a complaint; their threads."""
    client = app.test_client()
    file_complaint(Citizen(client, fake, "U" + "a1" * 16), text="小港櫃台等太久了")
    file_complaint(Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT),
                   text="鳳山的停車位太少")
    store = app.extensions["services"].store
    return sorted(store.inbox.search(ThreadFilter(status="all")), key=lambda t: t.office_id)


def test_an_offices_clerk_sees_only_that_offices_complaint_and_a_city_wide_admin_sees_both(two_channels):
    app, fake = two_channels
    store = app.extensions["services"].store
    here, there = complaints_in_each_office(app, fake)
    assert (here.office_id, there.office_id) == ("", "fengshan")

    clerk = StaffUser(app.test_client(), store, "fengshan-clerk", office="fengshan")
    clerk.login()
    inbox = clerk.page("/staff/inbox")
    assert "鳳山的停車位太少" in inbox and "小港櫃台等太久了" not in inbox
    assert store.inbox.status_counts(("fengshan",))["new"] == 1 and store.inbox.status_counts()["new"] == 2
    assert clerk.get(f"/staff/threads/{here.id}").status_code == 404
    assert clerk.get(f"/staff/threads/{there.id}").status_code == 200

    admin = StaffUser(app.test_client(), store, "city-admin", admin=True)
    admin.login()
    everything = admin.page("/staff/inbox")
    assert "鳳山的停車位太少" in everything and "小港櫃台等太久了" in everything
    assert "高雄市鳳山戶政事務所" in everything and "高雄市小港戶政事務所" in everything  # the office column
    only_siaogang = admin.page("/staff/inbox?office=siaogang")
    assert "小港櫃台等太久了" in only_siaogang and "鳳山的停車位太少" not in only_siaogang


def test_a_later_push_goes_out_through_the_bot_the_citizen_wrote_to(two_channels):
    app, fake = two_channels
    services = app.extensions["services"]
    fengshan = Citizen(app.test_client(), fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
    fengshan.says("你好")
    services.store.outbox.enqueue(fengshan.user_id, [{"type": "text", "text": "您的案件可以領件了"}], urgent=True)
    services.store.outbox.enqueue("C" + "0" * 32, [{"type": "text", "text": "給同仁群組"}], urgent=True)

    assert dispatch_due(services, services.store.clock.now()).sent == 2
    pushes = {c.to: c.token for c in fake.calls("/v2/bot/message/push")}
    assert pushes == {fengshan.user_id: FENGSHAN_TOKEN, "C" + "0" * 32: TOKEN}


def test_a_body_signed_for_one_bot_but_addressed_to_another_is_refused(two_channels):
    app, fake = two_channels
    client = app.test_client()
    event = text_event("U" + "d4" * 16, "你好", fake.issue_reply_token("U" + "d4" * 16))

    # The default channel's secret, but 鳳山's bot as the destination; and 鳳山's secret for another bot.
    assert signed_post(client, [event], SECRET, destination=FENGSHAN_BOT).status_code == 400
    assert signed_post(client, [event], FENGSHAN_SECRET, destination="U" + "0" * 32).status_code == 400
    assert signed_post(client, [event], "a-secret-nobody-has", destination=FENGSHAN_BOT).status_code == 400
    assert fake.calls("/v2/bot/message/") == []


def test_without_offices_file_there_is_one_office_on_one_channel(config):
    offices = load_offices(config)
    assert [o.id for o in offices.offices] == ["main"] and [c.key for c in offices.channels] == ["line"]
    assert not offices.several


@pytest.mark.parametrize("content, problem", [
    ("offices: []", "at least one office"),
    ("offices:\n  - id: Bad_Id", "id must be"),
    ("offices:\n  - id: aa\n  - id: aa", "used twice"),
    ("offices:\n  - id: aa\n    info: nowhere.yaml", "not found"),
    ("offices:\n  - id: aa\n    line: {destination: Ubot}", "destination is the bot's user id"),
    (f"offices:\n  - id: aa\n    line: {{destination: {FENGSHAN_BOT}, channel_secret_env: NOT_SET_ANYWHERE,"
     " channel_access_token_env: NOT_SET_EITHER}", "NOT_SET_ANYWHERE is not set"),
])
def test_a_misconfigured_offices_file_stops_the_start_with_a_clear_reason(tmp_path, config, content, problem):
    path = tmp_path / "offices.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(OfficesError, match=problem):
        load_offices(config.with_(offices_file=str(path)), environ={})
    with pytest.raises(ConfigError, match=problem):
        create_app(config.with_(offices_file=str(path)))


def test_the_example_offices_file_loads(monkeypatch):
    monkeypatch.chdir(ROOT)
    offices = load_offices(Config(line_channel_secret="s", line_channel_access_token="t",
                                  offices_file="offices.example.yaml"),
                           environ={"FENGSHAN_LINE_CHANNEL_SECRET": "a", "FENGSHAN_LINE_CHANNEL_ACCESS_TOKEN": "b"})
    assert [o.id for o in offices.offices] == ["siaogang", "fengshan", "cianjhen"]
    assert [c.key for c in offices.channels] == ["line", "line:fengshan"]


def test_staff_add_office_makes_an_account_of_that_office_only(tmp_path, monkeypatch, capsys):
    import io

    from bot.cli import main
    from bot.registry import open_store

    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("OFFICES_FILE", str(_offices_file(tmp_path)))
    monkeypatch.setenv("LINE_CHANNEL_SECRET", SECRET)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("TEST_FENGSHAN_SECRET", FENGSHAN_SECRET)
    monkeypatch.setenv("TEST_FENGSHAN_TOKEN", FENGSHAN_TOKEN)
    monkeypatch.setattr("sys.stdin", io.StringIO("clerk-pass-1234\n"))
    assert main(["staff", "add", "fs-clerk", "--office", "fengshan"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("clerk-pass-1234\n"))
    assert main(["staff", "add", "nobody", "--office", "taipei"]) == 1
    assert "no office 'taipei'" in capsys.readouterr().err
    assert open_store(str(tmp_path / "cli.sqlite3")).staff.by_username("fs-clerk").office_id == "fengshan"
    assert main(["staff", "list"]) == 0
    assert "fs-clerk\t-\t-\toffice fengshan" in capsys.readouterr().out


def test_two_offices_ten_oclock_slots_are_different_seats(two_channels):
    from datetime import date, time

    from tests.test_booking_flow import booking_no, to_confirm, to_days

    app, fake = two_channels
    store = app.extensions["services"].store
    thursday = date(2026, 12, 3)
    for n, user in enumerate(("U" + "11" * 16, "U" + "22" * 16)):  # 小港's two 10:00 seats are taken
        store.bookings.book_slot(user, "id_card", thursday, time(10, 0), name="林小華", phone=f"092233344{n}")
    client = app.test_client()
    siaogang = Citizen(client, fake, "U" + "a1" * 16)
    fengshan = Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)

    assert "10:00（剩2）" not in labels(siaogang.taps_button(to_days(siaogang), "12/03（四）"))
    number = booking_no(fengshan.taps_button(to_confirm(fengshan), "確認預約"))

    booked = store.bookings.get(number)
    assert (booked.office_id, booked.day, booked.start) == ("fengshan", thursday, time(10, 0))
    assert [b.office_id for b in store.bookings.bookings_on(thursday)] == ["", "", "fengshan"]
    assert len(store.bookings.for_office("").bookings_on(thursday)) == 2

    clerk = StaffUser(app.test_client(), store, "fengshan-clerk", office="fengshan")
    clerk.login()
    day_list = clerk.page("/staff/appointments?date=2026-12-03")
    assert number in day_list and "林小華" not in day_list
    other = store.bookings.bookings_on(thursday)[0].booking_no
    assert clerk.post(f"/staff/appointments/{other}/attendance", {"status": "arrived"}).status_code == 404


def test_dashboards_per_office_and_city_wide(two_channels):
    app, fake = two_channels
    store = app.extensions["services"].store
    client = app.test_client()
    file_complaint(Citizen(client, fake, "U" + "a1" * 16), text="小港櫃台等太久了")
    fengshan = Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
    file_complaint(fengshan, text="鳳山的停車位太少")
    fengshan.says("身分證不見了怎麼辦")
    assert store.faq.figures(offices=("fengshan",))["questions"] >= 1
    assert store.faq.figures(offices=("", "siaogang"))["questions"] == 0

    assert store.inbox.kinds_since("2000-01-01T00:00:00Z", ("fengshan",))["complaint"] == 1
    assert store.inbox.kinds_since("2000-01-01T00:00:00Z")["complaint"] == 2

    clerk = StaffUser(app.test_client(), store, "fengshan-clerk", office="fengshan")
    clerk.login()
    page = clerk.page("/staff/dashboard")
    assert "高雄市鳳山戶政事務所：" in page and 'id="d-office"' not in page
    admin = StaffUser(app.test_client(), store, "city-admin", admin=True)
    admin.login()
    assert "全市：" in admin.page("/staff/dashboard") and 'id="d-office"' in admin.page("/staff/dashboard")
    assert "高雄市小港戶政事務所：" in admin.page("/staff/dashboard?office=siaogang")


def test_one_clock_reminds_every_offices_citizens_through_their_own_bot(two_channels, clock):
    from datetime import date, datetime, time

    app, fake = two_channels
    services = app.extensions["services"]
    fengshan = Citizen(app.test_client(), fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
    fengshan.says("你好")
    services.store.bookings.for_office("fengshan").book_slot(fengshan.user_id, "id_card", date(2026, 12, 3),
                                                             time(10, 0), name="王小明", phone="0912345678")
    services.store.bookings.book_slot("U" + "a1" * 16, "id_card", date(2026, 12, 3), time(10, 0),
                                      name="林小華", phone="0922333444")
    clock.set(datetime(2026, 12, 2, 9, 5))  # the day before, after the reminder time
    services.tick(clock.now())
    reminders = {c.to: c.token for c in fake.calls("/v2/bot/message/push")}
    assert reminders[fengshan.user_id] == FENGSHAN_TOKEN and reminders["U" + "a1" * 16] == TOKEN


def test_faq_answers_quote_the_citizens_own_office(two_channels):
    app, fake = two_channels
    client = app.test_client()
    fengshan = Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
    siaogang = Citizen(client, fake, "U" + "a1" * 16)
    assert "鳳山區" in all_text(fengshan.says("請問你們戶政事務所的地址在哪裡"))
    assert "小港區" in all_text(siaogang.says("請問你們戶政事務所的地址在哪裡"))


def test_an_office_books_under_its_own_rules(tmp_path, config, clock, knowledge_and_matcher, monkeypatch):
    rules = (ROOT / "knowledge" / "booking_rules.yaml").read_text(encoding="utf-8").replace("seats: 2", "seats: 1")
    (tmp_path / "fengshan_rules.yaml").write_text(rules, encoding="utf-8")
    offices = _offices_file(tmp_path)
    offices.write_text(offices.read_text(encoding="utf-8").replace(
        "  - id: fengshan\n", f"  - id: fengshan\n    booking_rules: {tmp_path / 'fengshan_rules.yaml'}\n"),
        encoding="utf-8")
    monkeypatch.setenv("TEST_FENGSHAN_SECRET", FENGSHAN_SECRET)
    monkeypatch.setenv("TEST_FENGSHAN_TOKEN", FENGSHAN_TOKEN)
    fake = FakeLineApi(access_token={TOKEN, FENGSHAN_TOKEN}).start()
    kb, matcher = knowledge_and_matcher
    app = create_app(config.with_(offices_file=str(offices), line_api_base_url=fake.url),
                     clock=clock, fake_line=fake, knowledge=kb, matcher=matcher)
    app.config["TESTING"] = True
    try:
        from tests.test_booking_flow import to_days

        client = app.test_client()
        fengshan = Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
        siaogang = Citizen(client, fake, "U" + "a1" * 16)
        assert "10:00（剩1）" in labels(fengshan.taps_button(to_days(fengshan), "12/03（四）"))
        assert "10:00（剩2）" in labels(siaogang.taps_button(to_days(siaogang), "12/03（四）"))
    finally:
        app.extensions["services"].store.close()
        fake.stop()


def test_a_shared_location_chooses_the_nearest_office_whose_place_staff_confirmed(
        tmp_path, config, clock, knowledge_and_matcher, monkeypatch):
    # 前鎮's details with its place confirmed (the shipped example leaves it unknown).
    cianjhen = tmp_path / "cianjhen.yaml"
    cianjhen.write_text((ROOT / "offices" / "cianjhen.yaml").read_text(encoding="utf-8")
                        .replace("lat: null", "lat: 22.5950").replace("lng: null", "lng: 120.3200"), encoding="utf-8")
    app, fake = _deployment(tmp_path, config, clock, knowledge_and_matcher, monkeypatch, shared=True,
                            cianjhen_info=cianjhen)
    store = app.extensions["services"].store
    try:
        citizen = Citizen(app.test_client(), fake, "U" + "e7" * 16)
        assert "傳位置找最近戶所" in labels(citizen.says("服務資訊"))  # the choice offers the location picker

        near_cianjhen = citizen.sends({"type": "location", "title": "家", "address": "高雄市前鎮區",
                                       "latitude": 22.5960, "longitude": 120.3150})
        assert "離您最近的是高雄市前鎮戶政事務所" in all_text(near_cianjhen) and "公里" in all_text(near_cianjhen)
        assert store.users.get(citizen.user_id).office_id == "cianjhen" and "切換戶所" in labels(near_cianjhen)

        store.office.set("map", "22.5645,120.3541", "boss")  # 小港 (the first office), as staff confirm it
        near_siaogang = citizen.sends({"type": "location", "title": "小港機場", "address": "高雄市小港區",
                                       "latitude": 22.5700, "longitude": 120.3500})
        assert "離您最近的是高雄市小港戶政事務所" in all_text(near_siaogang)
        assert store.users.get(citizen.user_id).office_id == "siaogang"
    finally:
        store.close()
        fake.stop()


def test_a_location_on_a_channel_of_one_office_is_only_thanked(two_channels):
    app, fake = two_channels
    citizen = Citizen(app.test_client(), fake, "U" + "a1" * 16)
    replies = citizen.sends({"type": "location", "title": "家", "address": "高雄市", "latitude": 22.6, "longitude": 120.3})
    assert "收到您的位置" in all_text(replies)


# --- push counts and quotas per channel ---------------------------------------------------------------
def _with_fengshan_quota(tmp_path: Path, quota: int) -> Path:
    offices = _offices_file(tmp_path)
    offices.write_text(offices.read_text(encoding="utf-8").replace(
        "      channel_access_token_env: TEST_FENGSHAN_TOKEN\n",
        f"      channel_access_token_env: TEST_FENGSHAN_TOKEN\n      monthly_quota: {quota}\n"), encoding="utf-8")
    return offices


@pytest.fixture
def two_quotas(tmp_path, config, clock, knowledge_and_matcher, monkeypatch):
    """小港 on the default channel (LINE_MONTHLY_QUOTA 5); 鳳山's own bot with line.monthly_quota 2."""
    monkeypatch.setenv("TEST_FENGSHAN_SECRET", FENGSHAN_SECRET)
    monkeypatch.setenv("TEST_FENGSHAN_TOKEN", FENGSHAN_TOKEN)
    fake = FakeLineApi(access_token={TOKEN, FENGSHAN_TOKEN}).start()
    kb, matcher = knowledge_and_matcher
    app = create_app(config.with_(offices_file=str(_with_fengshan_quota(tmp_path, 2)), line_api_base_url=fake.url,
                                  line_monthly_quota=5),
                     clock=clock, fake_line=fake, knowledge=kb, matcher=matcher)
    app.config["TESTING"] = True
    yield app, fake
    app.extensions["services"].store.close()
    fake.stop()


def _push(services, user_id: str, n: int) -> None:
    for i in range(n):
        services.store.outbox.enqueue(user_id, [{"type": "text", "text": f"通知 {i}"}], urgent=True)
    assert dispatch_due(services, services.store.clock.now()).sent == n


def test_each_channels_pushes_are_counted_apart_and_staff_warned_per_channel(two_quotas):
    from bot.jobs import KERNEL_DAILY_JOBS
    from bot.quota import check_quotas

    app, fake = two_quotas
    services = app.extensions["services"]
    outbox, now = services.store.outbox, services.store.clock.now()
    client = app.test_client()
    siaogang = Citizen(client, fake, "U" + "a1" * 16)
    fengshan = Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
    siaogang.says("你好")
    fengshan.says("你好")

    _push(services, siaogang.user_id, 3)
    _push(services, fengshan.user_id, 2)
    assert outbox.pushes_by_channel() == {"line": 3, "line:fengshan": 2}
    assert outbox.pushes_in_month(channel="line:fengshan") == 2 and outbox.pushes_in_month() == 5

    services.tick(now)  # the clock's quota check, every tick
    notes = [n["text"] for n in outbox.staff_notes()]
    assert len(notes) == 1  # 鳳山 is at 2 of its own 2; 小港's 3 of 5 is not yet 80%
    assert "鳳山戶政事務所" in notes[0] and "2／2" in notes[0] and "line:fengshan" in notes[0]
    assert "小港" not in notes[0]

    _push(services, siaogang.user_id, 1)
    services.tick(now)
    services.tick(now)  # once a month per channel
    notes = [n["text"] for n in outbox.staff_notes()]
    assert len(notes) == 2 and "小港戶政事務所" in notes[0] and "4／5" in notes[0] and "鳳山" not in notes[0]

    # The daily check asks each bot's own consumption, with its own token (the fake counts per token).
    daily = next(job for job in KERNEL_DAILY_JOBS if job.id == "quota.check_with_line")
    reports = {r.channel: r for r in daily.run(services, now)}
    assert (reports["line"].line_reported, reports["line:fengshan"].line_reported) == (4, 2)
    assert (reports["line"].quota, reports["line:fengshan"].quota) == (5, 2)
    assert len(check_quotas(services, now)) == 2 and len(outbox.staff_notes()) == 2


def test_an_offices_quota_is_a_whole_number_of_pushes(tmp_path, config):
    environ = {"TEST_FENGSHAN_SECRET": FENGSHAN_SECRET, "TEST_FENGSHAN_TOKEN": FENGSHAN_TOKEN}
    offices = load_offices(config.with_(offices_file=str(_with_fengshan_quota(tmp_path, 15000))), environ=environ)
    assert [c.monthly_quota for c in offices.channels] == [None, 15000]
    path = _offices_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "TEST_FENGSHAN_TOKEN\n", "TEST_FENGSHAN_TOKEN\n      monthly_quota: lots\n"), encoding="utf-8")
    with pytest.raises(OfficesError, match="monthly_quota is a whole number"):
        load_offices(config.with_(offices_file=str(path)), environ=environ)


def test_python_m_bot_quota_prints_one_line_per_channel(tmp_path, config, monkeypatch, capsys):
    from bot.app import build_services
    from bot.cli import main

    fake = FakeLineApi(access_token={TOKEN, FENGSHAN_TOKEN}).start()
    try:
        for name, value in {"DATABASE_PATH": config.database_path, "LINE_API_BASE_URL": fake.url,
                            "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_CHANNEL_SECRET": SECRET,
                            "LINE_MONTHLY_QUOTA": "10", "TEST_FENGSHAN_SECRET": FENGSHAN_SECRET,
                            "TEST_FENGSHAN_TOKEN": FENGSHAN_TOKEN,
                            "OFFICES_FILE": str(_with_fengshan_quota(tmp_path, 4))}.items():
            monkeypatch.setenv(name, value)
        services = build_services(config.with_(quiet_hours="", offices_file=str(tmp_path / "offices.yaml"),
                                               line_api_base_url=fake.url), knowledge=object(), matcher=object())
        services.store.users.update("U" + "b2" * 16, channel="line:fengshan")  # as the webhook remembers it
        _push(services, "U" + "b2" * 16, 3)
        _push(services, "U" + "a1" * 16, 1)

        assert main(["quota"]) == 0
        out = capsys.readouterr()
        lines = out.out.strip().splitlines()
        assert lines == [
            "line (Siaogang Household Registration Office, Kaohsiung City) 2026-12: 1 pushes counted; "
            "LINE reports 1; quota 10 (10.0% used)",
            "line:fengshan (Fengshan Household Registration Office, Kaohsiung City) 2026-12: 3 pushes counted; "
            "LINE reports 3; quota 4 (75.0% used)",
        ]
        assert "staff have been told" not in out.err
        services.store.close()
    finally:
        fake.stop()


# --- the audit log's office -----------------------------------------------------------------------------
def test_an_offices_audit_page_shows_its_own_entries_and_a_city_wide_admin_filters_by_office(two_channels):
    from datetime import date, time

    app, fake = two_channels
    store = app.extensions["services"].store
    here, there = complaints_in_each_office(app, fake)
    visit = store.bookings.for_office("fengshan").book_slot("U" + "b2" * 16, "id_card", date(2026, 12, 3),
                                                            time(10, 0), name="王小明", phone="0912345678")

    chief = StaffUser(app.test_client(), store, "fengshan-chief", admin=True, office="fengshan")
    chief.login()
    assert chief.get(f"/staff/threads/{there.id}").status_code == 200
    assert chief.post(f"/staff/appointments/{visit.booking_no}/attendance", {"status": "arrived"}).status_code == 302
    admin = StaffUser(app.test_client(), store, "city-admin", admin=True)
    admin.login()
    assert admin.get(f"/staff/threads/{here.id}").status_code == 200
    assert admin.get(f"/staff/threads/{there.id}").status_code == 200  # a city-wide look at 鳳山's thread

    # Each office numbers its own threads (both are C-2026-0001): the entry's office tells them apart.
    kept = {(e.actor, e.action, e.target, e.office_id) for e in store.audit.entries()}
    assert ("fengshan-chief", "view_thread", there.ref, "fengshan") in kept
    assert ("fengshan-chief", "attendance", visit.booking_no, "fengshan") in kept
    assert ("fengshan-chief", "login", "", "fengshan") in kept  # an office's account acts for its office
    assert ("city-admin", "view_thread", there.ref, "fengshan") in kept  # the thing's office, not the actor's
    assert ("city-admin", "view_thread", here.ref, "") in kept
    assert ("city-admin", "login", "", "") in kept  # city-wide, no office

    siaogang, fengshan = "高雄市小港戶政事務所", "高雄市鳳山戶政事務所"  # the office column names whose entry it is
    page = chief.page("/staff/audit")
    assert there.ref in page and visit.booking_no in page
    assert "city-admin" in page  # the city-wide look at 鳳山's thread is 鳳山's business
    assert fengshan in page and siaogang not in page
    assert 'id="a-office"' not in page
    assert siaogang not in chief.page("/staff/audit?office=siaogang")  # no peeking through the filter

    everything = admin.page("/staff/audit")
    assert siaogang in everything and fengshan in everything and 'id="a-office"' in everything
    only_fengshan = admin.page("/staff/audit?office=fengshan")
    assert there.ref in only_fengshan and fengshan in only_fengshan and siaogang not in only_fengshan.split("</select>")[-1]
    only_siaogang = admin.page("/staff/audit?office=siaogang")
    assert here.ref in only_siaogang and fengshan not in only_siaogang.split("</select>")[-1]

    clerk = StaffUser(app.test_client(), store, "fengshan-clerk", office="fengshan")
    clerk.login()
    assert clerk.get("/staff/audit").status_code == 403  # the audit log stays an admin's page


def test_old_push_counts_and_audit_entries_keep_their_meaning_after_the_upgrade(tmp_path, config, request):
    from bot.registry import open_store
    from tests.conftest import on_postgresql

    if on_postgresql():  # a database of its own, not the migrated template
        url = request.getfixturevalue("pg_cluster").create_database(f"upgrade_{tmp_path.name[-20:]}".lower()
                                                                    .replace("-", "_"))
        config = config.with_(database_url=url)
    store = open_store(config.database_path, config=config)
    try:
        store.database.migrate([m for m in store.migrations() if m[0] not in (26, 94)])
        store.db.execute("INSERT INTO push_counts (month, pushes) VALUES ('2026-11', 7)")
        store.db.execute("INSERT INTO audit_log (at, actor, action) VALUES ('2026-11-30T01:00:00Z', 'clerk', 'login')")
        assert store.migrate() == [26, 94]
        assert store.outbox.pushes_by_channel("2026-11") == {"line": 7}
        store.outbox.count_push(channel="line:fengshan")
        assert store.outbox.pushes_by_channel() == {"line:fengshan": 1}
        assert [(e.actor, e.office_id) for e in store.audit.entries()] == [("clerk", "")]
    finally:
        store.close()
