"""Dashboard figures from the store, SVG charts, the CSV export, and the knowledge page."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.staff import charts
from handlers.dashboard.figures import compute, csv_safe


def seed(store, clock):
    start = clock.now()
    for day, count in ((0, 3), (1, 2), (3, 5)):
        clock.set(start - timedelta(days=day))
        for i in range(count):
            store.messages.add(f"U{i}", "in", "text", "你好")
            store.messages.add(f"U{i}", "out", "text", "您好")
    clock.set(start)
    store.faq.log_question("U1", "身分證補辦", "answer", entry_id="id_card_replace")
    store.faq.log_question("U2", "身分證補辦要多少錢", "answer", entry_id="id_card_replace")
    store.faq.log_question("U3", "護照怎麼辦", "fallback")
    store.faq.log_question("U4", "=cmd|' /C calc'!A0", "fallback")
    store.inbox.open_thread("complaint", "U1", ["a"], category="attitude")
    store.inbox.open_thread("complaint", "U2", ["b"], category="environment")
    store.inbox.open_thread("question", "U3", ["c"])
    for i, rating in enumerate((5, 4, 4)):
        survey = store.surveys.invite("thread", i, f"U{i}")
        store.surveys.rate(survey, f"U{i}", rating)


def test_the_figures_come_from_the_store(store, clock):
    seed(store, clock)
    f = compute(store, None, days=7)
    assert [n for _, n, _ in f.messages_per_day][-4:] == [5, 0, 2, 3]
    assert f.messages_total == 10 and f.messages_per_day[-1][0].isoformat() == "2026-12-01"
    assert f.faq["questions"] == 4 and f.faq["answer_rate"] == 0.5
    assert f.top_questions == [("id_card_replace", 2)]
    assert ("護照怎麼辦", 1) in f.unmatched
    assert f.complaints_by_category["attitude"] == 1 and f.threads_by_kind["question"] == 1
    assert f.survey.average == 4.33 and f.survey.distribution[4] == 2
    assert f.open_now == 3 and f.overdue_now == 0


def test_the_dashboard_page_draws_charts_with_the_figures(staff, store, clock):
    seed(store, clock)
    page = staff.page("/staff/dashboard?days=7")
    assert page.count('<svg class="chart"') >= 7
    assert "服務態度" in page and "4.33" in page and "50%" in page
    assert "護照怎麼辦" in page


def test_the_csv_export_has_every_section_a_bom_and_no_formulas(staff, store, clock):
    seed(store, clock)
    response = staff.get("/staff/dashboard.csv?days=7")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    sections = {r[0] for r in rows[1:]}
    assert {"messages_per_day", "faq", "unmatched", "complaints_by_category", "satisfaction",
            "satisfaction_distribution", "inbox"} <= sections
    assert rows[0] == ["section", "key", "value", "value2", "office"]
    assert ["complaints_by_category", "attitude", "1", "", "all"] in rows  # one office: the totals are "all"
    assert ["satisfaction", "average", "4.33", "", "all"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert store.audit.entries(action="export_csv")


def test_csv_safe_defuses_spreadsheet_formulas():
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("+886") == "'+886" and csv_safe("ok") == "ok" and csv_safe(3) == 3


def test_charts_escape_labels_and_describe_themselves():
    svg = charts.bar_chart([("<script>x</script>", 3)], title="T")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'role="img"' in svg
    column = charts.column_chart([("12/01", 3), ("12/02", 0)], title="每日", overlay=[1, 0], legend=("預約", "未到"))
    assert column.count("<rect") >= 4 and "未到" in column
    assert charts.nice_max(7) == 10 and charts.nice_max(0.3) == 0.5 and charts.nice_max(0) == 1
    assert "—" in charts.gauge(None, title="空")


def test_the_period_is_limited_to_known_choices(staff):
    assert "最近 30 天" in staff.page("/staff/dashboard?days=9999")


def test_unmatched_questions_become_suggestions_for_kb_export(staff, store):
    store.faq.log_question("U1", "可以用健保卡辦謄本嗎", "fallback")
    store.faq.log_question("U2", "今天天氣如何", "fallback")
    page = staff.page("/staff/knowledge")
    assert "可以用健保卡辦謄本嗎" in page and "今天天氣如何" in page
    entry_id = next(iter(e.id for e in staff_entries(store, staff)), "transcript_apply")
    staff.post("/staff/knowledge/suggest", {"text": "可以用健保卡辦謄本嗎", "decision": "phrasing",
                                            "entry_id": entry_id})
    staff.post("/staff/knowledge/suggest", {"text": "今天天氣如何", "decision": "dismiss"})
    pending = store.faq.pending_suggestions()
    assert [(p["kind"], p["entry_id"], p["text"]) for p in pending] == [("phrasing", entry_id, "可以用健保卡辦謄本嗎")]
    page = staff.page("/staff/knowledge")
    assert "今天天氣如何" not in page and page.count("可以用健保卡辦謄本嗎") == 1  # only under pending


def staff_entries(store, staff):
    services = staff.client.application.extensions["services"]
    return list(getattr(services.knowledge, "entries", ()) or ())


def test_a_new_entry_needs_an_answer(staff, store):
    store.faq.log_question("U1", "愛心櫃台在哪", "fallback")
    staff.post("/staff/knowledge/suggest", {"text": "愛心櫃台在哪", "decision": "entry", "answer_zh": ""})
    assert store.faq.pending_suggestions() == []
    staff.post("/staff/knowledge/suggest", {"text": "愛心櫃台在哪", "decision": "entry",
                                            "answer_zh": "一樓入口右側。", "answer_en": "Ground floor, right."})
    assert store.faq.pending_suggestions()[0]["payload"]["answer_zh"] == "一樓入口右側。"


def test_a_thumbs_down_shows_the_question_that_got_the_wrong_answer(staff, store):
    store.faq.log_question("U7", "戶口名簿遺失", "answer", entry_id="household_book_replace")
    store.faq.feedback("U7", "household_book_replace", helpful=False)
    page = staff.page("/staff/knowledge")
    assert "戶口名簿遺失" in page and "household_book_replace" in page


def test_reloading_the_knowledge_bumps_its_version(staff, store):
    before = store.knowledge.version()
    staff.post("/staff/knowledge/reload")
    assert store.knowledge.version() == before + 1


def test_staff_notes_appear_on_the_dashboard(staff, store):
    store.outbox.notify_staff("outbox row 3 is dead")
    assert "outbox row 3 is dead" in staff.page("/staff/dashboard")


def test_an_empty_store_still_draws_a_dashboard(staff):
    page = staff.page("/staff/dashboard")
    assert "無資料" in page and "沒有預約資料" in page



def test_upcoming_bookings_are_counted_apart_from_the_past_period(staff, store):
    from datetime import date, time

    service = store.bookings.services()[0]
    for start, user in ((time(9, 0), "U1"), (time(10, 0), "U2")):
        store.bookings.book_slot(user, service, date(2026, 12, 8), start, name="王小明", phone="0912345678")
    f = compute(store, None, days=30)
    assert f.bookings["booked"] == 0 and f.upcoming == 2  # next week, not in the last 30 days
    assert f.next_day == (date(2026, 12, 8), 2)
    page = staff.page("/staff/dashboard")
    assert "未來預約（明天起 30 天）" in page and "下個有預約的日子 12/08（二）" in page
    assert "未來兩週每日預約" in page and "明天起兩週還沒有預約" not in page


def test_bar_labels_are_wrapped_whole_never_cut():
    question = "我的英文名字（外文姓名）要去哪裡登記或變更？（foreign_name）"
    svg = charts.bar_chart([(question, 3)], title="最常被問的問題")
    assert "…" not in svg
    drawn = "".join(part.split(">", 1)[1] for part in svg.split('<text class="label"')[1:]).replace("</text>", "")
    assert question.replace(" ", "") in drawn.replace(" ", "")
    assert all(charts._text_width(line) <= 340 for line in charts.wrap(question, 340))
    english = "How do I replace a lost ID card"
    assert charts.wrap(english, 80) == ["How do I", "replace a", "lost ID", "card"]  # words kept whole
