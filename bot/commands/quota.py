"""`python -m bot quota`: pushes this month against each LINE channel's quota, one line per channel."""
from __future__ import annotations

import argparse
import sys

from bot.quota import WARN_AT, check_quotas


def register(verbs: argparse._SubParsersAction) -> None:
    quota = verbs.add_parser("quota", help="pushes this month against each LINE channel's quota "
                                           "(LINE_MONTHLY_QUOTA, an office's line.monthly_quota); warns staff at 80%%")
    quota.set_defaults(run=run_quota)


def run_quota(args: argparse.Namespace) -> int:
    services = args.services()
    try:
        # Each channel is asked with its own token; one without a token is not asked.
        reports = check_quotas(services, services.store.clock.now(), ask_line=True)
    finally:
        services.store.close()  # a PostgreSQL pool must not linger after the verb
    for report in reports:
        print(report.describe())
    for report in reports:
        if report.share is not None and report.share >= WARN_AT:
            where = "" if len(reports) == 1 else f" on {report.channel}"
            print(f"over 80% of the monthly quota{where}: staff have been told", file=sys.stderr)
    return 0
