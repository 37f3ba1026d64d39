"""The command line: each feature adds its verbs in bot/commands/."""
from __future__ import annotations

import argparse
import logging
import sys

from bot.commands import bookings, cases, faq, office, retention, richmenu, server, staff
from bot.masking import install_log_masking

COMMAND_MODULES = (server, faq, cases, bookings, staff, retention, richmenu, office)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="戶政小幫手: household-registration LINE bot")
    parser.add_argument("--verbose", "-v", action="store_true", help="log debug details")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    for module in COMMAND_MODULES:
        module.register(verbs)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    install_log_masking()
    return int(args.run(args) or 0)
