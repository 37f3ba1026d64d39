"""Office details staff can fill in: validated, audited, and used by the next answer, card and push."""
from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.registry import open_store
from knowledge.office_fields import InvalidValue, clean
from reminders.jobs import run_tick
from tests.helpers import actions_in, all_text, labels
from handlers.cases.notices import update_case

CASE = "A1150001"
PIN = "22.5645,120.354"


# --- what staff may type ----------------------------------------------------------------------
@pytest.mark.parametrize("field, typed, stored", [
    ("phone", "07-8012345", "07-8012345"),
    ("phone", "(07)801-2345 轉 123", "07-8012345 #123"),
    ("phone", "０７－８０１２３４５", "07-8012345"),
    ("phone", "0912345678", "0912-345-678"),
    ("hours", "8:30-17:30", "08:30-17:30"),
    ("hours_evening", "二、四 17:30-20:00", "tue,thu 17:30-20:00"),
    ("hours_evening", "mon-fri 17:30～20:00", "mon,tue,wed,thu,fri 17:30-20:00"),
    ("hours_evening", "無", "none"),
    ("hours_saturday", "1,3 08:00-12:00", "1,3 08:00-12:00"),
    ("hours_saturday", "08:00-12:00", "08:00-12:00"),
    ("map", "22.5645, 120.3540", PIN),
    ("address", "高雄市小港區  宏平路 1 號", "高雄市小港區 宏平路 1 號"),
])
def test_valid_values_are_stored_in_one_form(field, typed, stored):
    assert clean(field, typed) == stored


@pytest.mark.parametrize("field, typed, reason", [
    ("phone", "12345", "區碼"),
    ("phone", "07-8012345 #abc", "分機"),
    ("hours", "8點到5點", "24 小時制"),
    ("hours", "17:00-08:00", "晚於"),
    ("hours_evening", "六 18:00-20:00", "週一到週五"),
    ("hours_evening", "二 13:00-15:00", "17:00"),
    ("map", "120.354,22.5645", "寫反"),
    ("map", "25.0330,121.5654", "高雄市範圍"),
    ("map", "north", "十進位"),
    ("address", "高雄", "至少"),
    ("parking", "<script>", "符號"),
])
def test_invalid_values_are_refused_with_the_reason(field, typed, reason):
    with pytest.raises(InvalidValue, match=reason):
        clean(field, typed)


# --- answers use them at once -----------------------------------------------------------------
def test_unconfirmed_details_keep_pointing_to_the_website_and_send_no_pin(citizen):
    replies = citizen.says("服務資訊")
    assert [r["type"] for r in replies] == ["flex"]
    assert "請以官網公告為準" in all_text(replies)


def test_confirmed_phone_hours_and_pin_are_in_the_next_office_info(citizen, store):
    store.office.set("phone", "07-8012345", "boss")
    store.office.set("hours", "08:00-17:00", "boss")
    store.office.set("hours_evening", "二、四 17:30-20:00", "boss")
    store.office.set("hours_saturday", "1,3 08:00-12:00", "boss")
    store.office.set("map", PIN, "boss")
    replies = citizen.says("服務資訊")
    pin, card = replies
    assert pin == {"type": "location", "title": "高雄市小港戶政事務所", "address": pin["address"],
                   "latitude": 22.5645, "longitude": 120.354}
    text = all_text([card])
    assert "☎️ 電話：07-8012345" in text
    assert "週一至週五 08:00–17:00；夜間延長服務：週二、週四 17:30–20:00；每月第1、3個週六服務 08:00–12:00" in text
    assert "query=22.5645,120.354" in str(card)


def test_english_office_info_uses_the_confirmed_values_in_english(citizen, store):
    store.office.set("address", "高雄市小港區宏平路 1 號", "boss")
    store.office.set("hours", "08:00-17:00", "boss")
    store.office.set("hours_evening", "無", "boss")
    store.office.set("map", PIN, "boss")
    citizen.says("English")
    pin, card = citizen.says("Office info")
    assert pin["title"] == "Siaogang Household Registration Office, Kaohsiung City"
    assert pin["address"] == "高雄市小港區宏平路 1 號"  # the Chinese address until staff add an English one
    assert "Monday to Friday 08:00–17:00; no evening service" in all_text([card])
    store.office.set("address_en", "No. 1, Hongping Rd., Siaogang Dist., Kaohsiung City", "boss")
    assert citizen.says("Office info")[0]["address"] == "No. 1, Hongping Rd., Siaogang Dist., Kaohsiung City"


def test_faq_answers_that_name_the_office_details_use_the_confirmed_ones(citizen, store):
    before = all_text(citizen.taps("a=faq.show&id=office-address"))
    assert "請以官網公告為準" in before
    store.office.set("address", "高雄市小港區宏平路 1 號", "boss")
    assert "地址：高雄市小港區宏平路 1 號" in all_text(citizen.taps("a=faq.show&id=office-address"))
    store.office.clear("address")
    assert "請以官網公告為準" in all_text(citizen.taps("a=faq.show&id=office-address"))


def test_a_typed_question_about_the_phone_gets_the_confirmed_number(citizen, store):
    store.office.set("phone", "07-8012345", "boss")
    assert "07-8012345" in all_text(citizen.says("戶政事務所的電話幾號"))


# --- cards with the next action ---------------------------------------------------------------
def add_case(store, status, updated_at="2026-12-01 09:00", **fields):
    return update_case(store, CASE, status, service="戶籍謄本", phone_last4="1234",
                                    updated_at=updated_at, source="test", **fields)


def status_card(citizen):
    citizen.says("查詢進度")
    citizen.says(CASE)
    return [r for r in citizen.says("1234") if r["type"] == "flex"][0]


def card_buttons(card):
    return [a["label"] for a in actions_in([card["contents"]])]


@pytest.mark.parametrize("status, offered, not_offered", [
    ("received", ["可領件時通知我", "查詢其他案件"], ["地圖"]),
    ("reviewing", ["可領件時通知我", "查詢其他案件"], ["地圖"]),
    ("need_documents", ["可領件時通知我", "服務資訊", "查詢其他案件"], ["地圖"]),
    ("ready", ["地圖", "服務資訊", "提醒我領件", "查詢其他案件"], ["可領件時通知我"]),
    ("picked_up", ["查詢其他案件"], ["可領件時通知我", "提醒我領件", "地圖"]),
    ("cancelled", ["查詢其他案件"], ["可領件時通知我", "提醒我領件", "地圖"]),
])
def test_a_case_card_offers_only_what_makes_sense_for_its_status(citizen, store, status, offered, not_offered):
    add_case(store, status, **({"missing": "照片"} if status == "need_documents" else {}))
    buttons = card_buttons(status_card(citizen))
    assert buttons == offered and not set(not_offered) & set(buttons)


def test_a_ready_card_says_when_and_where_and_a_follower_can_stop_the_reminders(citizen, store):
    store.office.set("hours", "08:00-17:00", "boss")
    add_case(store, "ready", pickup_by="2026-12-31")
    card = status_card(citizen)
    assert "週一至週五 08:00–17:00" in all_text([card])
    reply = citizen.taps_button([card], "提醒我領件")
    assert "提醒您" in all_text(reply)
    assert card_buttons(status_card(citizen)) == ["地圖", "服務資訊", "取消通知", "查詢其他案件"]


def follow_then_ready(citizen, store, services, fake_line, clock):
    add_case(store, "reviewing")
    citizen.taps_button([status_card(citizen)], "可領件時通知我")
    clock.advance(hours=1)
    add_case(store, "ready", pickup_by="2026-12-31")
    before = len(fake_line.calls("/push"))
    run_tick(services, clock.now())
    pushes = fake_line.calls("/push")[before:]
    assert len(pushes) == 1
    return pushes[0].body["messages"]


def test_the_ready_push_has_map_office_info_and_stop_buttons(citizen, store, services, fake_line, clock):
    messages = follow_then_ready(citizen, store, services, fake_line, clock)
    assert [m["type"] for m in messages] == ["flex"]  # no pin before staff confirm the coordinates
    assert card_buttons(messages[0]) == ["地圖", "服務資訊", "取消通知"]
    assert "query=" in actions_in(messages)[0]["uri"]
    assert "服務資訊" in all_text(citizen.taps_button(messages, "服務資訊"))
    assert "已取消案件 A1150001 的通知" in all_text(citizen.taps_button(messages, "取消通知"))
    assert not store.cases.is_following(CASE, citizen.user_id)


def test_with_coordinates_the_ready_push_also_sends_the_office_location(citizen, store, services, fake_line,
                                                                         clock):
    store.office.set("map", PIN, "boss")
    store.office.set("address", "高雄市小港區宏平路 1 號", "boss")
    card, pin = follow_then_ready(citizen, store, services, fake_line, clock)
    assert pin == {"type": "location", "title": "高雄市小港戶政事務所", "address": "高雄市小港區宏平路 1 號",
                   "latitude": 22.5645, "longitude": 120.354}
    assert "📍 地址：高雄市小港區宏平路 1 號" in all_text([card])


def test_the_english_ready_push_has_english_buttons(citizen, store, services, fake_line, clock):
    citizen.says("English")
    add_case(store, "reviewing")
    citizen.says("Case status")
    citizen.says(CASE)
    card = [r for r in citizen.says("1234") if r["type"] == "flex"][0]
    citizen.taps_button([card], "Notify me when ready")
    add_case(store, "ready", updated_at="2026-12-01 10:30")
    run_tick(services, clock.now())
    push = fake_line.calls("/push")[-1].body["messages"]
    assert card_buttons(push[0]) == ["Map", "Office info", "Stop notices"]


def test_the_priority_counter_is_not_sold_as_skipping_the_queue(citizen):
    citizen.says("預約臨櫃")
    from handlers.booking import texts as booking

    for catalog in (booking.ZH, booking.EN):
        ask = catalog["choose_priority"]
        assert "（免抽號、專人服務）" not in ask and "no queue number, served" not in ask
    assert "每一筆預約到所都免抽號" in booking.ZH["choose_priority"]


# --- the staff page -------------------------------------------------------------------------------
def test_an_admin_sets_the_phone_and_the_next_answer_uses_it(admin, citizen, store):
    page = admin.page("/staff/office")
    assert "尚未確認" in page and "請以官網公告為準" in page
    response = admin.post("/staff/office", {"field": "phone", "value": "(07)801-2345", "what": "set"})
    assert response.status_code == 302
    assert "07-8012345" in all_text(citizen.says("服務資訊"))
    entry = store.audit.entries(action="office_set")[0]
    assert (entry.actor, entry.target) == ("boss", "phone")
    page = admin.page("/staff/office")
    assert "已確認：boss" in page


def test_an_invalid_value_is_refused_with_a_clear_message_and_kept_for_correcting(admin, store):
    response = admin.post("/staff/office", {"field": "map", "value": "25.0330,121.5654", "what": "set"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "座標不在高雄市範圍內" in html and 'value="25.0330,121.5654"' in html and 'aria-invalid="true"' in html
    assert store.office.values() == {} and store.audit.entries(action="office_set") == []


def test_clearing_a_field_goes_back_to_the_website_text(admin, citizen, store):
    store.office.set("phone", "07-8012345", "boss")
    assert admin.post("/staff/office", {"field": "phone", "what": "clear"}).status_code == 302
    assert "07-8012345" not in all_text(citizen.says("服務資訊"))
    assert store.audit.entries(action="office_clear")[0].target == "phone"


def test_only_admins_may_open_or_change_the_office_details(staff, client, store):
    assert staff.get("/staff/office").status_code == 403
    token = staff.token()
    response = client.post("/staff/office", data={"csrf_token": token, "field": "phone", "value": "07-8012345"})
    assert response.status_code == 403 and store.office.values() == {}
    assert "機關資訊" not in staff.page("/staff/inbox")


def test_a_form_without_its_csrf_token_changes_nothing(admin, store):
    response = admin.client.post("/staff/office", data={"field": "phone", "value": "07-8012345", "what": "set"})
    assert response.status_code == 400 and store.office.values() == {}


# --- the command line -----------------------------------------------------------------------------
def test_office_set_and_show_from_the_command_line(tmp_path, monkeypatch, capsys):
    path = str(tmp_path / "cli.sqlite3")
    monkeypatch.setenv("DATABASE_PATH", path)
    assert main(["office", "set", "phone", "(07)801-2345"]) == 0
    assert main(["office", "set", "map", PIN]) == 0
    assert main(["office", "set", "map", "120.354,22.5645"]) == 1
    captured = capsys.readouterr()
    assert "phone = 07-8012345" in captured.out and "寫反" in captured.err
    assert main(["office", "show"]) == 0
    out = capsys.readouterr().out
    assert "phone\t07-8012345\t(confirmed by cli" in out and f"map\t{PIN}\t(confirmed by cli" in out
    assert "address\t高雄市小港區（詳細門牌請以官網公告為準）\t(not confirmed" in out
    store = open_store(path)
    assert [e.target for e in store.audit.entries(action="office_set")] == ["map", "phone"]
    assert store.office.current().lat == 22.5645
    store.close()
