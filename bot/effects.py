"""What a handler asks the kernel to do instead of doing it: handlers return, the kernel carries out.

A handler never calls LINE or the dispatcher. It either declares what it needs before it runs
(`needs_profile`: the kernel fetches the citizen's LINE profile and passes the name in
`Input.profile_name`) or returns an effect in `Outcome.effects` that the dispatcher or the pipeline
performs after it (`RunCommand`: run the command of a menu word, from whatever state the citizen is in).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class RunCommand:
    """Answer with the command of the menu word `text`, as if typed outside any flow (a rich-menu tile)."""

    text: str


Effect = RunCommand


def needs_profile(handler: F) -> F:
    """Declare that the handler reads the citizen's LINE display name (`Input.profile_name`)."""
    handler.needs_profile = True  # type: ignore[attr-defined]
    return handler


def wants_profile(handler: Callable[..., Any]) -> bool:
    return bool(getattr(handler, "needs_profile", False))
