"""`retention run` and `retention show`: delete personal data past its window, by hand."""
from __future__ import annotations

import argparse


def register(verbs: argparse._SubParsersAction) -> None:
    retention = verbs.add_parser("retention", help="personal-data retention: run the purge now, show the windows")
    sub = retention.add_subparsers(dest="retention_verb", metavar="RETENTION_VERB")
    sub.required = True
    run = sub.add_parser("run", help="delete what is past its RETENTION_* window now; print counts")
    run.set_defaults(run=run_retention)
    show = sub.add_parser("show", help="print how many days each kind of data is kept (0: forever)")
    show.set_defaults(run=show_windows)


def run_retention(args: argparse.Namespace) -> int:
    counts = args.services().store.retention.run()
    for name, count in counts.items():
        print(f"{name:<24}{count:>8}")
    print(f"{'total':<24}{sum(counts.values()):>8}")
    return 0


def show_windows(args: argparse.Namespace) -> int:

    for setting, days in args.services().store.retention.windows().items():
        print(f"{setting.upper():<34}{days:>6} {'days' if days > 0 else '(kept forever)'}")
    return 0
