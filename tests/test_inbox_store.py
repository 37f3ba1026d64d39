"""The inbox store: references, deadlines, statuses, search, overdue."""
from __future__ import annotations

from datetime import datetime

import pytest

from handlers.inbox.store import ThreadFilter


def test_a_new_thread_has_a_reference_a_deadline_and_masked_words(store):
    thread = store.inbox.open_thread("complaint", "U1", ["我的電話 0912345678", "  ", "身分證 A123456789"],
                                     category="process", contact_phone="0912345678")
    assert thread.ref == "C-2026-0001" and thread.status == "new"
    assert thread.due_at == "2026-12-09T09:00:00Z"  # Wed 12/09 17:00 Taipei
    texts = [m.text for m in store.inbox.messages(thread.id)]
    assert texts == ["我的電話 09**-***-678", "身分證 A1*******"]
    assert thread.contact_phone == "0912345678"  # kept whole for staff to call, shown masked


def test_an_unknown_kind_is_refused(store):
    with pytest.raises(ValueError):
        store.inbox.open_thread("gossip", "U1", ["x"])


def test_status_moves_through_assign_reply_wait_write_back_and_close(store):
    thread = store.inbox.open_thread("question", "U1", ["問題"])
    assert store.inbox.assign(thread.id, "clerk").status == "assigned"
    store.inbox.reply(thread.id, "clerk", "請問哪一天？", wait_for_citizen=True)
    assert store.inbox.waiting_thread("U1").id == thread.id
    assert store.inbox.add_citizen_message(thread.id, "明天").status == "assigned"
    assert store.inbox.waiting_thread("U1") is None
    store.inbox.reply(thread.id, "clerk", "好的")
    assert store.inbox.get(thread.id).status == "replied"
    closed = store.inbox.close(thread.id)
    assert closed.status == "closed" and closed.closed_at
    assert store.inbox.add_citizen_message(thread.id, "再問一下").status == "assigned"


def test_assigning_nobody_puts_a_thread_back_to_new(store):
    thread = store.inbox.open_thread("question", "U1", ["問題"])
    store.inbox.assign(thread.id, "clerk")
    assert store.inbox.assign(thread.id, None).status == "new"


def test_a_reply_without_an_assignee_assigns_the_replier(store):
    thread = store.inbox.open_thread("question", "U1", ["問題"])
    store.inbox.reply(thread.id, "clerk", "答")
    assert store.inbox.get(thread.id).assignee == "clerk"


def test_overdue_only_counts_threads_that_still_owe_an_answer(store, clock):
    late = store.inbox.open_thread("question", "U1", ["a"])
    answered = store.inbox.open_thread("question", "U2", ["b"])
    store.inbox.reply(answered.id, "clerk", "答")
    waiting = store.inbox.open_thread("question", "U3", ["c"])
    store.inbox.reply(waiting.id, "clerk", "請補充", wait_for_citizen=True)
    store.inbox.open_thread("complaint", "U4", ["d"])
    clock.set(datetime(2026, 12, 2, 17, 1))
    assert [t.id for t in store.inbox.overdue()] == [late.id]
    assert store.inbox.status_counts()["overdue"] == 1
    assert store.inbox.get(late.id).is_overdue(clock.now())


def test_a_citizen_writing_back_after_an_answer_gets_a_fresh_deadline(store, clock):
    thread = store.inbox.open_thread("question", "U1", ["a"])
    store.inbox.reply(thread.id, "clerk", "答")
    clock.set(datetime(2026, 12, 8, 10, 0))  # a week later
    reopened = store.inbox.add_citizen_message(thread.id, "還有問題")
    assert reopened.due_at == "2026-12-09T09:00:00Z"


def test_search_filters_and_orders_by_deadline(store, clock):
    complaint = store.inbox.open_thread("complaint", "U1", ["噪音"], contact_name="林小姐")
    question = store.inbox.open_thread("question", "U2", ["證件"])
    assert [t.id for t in store.inbox.search(ThreadFilter())] == [question.id, complaint.id]
    assert [t.id for t in store.inbox.search(ThreadFilter(kind="complaint"))] == [complaint.id]
    assert [t.id for t in store.inbox.search(ThreadFilter(query="林小姐"))] == [complaint.id]
    assert [t.id for t in store.inbox.search(ThreadFilter(query="Q-2026"))] == [question.id]
    store.inbox.close(question.id)
    assert [t.id for t in store.inbox.search(ThreadFilter())] == [complaint.id]
    assert [t.id for t in store.inbox.search(ThreadFilter(status="closed"))] == [question.id]
    assert store.inbox.count(ThreadFilter(status="all")) == 2


def test_the_open_question_of_a_citizen_and_their_threads(store):
    first = store.inbox.open_thread("question", "U1", ["a"])
    store.inbox.open_thread("complaint", "U1", ["b"])
    assert store.inbox.open_thread_of("U1", kind="question").id == first.id
    assert len(store.inbox.threads_of("U1")) == 2
    assert store.inbox.open_thread_of("U9") is None


def test_figures_by_kind_category_and_answered_on_time(store, clock):
    store.inbox.open_thread("complaint", "U1", ["a"], category="attitude")
    store.inbox.open_thread("complaint", "U1", ["a"], category="attitude")
    store.inbox.open_thread("complaint", "U1", ["a"], category="environment")
    late = store.inbox.open_thread("question", "U2", ["b"])
    on_time = store.inbox.open_thread("question", "U3", ["c"])
    store.inbox.reply(on_time.id, "clerk", "答")
    clock.set(datetime(2026, 12, 4, 10, 0))
    store.inbox.reply(late.id, "clerk", "答")
    since = "2026-11-01T00:00:00Z"
    assert store.inbox.complaints_by_category(since)["attitude"] == 2
    assert store.inbox.kinds_since(since) == {"question": 2, "complaint": 3, "home_visit": 0}
    assert store.inbox.answered_on_time(since) == (1, 2)


def test_canned_answers(store):
    canned_id = store.inbox.add_canned_answer("營業時間", "週一至週五 8:00-17:00", "clerk")
    assert store.inbox.canned_answer(canned_id).body.startswith("週一")
    assert store.inbox.remove_canned_answer(canned_id)
    assert store.inbox.canned_answers() == [] and not store.inbox.remove_canned_answer(canned_id)
