"""Privacy end to end (issue 10, item 5): what a citizen types through the real webhook is masked in
every table and on every staff page, however it was written; the contact phone the citizen gave and
the home-visit address stay readable only where staff handling the request need them."""
from __future__ import annotations

import logging
import re
import unicodedata

import pytest

from bot.masking import HIDDEN, NUMBER_ONLY
from tests.helpers import all_text
from handlers.cases.notices import update_case

ZW = "\u200b"
FULL_WIDTH_ID = "Ａ１２３４５６７８９"
PLUS_886_MOBILE = "+886 912 345 678"
DOTTED_MOBILE = "0922.333.444"
ZERO_WIDTH_MOBILE = f"09{ZW}33{ZW}555{ZW}666"
EMAIL = "wang.xm@gmail.com"
ADDRESS = "高雄市小港區山明路 482 號 502 病房"
CONTACT_PHONE = "0955123123"  # given as the home-visit contact, with consent

# What must never be readable, as digits or words once width and separators are folded away.
SECRET_DIGITS = ("123456789", "912345678", "922333444", "933555666")
SECRET_WORDS = ("wang.xm", "山明路 482")


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text.replace(ZW, ""))


def leaks(text: str) -> list[str]:
    """The secrets readable in a text: digit runs with separators removed, words as written."""
    plain = folded(text)
    digits = re.sub(r"\D", "", plain)
    return [s for s in SECRET_DIGITS if s in digits] + [w for w in SECRET_WORDS if w in plain]


def cells(store, table: str, *columns: str) -> list[str]:
    return [str(v) for row in store.db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            for v in row if v is not None]


@pytest.fixture
def told_everything(citizen, store):
    """A citizen asks with a full-width ID and an e-mail, hands over to staff with three mobiles, and asks
    for a home visit with an address and a contact phone."""
    citizen.follow()
    citizen.says(f"我的身分證{FULL_WIDTH_ID}遺失了，信箱 {EMAIL} 收不到通知")
    citizen.says("找真人")
    citizen.says(f"手機 {PLUS_886_MOBILE} 或 {DOTTED_MOBILE}")
    citizen.says(f"家裡電話打不通，改打 {ZERO_WIDTH_MOBILE}")
    citizen.says("完成")
    citizen.says("主選單")
    citizen.dialog([("行動戶政所", "情況"), ("住院或安養中", "本人"), ("我本人", "業務"), ("身分證", "地址"),
                    (ADDRESS, "姓名"), ("林志明", "電話"), (CONTACT_PHONE, "時間"), ("平日上午", "確認")])
    replies = citizen.says("送出")
    assert "H-2026-0001" in all_text(replies)
    return citizen


def test_the_message_log_and_the_faq_log_keep_nothing_readable(told_everything, store):
    for table, column in (("message_log", "text"), ("faq_log", "text")):
        for text in cells(store, table, column):
            assert not leaks(text), (table, text)
            assert CONTACT_PHONE not in re.sub(r"\D", "", text), (table, text)
    logged = " ".join(cells(store, "message_log", "text"))
    assert "A1*******" in logged and "w***@gmail.com" in logged and "09**-***-678" in logged
    assert HIDDEN in logged  # the address as typed, and where the confirmation repeated it


def test_thread_messages_subjects_and_details_are_masked_but_the_address_is_kept_for_staff(told_everything, store):
    question = store.inbox.by_ref("Q-2026-0001")
    texts = [m.text for m in store.inbox.messages(question.id)]
    assert texts and all(not leaks(t) for t in texts), texts
    said = "\n".join(texts)  # the question just asked is forwarded first, then what was typed for staff
    assert "A1*******" in said and "09**-***-678" in said and "09**-***-444" in said and "09**-***-666" in said
    for entry in question.context:
        assert not leaks(entry["text"]), entry
    visit = store.inbox.by_ref("H-2026-0001")
    assert not leaks(visit.subject)
    assert visit.details["address"] == ADDRESS                # stored whole for the visit itself
    assert visit.contact_phone == CONTACT_PHONE               # the phone the citizen agreed to give
    for row in store.db.execute("SELECT details FROM threads WHERE ref != 'H-2026-0001'").fetchall():
        assert not leaks(row[0])
    assert store.conversations.load(told_everything.user_id).data == {}  # nothing left in the dialogue state


def test_staff_lists_and_the_csv_show_everything_masked(told_everything, staff):
    for url in ("/staff/inbox", "/staff/inbox?status=all", "/staff/knowledge", "/staff/dashboard"):
        page = staff.page(url)
        assert not leaks(page), (url, leaks(page))
        assert CONTACT_PHONE not in page
    csv = staff.client.get("/staff/dashboard.csv").get_data(as_text=True)
    assert not leaks(csv) and CONTACT_PHONE not in csv


def test_the_thread_page_masks_typed_numbers_and_shows_the_consented_phone_on_request(told_everything, staff,
                                                                                     store):
    question = store.inbox.by_ref("Q-2026-0001")
    page = staff.page(f"/staff/threads/{question.id}")
    assert not leaks(page) and "09**-***-678" in page
    visit = store.inbox.by_ref("H-2026-0001")
    page = staff.page(f"/staff/threads/{visit.id}")
    assert CONTACT_PHONE not in page and "*******123" in page
    revealed = staff.post(f"/staff/threads/{visit.id}/phone").get_data(as_text=True)
    assert CONTACT_PHONE in revealed
    assert store.audit.entries(action="view_phone")[0].target == "H-2026-0001"


def test_the_home_visit_address_is_shown_whole_only_to_its_handler_or_on_an_audited_click(told_everything,
                                                                                          staff, store):
    visit = store.inbox.by_ref("H-2026-0001")
    page = staff.page(f"/staff/threads/{visit.id}")
    assert ADDRESS not in page and "顯示完整地址" in page
    revealed = staff.post(f"/staff/threads/{visit.id}/address").get_data(as_text=True)
    assert ADDRESS in revealed
    assert store.audit.entries(action="view_address")[0].target == "H-2026-0001"
    staff.post(f"/staff/threads/{visit.id}/assign", {"assignee": "me"})
    assert ADDRESS in staff.page(f"/staff/threads/{visit.id}")
    assert ADDRESS not in staff.page("/staff/inbox")


def test_nothing_typed_reaches_the_logs(citizen, caplog):
    with caplog.at_level(logging.DEBUG):
        citizen.follow()
        citizen.says(f"身分證 {FULL_WIDTH_ID} 手機 {DOTTED_MOBILE}")
        citizen.dialog([("行動戶政所", "情況"), ("住院或安養中", "本人"), ("我本人", "業務"), ("身分證", "地址"), (ADDRESS, "姓名")])
    assert not leaks(caplog.text)


def test_the_digits_of_a_failed_case_lookup_are_kept_nowhere(citizen, store):
    update_case(store, "A1150001", "reviewing", service="戶籍謄本", phone_last4="1234")
    citizen.follow()
    citizen.dialog([("查詢進度", "案件編號"), ("A1150001", "末四碼")])
    citizen.says("9876")       # wrong digits: the lookup asks again, still in the private step
    citizen.says("9876")
    citizen.says("取消")
    citizen.says("9876")       # typed again after leaving, now as free text
    logged = cells(store, "message_log", "text") + cells(store, "faq_log", "text")
    assert not any("9876" in text for text in logged), logged
    assert HIDDEN in logged and NUMBER_ONLY in logged
    assert "9876" not in staff_visible_unmatched(store)


def staff_visible_unmatched(store) -> str:
    return " ".join(u["text"] for u in store.faq.unmatched(limit=100, days=90))
