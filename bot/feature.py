"""What a feature declares to the kernel: its routes, event handlers, jobs, staff pages, web and CLI verbs.

Each package under handlers/ declares one `FEATURE = Feature(...)` in its feature.py; bot/registry.py
lists them, and
only the composition root (the app factory, the CLI, the clock) reads that list. The kernel never
imports a feature: it is handed the features' declarations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from bot.context import Context, Handler
from bot.jobs import Job
from bot.routes import Routes
from bot.store import StorePart

if TYPE_CHECKING:
    from flask import Blueprint

    from bot.messages import Message

# register(bp) adds a feature's pages to the staff blueprint at /staff.
StaffPages = Callable[["Blueprint"], None]
# register(subparsers) adds a feature's verbs to `python -m bot`.
CliVerbs = Callable[[Any], None]


@dataclass(frozen=True)
class Basics:
    """The kernel's own answers, worded by one feature (core): sorry, expired buttons, odd input."""

    apology: Callable[[str], list["Message"]]
    timed_out_notice: Callable[[Context], str]
    expired: Handler
    unknown_postback: Handler
    empty_text: Handler
    unsupported: Handler


@dataclass(frozen=True)
class WebRoutes:
    """A blueprint a feature serves outside /staff (an API); csrf_exempt for machine clients."""

    blueprint: "Blueprint"
    csrf_exempt: bool = False


@dataclass(frozen=True)
class Feature:
    """One feature, as the kernel sees it."""

    name: str
    # Its flows' route tables, in order (claims and triggers are tried in the registry's order).
    flows: tuple[Routes, ...] = ()
    # Non-text webhook events (follow, sticker, image ...) -> handler.
    events: dict[str, Handler] = field(default_factory=dict)
    # Free text nobody else took (the FAQ); exactly one feature declares it.
    free_text: Handler | None = None
    # The kernel's own answers (exactly one feature declares them).
    basics: Basics | None = None
    # Its tables (handlers/<feature>/store.py): attributes of the store under their names.
    store_parts: tuple[StorePart, ...] = ()
    jobs: tuple[Job, ...] = ()
    staff_pages: tuple[StaffPages, ...] = ()
    web: tuple[Callable[[], WebRoutes], ...] = ()
    cli_verbs: tuple[CliVerbs, ...] = ()


def the_one(features: tuple[Feature, ...] | list[Feature], what: str) -> Any:
    """The single value of a field exactly one feature declares (free_text, basics)."""
    found = [getattr(f, what) for f in features if getattr(f, what) is not None]
    if len(found) != 1:
        raise ValueError(f"exactly one feature must declare {what}; found {len(found)}")
    return found[0]
