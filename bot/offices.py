"""The offices one deployment serves and the LINE channels they answer on (OFFICES_FILE).

Without OFFICES_FILE there is one office (knowledge/office.yaml) on one channel (LINE_CHANNEL_*), exactly
as before. With it, each office may bring its own LINE channel (its secret and token named by environment
variables, its bot's user id as `destination`); offices without one share the default channel.

The webhook finds the channel by the signature: the body is checked against each channel's secret (a
few HMACs, before anything of the body is read), then the payload's `destination` must be that channel's
bot. Replies and pushes go out with that channel's token.
"""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

DEFAULT_CHANNEL = "line"
# Set by the webhook on each event of an office's own channel (stored with the accepted event).
CHANNEL_FIELD = "_channel"
_ID = re.compile(r"^[a-z][a-z0-9-]{1,31}$")
_DESTINATION = re.compile(r"^U[0-9a-f]{32}$")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def channel_of(event: Any) -> str:
    """The channel an accepted event came through."""
    key = event.get(CHANNEL_FIELD) if isinstance(event, dict) else None
    return key if isinstance(key, str) and key else DEFAULT_CHANNEL


class OfficesError(ValueError):
    """OFFICES_FILE cannot be used as written; the message says where and why."""


@dataclass(frozen=True)
class Channel:
    """One LINE channel: "line" (LINE_CHANNEL_*) or "line:<office id>" (an office's own)."""

    key: str
    secret: str
    access_token: str
    destination: str = ""  # its bot's user id; "" for the default channel when not configured
    # The channel's monthly push quota (its own LINE plan); None: LINE_MONTHLY_QUOTA.
    monthly_quota: int | None = None


@dataclass(frozen=True)
class Office:
    id: str
    info: Path | None = None  # an office.yaml-shaped file; None: knowledge/office.yaml
    booking_rules: Path | None = None  # None: the shipped rules
    channel: str = DEFAULT_CHANNEL
    staff_group: str = ""  # its own staff LINE group (from staff_group_env); "": STAFF_LINE_GROUP_ID


@dataclass(frozen=True)
class Offices:
    offices: tuple[Office, ...]
    channels: tuple[Channel, ...]

    @property
    def several(self) -> bool:
        return len(self.offices) > 1

    def office(self, office_id: str) -> Office | None:
        return next((o for o in self.offices if o.id == office_id), None)

    @property
    def first(self) -> Office:
        """The office records from before OFFICES_FILE belong to; stored as "" in office_id columns."""
        return self.offices[0]

    def stored_id(self, office: Office | None) -> str:
        """The office_id an office's records carry: "" for the first office (and for none chosen yet)."""
        return "" if office is None or office is self.first else office.id

    def by_stored_id(self, stored: str) -> Office | None:
        """The office an office_id column names ("" is the first office)."""
        return self.first if stored == "" else self.office(stored)

    def on_channel(self, key: str) -> tuple[Office, ...]:
        return tuple(o for o in self.offices if o.channel == key)

    def citizen_office_sql(self, channel: str = "u.channel", chosen: str = "u.office_id") -> tuple[str, list[str]]:
        """An SQL expression for the stored office id of a users row, as Services.office_of decides it.

        users.office_id alone is not enough: a citizen of an office with its own channel never chooses,
        so the channel says the office; on a shared channel the choice does, and no choice (or no users
        row) is the first office ("").
        """
        whens: list[str] = []
        params: list[str] = []
        for office in self.offices:
            if office is self.first:
                continue  # the ELSE below
            if len(self.on_channel(office.channel)) == 1:
                whens.append(f"WHEN {channel} = ? THEN ?")
                params += [office.channel, office.id]
            else:
                whens.append(f"WHEN {channel} = ? AND {chosen} = ? THEN ?")
                params += [office.channel, office.id, office.id]
        return (f"(CASE {' '.join(whens)} ELSE '' END)" if whens else "''"), params

    def signed_by(self, body: bytes, signature: str | None, verify: Any) -> Channel | None:
        """The channel whose secret made this signature (verify(secret, body, signature) -> bool), or None."""
        found = None
        for channel in self.channels:  # every secret is tried, so the time says nothing of which one matched
            if verify(channel.secret, body, signature) and found is None:
                found = channel
        return found

    def destination_ok(self, channel: Channel, destination: Any) -> bool:
        """A channel's events name its own bot; the default channel's may not name another channel's."""
        if channel.destination:
            return destination == channel.destination
        claimed = {c.destination for c in self.channels if c.destination}
        return not isinstance(destination, str) or destination not in claimed


def stored_id_named(offices: Offices | None, given: Any) -> str:
    """The office_id the records of an office an operator named carry (an OFFICES_FILE id, from a verb's
    --office or an import's office column): "" for none named or the first office. OfficesError names the
    known ids for an id the file does not list."""
    name = str(given or "").strip().lower()
    if not name:
        return ""
    office = offices.office(name) if offices is not None else None
    if office is None:
        known = ", ".join(o.id for o in offices.offices) if offices is not None else "none (OFFICES_FILE is unset)"
        raise OfficesError(f"unknown office {given!r} (offices: {known})")
    return offices.stored_id(office)


def _env(name: Any, where: str, environ: Mapping[str, str], simulated: bool = False) -> str:
    if not isinstance(name, str) or not _ENV_NAME.match(name):
        raise OfficesError(f"{where}: name an environment variable (like SIAOGANG_LINE_CHANNEL_SECRET)")
    if simulated:
        # The simulator talks to its own fake LINE API: a fresh made-up value per start, like the default
        # channel's (bot/app.py), so it runs without the office's variables and never holds a real secret.
        return secrets.token_urlsafe(32)
    value = environ.get(name, "")
    if not value:
        raise OfficesError(f"{where}: the environment variable {name} is not set")
    return value


def _path(value: Any, base: Path, where: str) -> Path | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise OfficesError(f"{where}: a file path")
    for root in (base, Path.cwd()):
        candidate = (root / value).resolve()
        if candidate.is_file():
            return candidate
    raise OfficesError(f"{where}: {value} not found (next to {base} or in the working folder)")


def _quota(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise OfficesError(f"{where}: line.monthly_quota is a whole number of pushes (0: no quota)")
    return value


def load_offices(config: Any, environ: Mapping[str, str] | None = None) -> Offices:
    """The deployment's offices and channels from config.offices_file; one office and channel without it.

    In simulator mode (config.simulator) an office's own channel gets a made-up secret and token instead of
    its environment variables; anywhere else a missing variable stops the process.
    """
    default = Channel(DEFAULT_CHANNEL, config.line_channel_secret, config.line_channel_access_token,
                      getattr(config, "line_channel_destination", "") or "")
    path = getattr(config, "offices_file", "") or ""
    if not path:
        return Offices((Office("main"),), (default,))
    environ = os.environ if environ is None else environ
    simulated = bool(getattr(config, "simulator", False))
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise OfficesError(f"OFFICES_FILE {path}: {exc}") from None
    items = data.get("offices") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise OfficesError(f"OFFICES_FILE {path}: needs a list `offices:` with at least one office")
    offices: list[Office] = []
    channels: list[Channel] = []
    for n, item in enumerate(items, 1):
        where = f"OFFICES_FILE {path}, office {n}"
        if not isinstance(item, dict):
            raise OfficesError(f"{where}: each office is a mapping with an id")
        office_id = item.get("id")
        if not isinstance(office_id, str) or not _ID.match(office_id):
            raise OfficesError(f"{where}: id must be 2-32 lower-case letters, digits or '-', starting with a letter")
        if any(o.id == office_id for o in offices):
            raise OfficesError(f"{where}: the id {office_id} is used twice")
        key = DEFAULT_CHANNEL
        line = item.get("line")
        if line is not None:
            if not isinstance(line, dict):
                raise OfficesError(f"{where} ({office_id}): `line` is a mapping")
            destination = line.get("destination")
            if not isinstance(destination, str) or not _DESTINATION.match(destination):
                raise OfficesError(f"{where} ({office_id}): line.destination is the bot's user id (U + 32 hex)")
            if any(c.destination == destination for c in channels):
                raise OfficesError(f"{where} ({office_id}): destination {destination} belongs to another office")
            key = f"{DEFAULT_CHANNEL}:{office_id}"
            channels.append(Channel(key, _env(line.get("channel_secret_env"), f"{where} line.channel_secret_env",
                                              environ, simulated),
                                    _env(line.get("channel_access_token_env"),
                                         f"{where} line.channel_access_token_env", environ, simulated),
                                    destination, _quota(line.get("monthly_quota"), f"{where} ({office_id})")))
        # Like the channel's secrets, the group id is named by an environment variable, not written here.
        group_env = item.get("staff_group_env")
        group = "" if group_env is None else _env(group_env, f"{where} staff_group_env", environ, simulated)
        if group and simulated:
            group = "C" + secrets.token_hex(16)  # a made-up group of LINE's shape for the simulator's own fake
        offices.append(Office(office_id, _path(item.get("info"), file.parent, f"{where} info"),
                              _path(item.get("booking_rules"), file.parent, f"{where} booking_rules"), key,
                              group))
    if any(o.channel == DEFAULT_CHANNEL for o in offices):
        if not default.secret or not default.access_token:
            raise OfficesError("offices without their own `line` share LINE_CHANNEL_SECRET and "
                               "LINE_CHANNEL_ACCESS_TOKEN, which are not set")
        channels.insert(0, default)
    return Offices(tuple(offices), tuple(channels))
