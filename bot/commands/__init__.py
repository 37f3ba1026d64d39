"""Command-line verbs, one module per feature; each has register(subparsers) and sets args.run."""
from __future__ import annotations

from bot.services import Services, build_services
from bot.config import config_from_env


def services_from_env() -> Services:
    """The store, matcher and LINE client as the web process would build them, for a verb to use."""
    return build_services(config_from_env(), build_matcher=False)
