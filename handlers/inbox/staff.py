"""The inbox and the thread page: filter, read, assign, reply (to LINE through the outbox), note, close."""
from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from handlers.inbox.kinds import KINDS, template_labels
from handlers.inbox.store import STATUSES, Thread, ThreadFilter
from bot.staff.common import audit, can_see_office, deliver_now_if_simulated, me, store, visible_offices
from handlers.inbox.handoff import staff_reply_messages
from handlers.survey import invite_after_thread

MAX_REPLY = 4000
PAGE = 50


class _AlreadySent(Exception):
    """The same reply form was submitted twice (a double click): keep the first."""


def inbox() -> str:
    args = request.args
    flt = ThreadFilter(
        status=args.get("status", "") if args.get("status", "") in (*STATUSES, "all") else "",
        kind=args.get("kind", "") if args.get("kind", "") in KINDS else "",
        overdue=args.get("overdue") == "1",
        assignee=me().username if args.get("mine") == "1" else "",
        query=args.get("q", "").strip()[:50],
        offices=visible_offices(args.get("office", "")),
        limit=PAGE,
        offset=max(0, args.get("page", 1, type=int) - 1) * PAGE,
    )
    threads = store().inbox.search(flt)
    total = store().inbox.count(flt)
    names = {a.username: a.name for a in store().staff.all()}
    return render_template("staff/inbox.html", threads=threads, flt=flt, total=total, page=flt.offset // PAGE + 1,
                           pages=max(1, -(-total // PAGE)), counts=store().inbox.status_counts(flt.offices), names=names,
                           display_names=_display_names(threads))


def _display_names(threads: list[Thread]) -> dict[str, str]:
    names: dict[str, str] = {}
    for thread in threads:
        if thread.user_id not in names:
            user = store().users.get(thread.user_id)
            names[thread.user_id] = user.display_name if user else ""
    return names


def _thread_or_404(thread_id: int) -> Thread:
    thread = store().inbox.get(thread_id)
    if thread is None or not can_see_office(thread.office_id):
        abort(404)  # another office's thread is not this clerk's to read
    return thread


def thread_page(thread_id: int, show_phone: bool = False, show_address: bool = False) -> str:
    thread = _thread_or_404(thread_id)
    if request.method == "GET":
        audit("view_thread", thread.ref, office=thread.office_id)
    messages = store().inbox.messages(thread.id)
    delivery = {}
    for message in messages:
        if message.outbox_id:
            row = store().outbox.get(message.outbox_id)
            delivery[message.id] = row["status"] if row else ""
    canned = store().inbox.canned_answers()
    prefill = ""
    if request.args.get("canned", type=int):
        answer = store().inbox.canned_answer(request.args.get("canned", type=int))
        prefill = answer.body if answer else ""
    user = store().users.get(thread.user_id)
    # The home-visit address in full for the colleague handling the thread; others ask (and are audited).
    show_address = show_address or (thread.assignee is not None and thread.assignee == me().username)
    others = [t for t in store().inbox.threads_of(thread.user_id) if t.id != thread.id]
    survey = store().surveys.for_source("thread", thread.id)
    return render_template("staff/thread.html", thread=thread, messages=messages, delivery=delivery, canned=canned,
                           prefill=prefill, user=user, others=others, show_phone=show_phone, show_address=show_address,
                           accounts=store().staff.active_accounts(), form_id=uuid.uuid4().hex, survey=survey,
                           overdue=thread.is_overdue(store().clock.now()))


def reveal_phone(thread_id: int) -> str:
    thread = _thread_or_404(thread_id)
    audit("view_phone", thread.ref, office=thread.office_id)
    return thread_page(thread_id, show_phone=True)


def reveal_address(thread_id: int) -> str:
    thread = _thread_or_404(thread_id)
    audit("view_address", thread.ref, office=thread.office_id)
    return thread_page(thread_id, show_address=True)


def assign(thread_id: int) -> Any:
    thread = _thread_or_404(thread_id)
    who = request.form.get("assignee", "").strip()
    if who == "me":
        who = me().username
    if who and not any(a.username == who for a in store().staff.active_accounts()):
        flash("找不到這位同仁的帳號。", "error")
        return redirect(url_for("staff.thread", thread_id=thread.id))
    store().inbox.assign(thread.id, who or None)
    audit("assign", thread.ref, who or "（未指派）", office=thread.office_id)
    flash(f"已指派給 {who}。" if who else "已取消指派。")
    return redirect(url_for("staff.thread", thread_id=thread.id))


def reply(thread_id: int) -> Any:
    """The answer is recorded and queued for LINE in one transaction (a push: reply tokens are long gone)."""
    thread = _thread_or_404(thread_id)
    text = request.form.get("text", "").replace("\r\n", "\n").strip()
    wait = request.form.get("wait") == "1"
    if not text:
        flash("回覆內容不能是空白。", "error")
        return redirect(url_for("staff.thread", thread_id=thread.id))
    if len(text) > MAX_REPLY:
        flash(f"回覆最多 {MAX_REPLY} 字。", "error")
        return redirect(url_for("staff.thread", thread_id=thread.id))
    form_id = request.form.get("form_id", "")[:64] or uuid.uuid4().hex
    try:
        with store().transaction():
            message = store().inbox.reply(thread.id, me().username, text, wait_for_citizen=wait)
            row = store().outbox.enqueue(
                thread.user_id, staff_reply_messages(thread, text, thread.lang, wait), kind="staff_reply",
                urgent=True, dedupe_key=f"staff-reply:{thread.id}:{form_id}", ref=f"thread:{thread.id}",
            )
            if row is None:
                raise _AlreadySent
            store().inbox.set_outbox_id(message.id, row)
    except _AlreadySent:
        flash("這則回覆剛才已經送出了。")
        return redirect(url_for("staff.thread", thread_id=thread.id))
    audit("reply", thread.ref, "等待市民回覆" if wait else "", office=thread.office_id)
    deliver_now_if_simulated()
    flash("回覆已排入傳送，市民會在 LINE 收到。")
    return redirect(url_for("staff.thread", thread_id=thread.id))


def note(thread_id: int) -> Any:
    thread = _thread_or_404(thread_id)
    text = request.form.get("text", "").strip()
    if text:
        store().inbox.add_note(thread.id, me().username, text[:MAX_REPLY])
        audit("note", thread.ref, office=thread.office_id)
        flash("已加入內部備註（市民看不到）。")
    return redirect(url_for("staff.thread", thread_id=thread.id))


def close(thread_id: int) -> Any:
    """Close, tell the citizen and ask for a rating (once per thread)."""
    thread = _thread_or_404(thread_id)
    if thread.status == "closed":
        return redirect(url_for("staff.thread", thread_id=thread.id))
    with store().transaction():
        closed = store().inbox.close(thread.id)
        invite_after_thread(store(), closed)
    audit("close", thread.ref, office=thread.office_id)
    deliver_now_if_simulated()
    flash("已結案，並傳送滿意度調查給市民。")
    return redirect(url_for("staff.inbox"))


def reopen(thread_id: int) -> Any:
    thread = _thread_or_404(thread_id)
    store().inbox.reopen(thread.id)
    audit("reopen", thread.ref, office=thread.office_id)
    flash("已重新開啟。")
    return redirect(url_for("staff.thread", thread_id=thread.id))


def canned() -> Any:
    if request.method == "POST":
        title = request.form.get("title", "").strip()
        body = request.form.get("body", "").strip()
        if not title or not body:
            flash("標題和內容都要填寫。", "error")
        else:
            store().inbox.add_canned_answer(title, body, me().username)
            audit("canned_add", title)
            flash("已新增罐頭回覆。")
            return redirect(url_for("staff.canned"))
    return render_template("staff/canned.html", canned=store().inbox.canned_answers())


def canned_remove(canned_id: int) -> Any:
    answer = store().inbox.canned_answer(canned_id)
    if answer and store().inbox.remove_canned_answer(canned_id):
        audit("canned_remove", answer.title)
        flash("已刪除。")
    return redirect(url_for("staff.canned"))


def home() -> Any:
    return redirect(url_for("staff.inbox"))


def register(bp: Blueprint) -> None:
    bp.context_processor(template_labels)
    bp.add_url_rule("/", "home", home)
    bp.add_url_rule("/inbox", "inbox", inbox)
    bp.add_url_rule("/threads/<int:thread_id>", "thread", thread_page)
    bp.add_url_rule("/threads/<int:thread_id>/phone", "reveal_phone", reveal_phone, methods=["POST"])
    bp.add_url_rule("/threads/<int:thread_id>/address", "reveal_address", reveal_address, methods=["POST"])
    bp.add_url_rule("/threads/<int:thread_id>/assign", "assign", assign, methods=["POST"])
    bp.add_url_rule("/threads/<int:thread_id>/reply", "reply", reply, methods=["POST"])
    bp.add_url_rule("/threads/<int:thread_id>/note", "note", note, methods=["POST"])
    bp.add_url_rule("/threads/<int:thread_id>/close", "close", close, methods=["POST"])
    bp.add_url_rule("/threads/<int:thread_id>/reopen", "reopen", reopen, methods=["POST"])
    bp.add_url_rule("/canned", "canned", canned, methods=["GET", "POST"])
    bp.add_url_rule("/canned/<int:canned_id>/delete", "canned_remove", canned_remove, methods=["POST"])
