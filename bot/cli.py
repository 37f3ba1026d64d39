"""The command line: the kernel's verbs (bot/commands/) and each feature's (bot/registry.py)."""
from __future__ import annotations

import argparse
import logging
import sys

from bot import registry
from bot.app import build_services
from bot.commands import office, quota, retention, richmenu, server, staff
from bot.config import config_from_env
from bot.masking import install_log_masking
from bot.services import Services
from bot.store import Store


def services_from_env() -> Services:
    """The store, matcher and LINE client as the web process would build them, for a verb to use."""
    return build_services(config_from_env(), build_matcher=False)


def store_from_env() -> Store:
    """The store with every feature's tables, from the settings (not migrated)."""
    return registry.open_store(config=config_from_env())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="戶政小幫手: household-registration LINE bot")
    parser.add_argument("--verbose", "-v", action="store_true", help="log debug details")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True
    for register in (server.register, *registry.cli_verbs(), quota.register, staff.register, retention.register,
                     richmenu.register, office.register):
        register(verbs)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    install_log_masking()
    args.services = services_from_env
    args.open_store = store_from_env
    return int(args.run(args) or 0)
