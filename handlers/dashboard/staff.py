"""The dashboard (charts rendered on the server) and its CSV export."""
from __future__ import annotations

import csv
import io
from flask import Blueprint, Response, render_template, request

from bot.staff import charts
from bot.staff.common import audit, office_view, services, store, visible_offices
from handlers.inbox.kinds import CATEGORY_LABELS, KIND_LABELS
from handlers.dashboard.figures import UPCOMING_DAYS, Figures, compute, csv_rows, csv_safe
from bot.workdays import format_day

PERIODS = (7, 30, 90, 365)


def _days() -> int:
    days = request.args.get("days", 30, type=int)
    return days if days in PERIODS else 30


def _figures() -> Figures:
    """The figures of the office this account sees (or picked), or city-wide."""
    wanted = request.args.get("office", "")
    return compute(store(), services().knowledge, _days(), offices=visible_offices(wanted),
                   office=office_view(wanted), deployment=services().offices)


def _csv_office() -> str:
    """The office column of the CSV: the shown office's id (the first office's too), or "all"."""
    shown, offices = office_view(request.args.get("office", "")), services().offices
    office = offices.by_stored_id(shown) if shown is not None and offices is not None else None
    return office.id if office is not None else "all"


def dashboard() -> str:
    f = _figures()
    short = "%m/%d"
    chart = {
        "messages": charts.column_chart(
            [(d.strftime(short), n) for d, n, _ in f.messages_per_day],
            title="每日市民訊息數", desc=f"{f.first_day} 至 {f.last_day} 每日收到的市民訊息，共 {f.messages_total} 則"),
        "answer_rate": charts.gauge(100 * f.faq.get("answer_rate", 0.0) if f.faq.get("questions") else None,
                                    title="常見問題直接回答率"),
        "top": charts.bar_chart(f.top_questions, title="最常被問的問題", suffix=" 次"),
        "unmatched": charts.bar_chart(f.unmatched, title="小幫手答不出的問題", css="bar warn", suffix=" 次"),
        "kinds": charts.bar_chart([(KIND_LABELS[k], v) for k, v in f.threads_by_kind.items()],
                                  title="轉給同仁的案件（依類型）", suffix=" 件"),
        "categories": charts.bar_chart([(CATEGORY_LABELS[c], v) for c, v in f.complaints_by_category.items()],
                                       title="意見反映（依類別）", css="bar warn", suffix=" 件"),
        "satisfaction": charts.gauge(f.survey.average, title="滿意度平均", maximum=5, suffix=" 分"),
        "distribution": charts.bar_chart([(f"{r} 分", n) for r, n in sorted(f.survey.distribution.items(),
                                                                             reverse=True)],
                                         title="滿意度分布", css="bar good", suffix=" 人"),
        "bookings": charts.column_chart(
            [(d.strftime(short), booked) for d, booked, _ in f.bookings_per_day], title="每日預約與未到",
            desc="每日未取消的預約數，以及其中未到的人數", overlay=[ns for _, _, ns in f.bookings_per_day],
            legend=("預約", "未到")) if any(b for _, b, _ in f.bookings_per_day) else None,
        "upcoming": charts.column_chart(
            [(d.strftime(short), booked) for d, booked, _ in f.upcoming_per_day], title="未來兩週每日預約",
            desc=f"明天起 {len(f.upcoming_per_day)} 天每日已預約的人數", label_every=2)
        if any(b for _, b, _ in f.upcoming_per_day) else None,
    }
    notes = store().outbox.staff_notes(10) if hasattr(store().outbox, "staff_notes") else []
    return render_template("staff/dashboard.html", f=f, chart=chart, periods=PERIODS, notes=notes,
                           upcoming_days=UPCOMING_DAYS, format_day=format_day)


def dashboard_csv() -> Response:
    f = _figures()
    office = _csv_office()
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 Chinese correctly only with a BOM
    writer = csv.writer(out)
    for row in csv_rows(f, office):
        writer.writerow([csv_safe(v) for v in row])
    audit("export_csv", f"dashboard {f.days} days", "" if office == "all" else office,
          office=office_view(request.args.get("office", "")))
    filename = f"dashboard-{f.last_day:%Y%m%d}-{f.days}d{'' if office == 'all' else '-' + office}.csv"
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/dashboard", "dashboard", dashboard)
    bp.add_url_rule("/dashboard.csv", "dashboard_csv", dashboard_csv)
