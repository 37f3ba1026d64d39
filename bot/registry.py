"""Every feature, through one list: the app factory, the CLI and the clock read it; nothing else does.

Adding a feature is one package under handlers/ with a `FEATURE = Feature(...)` in its feature.py
(bot/feature.py) and one line in FEATURES. The order matters: claims and triggers are tried in it,
tick jobs run in it (the outbox dispatch always last), and it is the order of the CLI's verbs.
"""
from __future__ import annotations

from typing import Callable

from bot.dispatch import Dispatcher
from bot.feature import Feature, WebRoutes
from bot.clock import Clock
from bot.config import Config
from bot.jobs import DISPATCH_ID, KERNEL_DAILY_JOBS, KERNEL_TICK_JOBS, TICK, Job, unique
from handlers.booking.feature import FEATURE as booking
from handlers.cases.feature import FEATURE as cases
from handlers.core.feature import FEATURE as core
from handlers.dashboard.feature import FEATURE as dashboard
from handlers.faq.feature import FEATURE as faq
from handlers.inbox.feature import FEATURE as inbox
from handlers.info.feature import FEATURE as info
from handlers.survey.feature import FEATURE as survey
from bot.store import Store, StorePart
from reminders.dispatcher import dispatch_due

FEATURES: tuple[Feature, ...] = (core, inbox, faq, info, cases, booking, survey, dashboard)


def dispatcher(features: tuple[Feature, ...] = FEATURES) -> Dispatcher:
    """The dispatch table of every feature's flows."""
    return Dispatcher(features)


def all_jobs(features: tuple[Feature, ...] = FEATURES) -> tuple[Job, ...]:
    """What the clock runs: the kernel's tick jobs, the features' jobs, the outbox dispatch, the daily ones."""
    return unique((*KERNEL_TICK_JOBS, *(job for f in features for job in f.jobs),
                   Job(DISPATCH_ID, dispatch_due, TICK), *KERNEL_DAILY_JOBS))


def staff_pages(features: tuple[Feature, ...] = FEATURES) -> tuple[Callable, ...]:
    """Each feature's register(bp) for the staff web."""
    return tuple(page for f in features for page in f.staff_pages)


def web_routes(features: tuple[Feature, ...] = FEATURES) -> list[WebRoutes]:
    """The blueprints features serve outside /staff."""
    return [make() for f in features for make in f.web]


def cli_verbs(features: tuple[Feature, ...] = FEATURES) -> tuple[Callable, ...]:
    """Each feature's register(subparsers) for `python -m bot`."""
    return tuple(verbs for f in features for verbs in f.cli_verbs)


def store_parts(features: tuple[Feature, ...] = FEATURES) -> tuple[StorePart, ...]:
    """Every feature's tables."""
    return tuple(part for f in features for part in f.store_parts)


def open_store(path: str | None = None, clock: Clock | None = None, config: Config | None = None,
               **options: object) -> Store:
    """Store(...) with every feature's tables (not migrated: call store.migrate()); path defaults to the
    settings' DATABASE_PATH."""
    if path is None:
        path = (config or Config()).database_path
    return Store(path, clock=clock, config=config, parts=store_parts(), **options)
