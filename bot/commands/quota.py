"""`python -m bot quota`: pushes this month against LINE_MONTHLY_QUOTA."""
from __future__ import annotations

import argparse
import sys

from bot.quota import check_quota


def register(verbs: argparse._SubParsersAction) -> None:
    quota = verbs.add_parser("quota", help="pushes this month against LINE_MONTHLY_QUOTA (warns staff at 80%%)")
    quota.set_defaults(run=run_quota)


def run_quota(args: argparse.Namespace) -> int:
    services = args.services()
    ask_line = bool(services.config.line_channel_access_token)
    report = check_quota(services, services.store.clock.now(), ask_line=ask_line)
    print(report.describe())
    if report.share is not None and report.share >= 0.8:
        print("over 80% of the monthly quota: staff have been told", file=sys.stderr)
    return 0
