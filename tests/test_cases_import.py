"""Cases in: the CSV import (and `python -m bot cases import`), apply_update's rules, `python -m bot quota`."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.cli import main
from handlers.cases.commands import import_csv
from handlers.cases.store import CaseError, check_update, parse_when
from handlers.cases.notices import update_case

HEADER = "case_no,service,status,phone_last4,updated_at,missing,pickup_by\n"


@pytest.fixture
def cli_env(monkeypatch, config, fake_line):
    """`python -m bot ...` as an operator runs it, against the test's database and fake LINE API."""
    for name, value in {"DATABASE_PATH": config.database_path, "LINE_API_BASE_URL": fake_line.url,
                        "LINE_CHANNEL_ACCESS_TOKEN": config.line_channel_access_token,
                        "LINE_CHANNEL_SECRET": config.line_channel_secret, "LINE_MONTHLY_QUOTA": "4"}.items():
        monkeypatch.setenv(name, value)


def test_rows_are_created_with_their_history(store):
    report = import_csv(store, HEADER + "A1150001,戶籍謄本,received,1234,2026-12-01 09:00,,\n"
                                        "A1150002,身分證換發,ready,5678,2026-12-01 09:30,,2026-12-20\n")
    assert report.errors == [] and report.counts["created"] == 2
    case = store.cases.get("A1150002")
    assert (case.status, case.phone_last4, case.pickup_by) == ("ready", "5678", date(2026, 12, 20))
    assert case.updated_at == datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc)
    assert [h["status"] for h in store.cases.history("A1150001")] == ["received"]
    assert store.cases.history("A1150001")[0]["source"] == "csv"


def test_bad_rows_are_named_by_line_and_good_rows_still_imported(store):
    report = import_csv(store, HEADER
                        + "A1150001,戶籍謄本,received,1234,2026-12-01 09:00,,\n"
                        + "A1150002,戶籍謄本,done,1234,2026-12-01 09:00,,\n"
                        + "A1150003,戶籍謄本,ready,12,2026-12-01 09:00,,\n"
                        + "\n"
                        + "A1150004,戶籍謄本,ready,1234,yesterday,,\n"
                        + "A1150005,,ready,1234,2026-12-01 09:00,,2026-13-01\n"
                        + "A1150006,戶籍謄本,reviewing,1234,2026-12-01 09:00,,\n")
    assert report.counts["created"] == 2
    assert [e.split(":")[0] for e in report.errors] == ["line 3", "line 4", "line 6", "line 7"]
    assert "unknown status 'done'" in report.errors[0]
    assert "phone_last4 must be exactly 4 digits" in report.errors[1]
    assert "updated_at" in report.errors[2]
    assert "service is empty" in report.errors[3] and "pickup_by" in report.errors[3]
    assert store.cases.get("A1150002") is None and store.cases.get("A1150006").status == "reviewing"


def test_a_header_without_the_required_columns_imports_nothing(store):
    report = import_csv(store, "case_no,status\nA1150001,ready\n")
    assert report.errors == [
        "line 1: the header lacks service, phone_last4, updated_at "
        "(expected case_no,service,status,phone_last4,updated_at plus optional missing,pickup_by,office)"]
    assert store.cases.get("A1150001") is None


def test_the_optional_columns_may_be_left_out_and_headers_are_forgiving(store):
    report = import_csv(store, " Case_No ,Service,STATUS,phone_last4,updated_at\nA1150001,戶籍謄本,可領件,1234,"
                               "115/12/01 09:00\n")
    assert report.errors == []
    case = store.cases.get("A1150001")
    assert case.status == "ready" and case.updated_at == datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)


def test_importing_the_same_file_twice_changes_nothing(store):
    rows = HEADER + "A1150001,戶籍謄本,need_documents,1234,2026-12-01 09:00,照片,\n"
    import_csv(store, rows)
    report = import_csv(store, rows)
    assert report.counts["unchanged"] == 1 and report.counts["updated"] == 0
    assert len(store.cases.history("A1150001")) == 1


def test_an_update_older_than_the_stored_one_is_ignored(store):
    import_csv(store, HEADER + "A1150001,戶籍謄本,ready,1234,2026-12-01 10:00,,\n")
    report = import_csv(store, HEADER + "A1150001,戶籍謄本,reviewing,1234,2026-12-01 09:00,,\n")
    assert report.counts["stale"] == 1 and store.cases.get("A1150001").status == "ready"


def test_an_update_dated_in_the_future_is_refused_so_it_cannot_freeze_the_case(store):
    report = import_csv(store, HEADER + "A1150001,戶籍謄本,ready,1234,2099-01-01 09:00,,\n")
    assert "is in the future" in report.errors[0] and store.cases.get("A1150001") is None


def test_a_status_change_is_recorded_in_the_history(store):
    import_csv(store, HEADER + "A1150001,戶籍謄本,received,1234,2026-12-01 09:00,,\n")
    import_csv(store, HEADER + "A1150001,戶籍謄本,need_documents,1234,2026-12-01 10:00,照片,\n")
    import_csv(store, HEADER + "A1150001,戶籍謄本,ready,1234,2026-12-02 10:00,,2026-12-31\n")
    history = store.cases.history("A1150001")
    assert [(h["status"], h["missing"]) for h in history] == [
        ("received", ""), ("need_documents", "照片"), ("ready", "")]
    assert store.cases.get("A1150001").missing == ""


def test_an_empty_pickup_by_column_clears_the_deadline(store):
    import_csv(store, HEADER + "A1150001,戶籍謄本,ready,1234,2026-12-01 09:00,,2026-12-20\n")
    import_csv(store, HEADER + "A1150001,戶籍謄本,ready,1234,2026-12-01 09:05,,\n")
    assert store.cases.get("A1150001").pickup_by is None


def test_the_staff_web_may_change_only_the_status(store):
    update_case(store, "A1150001", "need_documents", service="戶籍謄本", phone_last4="1234",
                             missing="照片", pickup_by="2026-12-20")
    result = update_case(store, "A1150001", "need_documents", missing="照片、印章", source="staff:amy")
    case = store.cases.get("A1150001")
    assert result.outcome == "updated" and not result.status_changed
    assert (case.service, case.phone_last4, case.missing, case.pickup_by) == (
        "戶籍謄本", "1234", "照片、印章", date(2026, 12, 20))
    assert store.cases.history("A1150001")[-1]["source"] == "staff:amy"


def test_a_new_case_needs_a_service_and_the_phone_digits(store):
    with pytest.raises(CaseError) as error:
        update_case(store, "A1150001", "received")
    assert "a new case needs service and phone_last4" in str(error.value)


def test_notices_are_queued_in_the_same_transaction_as_the_change(store):
    store.users.ensure("U" + "1" * 32)
    update_case(store, "A1150001", "reviewing", service="戶籍謄本", phone_last4="1234")
    store.cases.follow("A1150001", "U" + "1" * 32)
    with pytest.raises(RuntimeError):
        with store.transaction():
            update_case(store, "A1150001", "ready")
            raise RuntimeError("the import died")
    assert store.cases.get("A1150001").status == "reviewing"
    assert store.outbox.stats() == {}


@pytest.mark.parametrize("raw, expected", [
    ("2026-12-01 09:00", datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)),
    ("2026/12/01 09:00:30", datetime(2026, 12, 1, 1, 0, 30, tzinfo=timezone.utc)),
    ("2026-12-01T09:00:00+08:00", datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)),
    ("2026-12-01T01:00:00Z", datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)),
    ("115/12/01 09:00", datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)),
    ("2026-12-01", datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)),
])
def test_timestamps_in_the_formats_office_systems_export(store, raw, expected):
    assert parse_when(raw, store.cases.tz) == expected


@pytest.mark.parametrize("field, value, problem", [
    ("case_no", "A", "case_no"), ("case_no", "A115 0001<script>", "case_no"),
    ("status", "finished", "unknown status"), ("phone_last4", "12345", "4 digits"),
    ("phone_last4", "", "4 digits"), ("updated_at", "", "updated_at"), ("service", "x" * 101, "100"),
])
def test_check_update_names_each_problem(store, field, value, problem):
    fields = {"case_no": "A1150001", "service": "戶籍謄本", "status": "ready", "phone_last4": "1234",
              "updated_at": "2026-12-01 09:00", field: value}
    with pytest.raises(CaseError) as error:
        check_update(fields, store.cases.tz)
    assert problem in str(error.value)


# --- the command line (real time there, so the rows are dated in the past) -------------------------
def test_python_m_bot_cases_import_reports_counts_and_errors(cli_env, store, tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + "A1150001,戶籍謄本,received,1234,2020-12-01 09:00,,\n"
                             "A1150002,戶籍謄本,bogus,1234,2020-12-01 09:00,,\n", encoding="utf-8-sig")
    assert main(["cases", "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "1 created" in out and "1 error(s)" in out
    assert "line 3: unknown status 'bogus'" in err
    assert store.cases.get("A1150001").service == "戶籍謄本"


def test_a_big5_file_from_excel_is_read(cli_env, store, tmp_path, capsys):
    path = tmp_path / "big5.csv"
    path.write_bytes((HEADER + "A1150001,戶籍謄本,審核中,1234,2020-12-01 09:00,,\n").encode("cp950"))
    assert main(["cases", "import", str(path)]) == 0
    assert store.cases.get("A1150001").status == "reviewing"


def test_a_missing_file_is_a_clear_error(cli_env, tmp_path, capsys):
    assert main(["cases", "import", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_python_m_bot_cases_show_prints_the_history(cli_env, store, capsys):
    update_case(store, "A1150001", "ready", service="戶籍謄本", phone_last4="1234")
    assert main(["cases", "show", "a1150001"]) == 0
    out = capsys.readouterr().out
    assert "A1150001" in out and "可領件" in out and "1234" not in out


def test_python_m_bot_quota_counts_this_months_pushes_and_warns_staff(cli_env, config, fake_line, capsys):
    from bot.app import build_services
    from reminders.dispatcher import dispatch_due

    real_time = build_services(config.with_(quiet_hours=""), knowledge=object(), matcher=object())
    for n in range(4):
        real_time.store.outbox.enqueue("U" + "2" * 32, [{"type": "text", "text": str(n)}])
    dispatch_due(real_time, real_time.store.clock.now())
    assert main(["quota"]) == 0
    out = capsys.readouterr().out
    assert "4 pushes counted; LINE reports 4; quota 4 (100.0% used)" in out
    assert len(real_time.store.outbox.staff_notes()) == 1
    main(["quota"])
    assert len(real_time.store.outbox.staff_notes()) == 1
