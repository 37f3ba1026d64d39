"""Postback data checked by one parser: every action declares its parameters, anything else is refused.

A postback's `data` comes back from the citizen's phone, so it is input like any typed text: a tampered
or very old button may carry a page "abc", a survey id of 23 digits or no session id at all. Each handler
that answers a postback declares what it takes with `@takes(...)`; the dispatcher parses the data with
that declaration before the handler runs, and a postback that does not fit is answered like an expired
menu. Handlers then read `inp.data` knowing every value is present and in range.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any, Callable, Mapping, TypeVar

MAX_DATA_CHARS = 300  # LINE's limit on postback.data
_IDENT = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_SESSION = re.compile(r"[A-Za-z0-9_\-]{1,64}")


class BadPostback(ValueError):
    """The data does not fit the action's declaration."""


@dataclass(frozen=True)
class Param:
    """One parameter: its kind, whether it must be there, and its limits."""

    kind: str  # ident, int, choice, date, time
    required: bool = True
    low: int = 0
    high: int = 0
    choices: tuple[str, ...] = ()

    def check(self, name: str, raw: str) -> str:
        """The value as handlers will read it (a canonical string), or BadPostback."""
        if self.kind == "ident":
            if not _IDENT.fullmatch(raw):
                raise BadPostback(f"{name}: not an identifier")
            return raw
        if self.kind == "int":
            if not re.fullmatch(r"-?\d{1,12}", raw) or not self.low <= int(raw) <= self.high:
                raise BadPostback(f"{name}: not a whole number from {self.low} to {self.high}")
            return str(int(raw))
        if self.kind == "choice":
            if raw not in self.choices:
                raise BadPostback(f"{name}: not one of the choices")
            return raw
        if self.kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) or not _parses(date.fromisoformat, raw):
                raise BadPostback(f"{name}: not a date")
            return raw
        if self.kind == "time":
            if not re.fullmatch(r"\d{2}:\d{2}", raw) or not _parses(time.fromisoformat, raw):
                raise BadPostback(f"{name}: not a time")
            return raw
        raise BadPostback(f"{name}: unknown kind {self.kind}")


def _parses(parse: Callable[[str], Any], raw: str) -> bool:
    try:
        parse(raw)
    except ValueError:
        return False
    return True


def ident(required: bool = True) -> Param:
    return Param("ident", required)


def integer(low: int, high: int, required: bool = True) -> Param:
    return Param("int", required, low=low, high=high)


def choice(*values: str, required: bool = True) -> Param:
    return Param("choice", required, choices=tuple(values))


def iso_date(required: bool = True) -> Param:
    return Param("date", required)


def hh_mm(required: bool = True) -> Param:
    return Param("time", required)


@dataclass(frozen=True)
class Takes:
    """What one postback action accepts: its data parameters, its picker params, and its session id."""

    session: bool
    params: Mapping[str, Param]
    picker: Mapping[str, Param]

    def parse(self, data: Mapping[str, str], picker: Mapping[str, str]) -> dict[str, str]:
        """Checked data (action and session id included), or BadPostback."""
        known = {"a", "s", *self.params}
        extra = set(data) - known
        if extra:
            raise BadPostback(f"unexpected parameters {sorted(extra)}")
        checked = {"a": data.get("a", "")}
        if self.session:
            if not _SESSION.fullmatch(data.get("s", "")):
                raise BadPostback("no session id")
            checked["s"] = data["s"]
        elif "s" in data:
            raise BadPostback("a session id on a button that has none")
        checked.update(_checked(self.params, data))
        if set(picker) - set(self.picker):
            raise BadPostback("unexpected picker values")
        _checked(self.picker, picker)
        return checked


def _checked(declared: Mapping[str, Param], given: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, param in declared.items():
        raw = given.get(name)
        if raw is None or raw == "":
            if param.required:
                raise BadPostback(f"{name}: missing")
            continue
        out[name] = param.check(name, raw)
    return out


F = TypeVar("F", bound=Callable[..., Any])


def takes(*, session: bool, picker: Mapping[str, Param] | None = None, **params: Param) -> Callable[[F], F]:
    """Declare what a postback handler accepts (session=True: the button belongs to one conversation)."""
    spec = Takes(session, params, picker or {})

    def mark(handler: F) -> F:
        handler.takes = spec  # type: ignore[attr-defined]
        return handler

    return mark


def declaration(handler: Callable[..., Any]) -> Takes | None:
    """The handler's declaration (bound methods too)."""
    return getattr(handler, "takes", None)
