"""The staff inbox end to end: a citizen's words reach a staff screen and the answer reaches LINE."""
from __future__ import annotations

import re

from reminders.dispatcher import dispatch_due
from tests.helpers import all_text, file_complaint, labels




def dispatch(services, clock):
    return dispatch_due(services, clock.now())


def test_a_complaint_reaches_the_inbox_and_the_staff_answer_reaches_line(citizen, staff, store, services,
                                                                         fake_line, clock):
    file_complaint(citizen)
    inbox = staff.page("/staff/inbox")
    assert "C-2026-0001" in inbox and "意見反映" in inbox and "王小明" in inbox
    thread = store.inbox.by_ref("C-2026-0001")
    page = staff.page(f"/staff/threads/{thread.id}")
    assert "櫃台的人態度很差" in page and "*******678" in page and "0912345678" not in page
    response = staff.post(f"/staff/threads/{thread.id}/reply", {"text": "王先生您好，已向櫃台主管反映並改善。"})
    assert response.status_code == 302
    assert store.inbox.get(thread.id).status == "replied"
    assert not fake_line.calls("/push")
    report = dispatch(services, clock)
    assert report.sent == 1
    pushed = [d["message"] for d in fake_line.delivered(citizen.user_id) if d["via"] == "push"]
    assert "已向櫃台主管反映並改善" in all_text(pushed) and "C-2026-0001" in all_text(pushed)
    assert "回覆承辦同仁" in labels(pushed)
    assert "已送達 LINE" in staff.page(f"/staff/threads/{thread.id}")
    assert [e.action for e in store.audit.entries(actor="clerk")][:2] == ["view_thread", "reply"]


def test_a_reply_is_queued_as_an_urgent_push_even_in_quiet_hours(citizen, staff, store, services, clock, fake_line):
    from datetime import datetime

    file_complaint(citizen)
    clock.set(datetime(2026, 12, 1, 22, 30))
    thread = store.inbox.by_ref("C-2026-0001")
    staff.post(f"/staff/threads/{thread.id}/reply", {"text": "晚安，已收到。"})
    message = store.inbox.messages(thread.id)[-1]
    row = store.outbox.get(message.outbox_id)
    assert row["urgent"] == 1 and row["kind"] == "staff_reply"
    assert dispatch(services, clock).sent == 1


def test_the_citizen_writes_back_into_the_same_thread_when_staff_wait_for_them(citizen, staff, store, services,
                                                                               clock, fake_line):
    file_complaint(citizen)
    thread = store.inbox.by_ref("C-2026-0001")
    staff.post(f"/staff/threads/{thread.id}/reply", {"text": "請問是哪一天幾點的事？", "wait": "1"})
    assert store.inbox.get(thread.id).status == "waiting"
    dispatch(services, clock)
    replies = citizen.says("12/1 早上十點左右，二號櫃台")
    assert "C-2026-0001" in all_text(replies)
    thread = store.inbox.get(thread.id)
    assert thread.status == "assigned" and thread.assignee == "clerk"
    assert "二號櫃台" in staff.page(f"/staff/threads/{thread.id}")


def test_a_double_submitted_reply_is_sent_once(citizen, staff, store):
    file_complaint(citizen)
    thread = store.inbox.by_ref("C-2026-0001")
    page = staff.page(f"/staff/threads/{thread.id}")
    form_id = re.search(r'name="form_id" value="([^"]+)"', page).group(1)
    for _ in range(2):
        staff.post(f"/staff/threads/{thread.id}/reply", {"text": "只送一次", "form_id": form_id})
    assert [m.text for m in store.inbox.messages(thread.id) if m.author_kind == "staff"] == ["只送一次"]
    assert store.outbox.stats() == {"pending": 1}


def test_an_empty_reply_is_refused(citizen, staff, store):
    file_complaint(citizen)
    thread = store.inbox.by_ref("C-2026-0001")
    page = staff.post(f"/staff/threads/{thread.id}/reply", {"text": "   "}, follow=True).get_data(as_text=True)
    assert "不能是空白" in page and store.outbox.stats() == {}


def test_internal_notes_are_never_sent(citizen, staff, store, services, clock, fake_line):
    file_complaint(citizen)
    thread = store.inbox.by_ref("C-2026-0001")
    staff.post(f"/staff/threads/{thread.id}/note", {"text": "已電話聯絡當天櫃台同仁"})
    assert "已電話聯絡當天櫃台同仁" in staff.page(f"/staff/threads/{thread.id}")
    assert dispatch(services, clock).sent == 0 and not fake_line.calls("/push")


def test_assigning_to_self_and_to_a_colleague(citizen, staff, store):
    store.staff.add("colleague", "colleague-pass-1", display_name="陳同仁")
    file_complaint(citizen)
    thread = store.inbox.by_ref("C-2026-0001")
    staff.post(f"/staff/threads/{thread.id}/assign", {"assignee": "me"})
    assert store.inbox.get(thread.id).assignee == "clerk" and store.inbox.get(thread.id).status == "assigned"
    assert "C-2026-0001" in staff.page("/staff/inbox?mine=1")
    staff.post(f"/staff/threads/{thread.id}/assign", {"assignee": "colleague"})
    assert store.inbox.get(thread.id).assignee == "colleague"
    assert "C-2026-0001" not in staff.page("/staff/inbox?mine=1")
    staff.post(f"/staff/threads/{thread.id}/assign", {"assignee": "nobody-like-this"})
    assert store.inbox.get(thread.id).assignee == "colleague"


def test_closing_asks_the_citizen_for_a_rating(citizen, staff, store, services, clock, fake_line):
    file_complaint(citizen)
    thread = store.inbox.by_ref("C-2026-0001")
    staff.post(f"/staff/threads/{thread.id}/close")
    assert store.inbox.get(thread.id).status == "closed"
    dispatch(services, clock)
    pushed = [d["message"] for d in fake_line.delivered(citizen.user_id) if d["via"] == "push"]
    assert "已結案" in all_text(pushed) and "5 非常滿意" in labels(pushed)
    citizen.taps_button(pushed, "5 非常滿意")
    citizen.says("謝謝你們")
    assert "5 分" in staff.page(f"/staff/threads/{thread.id}")
    staff.post(f"/staff/threads/{thread.id}/reopen")
    staff.post(f"/staff/threads/{thread.id}/close")
    assert store.outbox.stats()["sent"] == 1 and "pending" not in store.outbox.stats()


def test_the_inbox_filters_by_status_type_and_overdue(citizen, staff, store, clock):
    question = store.inbox.open_thread("question", "U1", ["身分證問題"])
    complaint = store.inbox.open_thread("complaint", "U2", ["環境問題"], category="environment")
    visit = store.inbox.open_thread("home_visit", "U3", [], subject="住院｜身分證")
    store.inbox.close(visit.id)
    assert set(re.findall(r"[QCH]-2026-\d{4}", staff.page("/staff/inbox"))) == {question.ref, complaint.ref}
    assert set(re.findall(r"[QCH]-2026-\d{4}", staff.page("/staff/inbox?kind=complaint"))) == {complaint.ref}
    assert set(re.findall(r"[QCH]-2026-\d{4}", staff.page("/staff/inbox?status=closed"))) == {visit.ref}
    assert set(re.findall(r"[QCH]-2026-\d{4}", staff.page("/staff/inbox?status=all"))) == {
        question.ref, complaint.ref, visit.ref}
    assert "目前沒有符合條件的案件" in staff.page("/staff/inbox?overdue=1")
    clock.advance(days=2)  # Thursday: the question (due Wednesday 17:00) is late, the complaint is not
    page = staff.page("/staff/inbox?overdue=1")
    assert set(re.findall(r"[QCH]-2026-\d{4}", page)) == {question.ref}
    assert 'class="overdue"' in staff.page("/staff/inbox") and "逾期" in page
    assert "C-2026" in staff.page("/staff/inbox?q=環境")


def test_a_citizens_markup_is_shown_as_text(citizen, staff, store):
    citizen.follow()
    citizen.says("找真人")
    citizen.says("<script>alert('x')</script><b>粗體</b>")
    thread = store.inbox.by_ref("Q-2026-0001")
    for page in (staff.page("/staff/inbox"), staff.page(f"/staff/threads/{thread.id}")):
        assert "<script>alert" not in page and "&lt;script&gt;" in page and "<b>粗體" not in page


def test_the_full_phone_is_shown_on_request_and_audited(citizen, staff, store):
    file_complaint(citizen)
    thread = store.inbox.by_ref("C-2026-0001")
    page = staff.post(f"/staff/threads/{thread.id}/phone").get_data(as_text=True)
    assert "0912345678" in page
    assert store.audit.entries(action="view_phone")[0].target == "C-2026-0001"


def test_the_forwarded_question_shows_the_earlier_conversation(citizen, staff, store):
    citizen.follow()
    citizen.says("請問外國人可以辦戶籍謄本嗎")
    citizen.says("找真人")
    page = staff.page(f"/staff/threads/{store.inbox.by_ref('Q-2026-0001').id}")
    assert "轉真人前與小幫手的對話" in page and page.count("請問外國人可以辦戶籍謄本嗎") >= 2


def test_a_home_visit_request_shows_its_details(citizen, staff, store):
    citizen.follow()
    citizen.dialog([("行動戶政所", "情況"), ("住院或安養中", "本人"), ("我本人", "業務"), ("身分證", "地址"),
                    ("高雄市小港區山明路 482 號 502 病房", "姓名"), ("林志明", "電話"), ("0933123456", "時間"),
                    ("平日上午", "確認"), ("送出", "H-2026-0001")])
    thread_id = store.inbox.by_ref('H-2026-0001').id
    page = staff.page(f"/staff/threads/{thread_id}")
    assert "住院或安養中" in page and "平日上午" in page
    assert "502 病房" not in page  # the address waits for the colleague handling it, or a deliberate click
    staff.post(f"/staff/threads/{thread_id}/assign", {"assignee": "me"})
    assert "高雄市小港區山明路 482 號 502 病房" in staff.page(f"/staff/threads/{thread_id}")


def test_canned_answers_can_be_added_inserted_and_removed(citizen, staff, store):
    file_complaint(citizen)
    staff.post("/staff/canned", {"title": "已轉主管", "body": "您好，已轉請主管了解，謝謝您的指教。"})
    answer = store.inbox.canned_answers()[0]
    thread = store.inbox.by_ref("C-2026-0001")
    assert "已轉主管" in staff.page(f"/staff/threads/{thread.id}")
    assert "已轉請主管了解" in staff.page(f"/staff/threads/{thread.id}?canned={answer.id}")
    staff.post(f"/staff/canned/{answer.id}/delete")
    assert store.inbox.canned_answers() == []


def test_an_unknown_thread_is_a_404_page(staff):
    response = staff.get("/staff/threads/999")
    assert response.status_code == 404 and "找不到" in response.get_data(as_text=True)


def test_in_the_simulator_a_complaint_reaches_staff_and_the_answer_comes_back_to_the_chat(tmp_path):
    """No LINE credentials: the chat simulator and the staff web in one process, no clock process needed."""
    from bot.app import create_app
    from bot.config import Config
    from handlers.inbox.store import ThreadFilter
    from tests.helpers import StaffUser

    app = create_app(Config(database_path=str(tmp_path / "sim.sqlite3"), secret_key="k", simulator=True))
    services = app.extensions["services"]
    try:
        chat = app.test_client()
        user = "Usimulatorcitizen"
        for text in ("意見反映", "廁所沒有衛生紙", "完成", "其他", "不提供"):
            assert chat.post("/simulator/api/send", json={"user": user, "text": text}).status_code == 200
        (thread,) = services.store.inbox.search(ThreadFilter(kind="complaint"))
        staff = StaffUser(app.test_client(), services.store)
        staff.login()
        assert "廁所沒有衛生紙" in staff.page(f"/staff/threads/{thread.id}")
        staff.post(f"/staff/threads/{thread.id}/reply", {"text": "已補充衛生紙，謝謝提醒。"})
        shown = chat.get(f"/simulator/api/messages?user={user}").get_json()["messages"]
        assert any("已補充衛生紙" in m["message"].get("text", "") for m in shown)
    finally:
        services.store.close()
        services.fake_line.stop()
