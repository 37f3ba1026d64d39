"""Knowledge page: questions the bot missed and answers citizens marked 👎, turned into suggestions.

Suggestions are stored in the FAQ log (store.faq.suggest_phrasing / suggest_entry) for the next
`kb export`; kb_review remembers which questions were dealt with, so they leave the to-do list.
With several offices each office deals with its own citizens' questions: a clerk of an office sees and
acts on that office's only; a city-wide account sees every office's (an office column, the 戶所 filter)
and acts for the office a question came from.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for

from bot.masking import mask
from bot.staff.common import audit, can_see_office, me, services, store, visible_offices
from bot.store.errors import StoreError

log = logging.getLogger(__name__)
DAYS = 90


def _entries() -> list[Any]:
    kb = services().knowledge
    return sorted(getattr(kb, "entries", ()) or (), key=lambda e: e.id)


def _stored(office_id: str) -> str:
    """The office_id column value of an office id ("" for the first office, whichever way it is named)."""
    offices = services().offices
    if offices is None:
        return ""
    return offices.stored_id(offices.by_stored_id(office_id) or offices.first)


def _acting_office() -> str | None:
    """The office a decision is recorded for: a clerk's own; a city-wide account's, the question's
    (None when it names an office this account may not act for)."""
    office_id = me().office_id or request.form.get("office", "")
    offices = services().offices
    if office_id and (offices is None or offices.by_stored_id(office_id) is None):
        return None
    stored = _stored(office_id)
    return stored if can_see_office(stored) else None


def knowledge_page() -> str:
    shown = visible_offices(request.args.get("office", ""))
    reviewed = _quietly(lambda: store().kb_review.reviewed(shown), set())
    faq = store().faq
    unmatched = [u for u in _quietly(lambda: faq.unmatched(limit=100, days=DAYS, offices=shown, per_office=True), [])
                 if (_stored(u["office_id"]), mask(u["text"])) not in reviewed]
    disliked = [d for d in _quietly(lambda: faq.disliked_questions(offices=shown), [])
                if (_stored(d["office_id"]), d["text"]) not in reviewed]
    kb = services().knowledge
    entries = _entries()
    questions = {e.id: e.question("zh") for e in entries}
    return render_template("staff/knowledge.html", unmatched=unmatched, disliked=disliked, entries=entries,
                           questions=questions, pending=_quietly(lambda: faq.pending_suggestions(shown), []),
                           kb_loaded=kb is not None, version=_quietly(store().knowledge.version, None))


def _quietly(read: Callable[[], Any], default: Any) -> Any:
    """A list for the page, or a default when the database cannot answer."""
    try:
        return read()
    except StoreError:
        log.warning("knowledge page: the FAQ log is unavailable")
        return default


def suggest() -> Any:
    text = request.form.get("text", "").strip()
    decision = request.form.get("decision", "")
    entry_id = request.form.get("entry_id", "").strip()
    office = _acting_office()
    if office is None:
        flash("無法處理其他戶所的問題。/ This question belongs to another office.", "error")
    elif not text:
        flash("缺少問題內容。", "error")
    elif decision == "phrasing":
        known = {e.id for e in _entries()}
        if not entry_id or (known and entry_id not in known):
            flash("請選擇要加入的條目。", "error")
        else:
            store().faq.suggest_phrasing(entry_id, text, staff=me().username, office_id=office)
            store().kb_review.decide(text, "phrasing", me().username, office)
            audit("kb_suggest", entry_id, f"新問法：{text[:80]}")
            flash(f"已記下：「{text[:30]}」將加入條目 {entry_id} 的問法（下次 kb export 寫回知識庫）。")
    elif decision == "entry":
        answer_zh = request.form.get("answer_zh", "").strip()
        if not answer_zh:
            flash("新條目需要中文答案。", "error")
        else:
            store().faq.suggest_entry(text, answer_zh=answer_zh, answer_en=request.form.get("answer_en", "").strip(),
                                      staff=me().username, office_id=office)
            store().kb_review.decide(text, "entry", me().username, office)
            audit("kb_suggest", "new", f"新條目：{text[:80]}")
            flash("已記下新條目建議（下次 kb export 寫回知識庫）。")
    elif decision == "dismiss":
        store().kb_review.decide(text, "dismiss", me().username, office)
        audit("kb_dismiss", "", text[:80])
        flash("已略過這個問題。")
    else:
        flash("未知的動作。", "error")
    # Back to the list as it was filtered (a city-wide account's 戶所 choice).
    return redirect(url_for("staff.knowledge", office=request.form.get("view") or None))


def reload_knowledge() -> Any:
    """Tell every web worker to reload the knowledge files (they check the version)."""
    version = _quietly(store().knowledge.bump, None)
    audit("kb_reload", version or "")
    flash("已通知重新載入知識庫，幾秒內生效。" if version else "知識庫模組尚未啟用。")
    return redirect(url_for("staff.knowledge"))


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/knowledge", "knowledge", knowledge_page)
    bp.add_url_rule("/knowledge/suggest", "kb_suggest", suggest, methods=["POST"])
    bp.add_url_rule("/knowledge/reload", "kb_reload", reload_knowledge, methods=["POST"])
