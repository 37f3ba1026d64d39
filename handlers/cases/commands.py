"""Command-line verbs for cases: `cases import FILE.csv`, `cases show CASE_NO`."""
from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bot.store import Store
from handlers.cases.store import CaseError, check_update, status_label
from handlers.cases.notices import office_details, stored_office, update_case

REQUIRED = ("case_no", "service", "status", "phone_last4", "updated_at")
OPTIONAL = ("missing", "pickup_by", "office")


def register(verbs: argparse._SubParsersAction) -> None:
    cases = verbs.add_parser("cases", help="case progress: import a CSV of cases, show one case")
    sub = cases.add_subparsers(dest="cases_verb", metavar="ACTION")
    sub.required = True
    imp = sub.add_parser("import", help="create or update cases from a CSV file (header: "
                                        + ",".join(REQUIRED) + " [," + ",".join(OPTIONAL) + "])")
    imp.add_argument("file", help="the CSV file (UTF-8 or Big5/CP950)")
    imp.add_argument("--office", default="", help="the office (OFFICES_FILE id) of rows without an office "
                                                  "column; default: the first office")
    imp.set_defaults(run=run_import)
    show = sub.add_parser("show", help="a case's status, history and number of followers")
    show.add_argument("case_no")
    show.add_argument("--office", default="", help="the case's office (OFFICES_FILE id); default: the first")
    show.set_defaults(run=run_show)


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    notices: int = 0
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = ", ".join(f"{self.counts[k]} {k}" for k in ("created", "updated", "unchanged", "stale"))
        return f"{parts}; {self.notices} notice(s) queued; {len(self.errors)} error(s)"


def read_text(path: str | Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else Big5/CP950 as Excel in Taiwan saves it."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp950")


def import_csv(store: Store, source: IO[str] | str, *, origin: str = "csv", services: Any = None,
               office: str = "") -> ImportReport:
    """Apply every good row; bad rows are reported with their line numbers and skipped. A row's office is
    its `office` column, else `office` (OFFICES_FILE ids, resolved through `services`)."""
    reader = csv.DictReader(io.StringIO(source) if isinstance(source, str) else source)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    absent = [name for name in REQUIRED if name not in header]
    report = ImportReport()
    if absent:
        report.errors.append(f"line 1: the header lacks {', '.join(absent)} "
                             f"(expected {','.join(REQUIRED)} plus optional {','.join(OPTIONAL)})")
        return report
    reader.fieldnames = header
    columns = [name for name in (*REQUIRED, *OPTIONAL) if name in header]
    for row in reader:
        if not any((value or "").strip() for key, value in row.items() if key and isinstance(value, str)):
            continue
        fields = {name: row.get(name) for name in columns}
        try:
            office_id = stored_office(services, fields.pop("office", None) or office) if services else ""
            update = check_update(fields, store.cases.tz, full=True, now=store.clock.now())
            result = update_case(store, **update.as_kwargs(), office_id=office_id,
                                 office=office_details(services, office_id) if services else None, source=origin)
        except CaseError as exc:
            report.errors.append(f"line {reader.line_num}: {exc}")
            continue
        report.counts[result.outcome] += 1
        report.notices += result.notices
    return report


def run_import(args: argparse.Namespace) -> int:
    try:
        text = read_text(args.file)
    except OSError as exc:
        print(f"{args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    services = args.services()
    report = import_csv(services.store, text, services=services, office=args.office)
    print(f"{args.file}: {report.describe()}")
    for error in report.errors:
        print(f"  {error}", file=sys.stderr)
    return 1 if report.errors else 0


def run_show(args: argparse.Namespace) -> int:
    services = args.services()
    store = services.store
    try:
        cases = store.cases.for_office(stored_office(services, args.office))
    except CaseError as exc:
        print(exc, file=sys.stderr)
        return 2
    case = cases.get(args.case_no)
    if case is None:
        print(f"no case {args.case_no}", file=sys.stderr)
        return 1
    tz = store.cases.tz
    print(f"{case.case_no}  {case.service}  {status_label(case.status)} ({case.status})")
    print(f"  updated {case.updated_at.astimezone(tz):%Y-%m-%d %H:%M}"
          + (f"; missing: {case.missing}" if case.missing else "")
          + (f"; pick up by {case.pickup_by}" if case.pickup_by else ""))
    print(f"  {len(cases.followers(case.case_no))} active follower(s)")
    for entry in cases.history(case.case_no):
        print(f"  {entry['updated_at']}  {entry['status']:<15} {entry['source']}")
    return 0
