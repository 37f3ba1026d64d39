"""What one process shares: the store, the LINE client and sender, the dispatcher and the knowledge."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from bot.clock import Clock
from bot.config import Config
from bot.dispatch import Dispatcher
from bot.inbound import Sweeper
from bot.jobs import Job, run_job, run_tick
from bot.line_client import LineClient
from bot.offices import DEFAULT_CHANNEL, load_offices
from bot.sender import Sender
from bot.store import Store, StorePart

log = logging.getLogger(__name__)

KB_CHECK_SECONDS = 5.0


@dataclass
class Services:
    """What the webhook, the handlers and the staff pages share within one worker process."""

    config: Config
    store: Store
    line: LineClient
    sender: Sender
    dispatcher: Dispatcher
    knowledge: Any = None
    matcher: Any = None
    fake_line: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The offices and LINE channels of this deployment (bot/offices.py), a client per channel.
    offices: Any = None
    lines: dict[str, LineClient] = field(default_factory=dict)
    # What the clock runs (bot/registry.py): the simulator ticks them in-process.
    jobs: tuple[Job, ...] = ()
    _kb_version: int | None = None
    _kb_checked: float = float("-inf")
    _sweeper: Any = None

    @property
    def sweeper(self) -> Any:
        """This process's takeover thread for accepted events (started by the first webhook call)."""
        if self._sweeper is None:
            self._sweeper = Sweeper(self)
        return self._sweeper

    def line_for(self, channel: str) -> LineClient:
        """The LINE client of a channel ("line", "line:<office>"); the default one for anything else."""
        return self.line if channel == DEFAULT_CHANNEL else self.lines.get(channel, self.line)

    def office_of(self, channel: str, chosen: str = "") -> Any:
        """The office (bot.offices.Office) a citizen on this channel deals with: the channel's only office,
        or the one they chose among those sharing it; None while they have not chosen."""
        if self.offices is None:
            return None
        on = self.offices.on_channel(channel)
        if len(on) == 1:
            return on[0]
        return next((o for o in on if o.id == chosen), None)

    def office_details(self, office: Any) -> Any:
        """An office's details (knowledge.models.Office) from its `info:` file; None for the deployment's
        first office, which answers from knowledge/office.yaml with what staff confirmed."""
        if office is None or self.offices is None or office.info is None or office is self.offices.first:
            return None
        cache = self.extra.setdefault("office_details", {})
        if office.id not in cache:
            from knowledge.loader import load_office_file

            cache[office.id] = load_office_file(office.info)
        return cache[office.id]

    def office_name(self, office: Any, lang: str = "zh") -> str:
        """An office's name as its details give it (the first office's: knowledge/office.yaml), else its id."""
        details = self.office_details(office)
        if details is None and office is not None and self.offices is not None and office is self.offices.first:
            details = getattr(self.knowledge, "office", None)
        return details.get("name", lang) if details is not None else getattr(office, "id", "")

    def tick(self, now: datetime) -> dict[str, Any]:
        """Run the clock's tick jobs once (the simulator has no clock process)."""
        return run_tick(self, now, self.jobs)

    def run_job(self, job_id: str, now: datetime) -> Any:
        """Run one of the clock's jobs now, by id."""
        return run_job(next(job for job in self.jobs if job.id == job_id), self, now)

    def current_matcher(self, before_slow_work: Callable[[], None] | None = None) -> Any:
        """The matcher, reloaded from the knowledge files when staff bumped the version (checked every few seconds).

        Building it takes seconds; before_slow_work (LINE's loading animation) is called first when it must.
        """
        now = time.monotonic()
        if now - self._kb_checked >= KB_CHECK_SECONDS:
            self._kb_checked = now
            try:
                version = self.store.knowledge.version()
            except Exception:  # noqa: BLE001 - a busy database must not stop answers
                version = self._kb_version
            if self._kb_version is not None and version != self._kb_version:
                if before_slow_work is not None:
                    before_slow_work()
                self.reload_knowledge()
            self._kb_version = version
        if self.matcher is None and self.knowledge is not None:
            if before_slow_work is not None:
                before_slow_work()
            self.knowledge, self.matcher = _load_knowledge(self.config, self.knowledge, None)
        return self.matcher

    def reload_knowledge(self) -> None:
        """Read the knowledge files again; the old matcher keeps answering if they are broken."""
        try:
            self.knowledge, self.matcher = _load_knowledge(self.config, None, None)
            log.info("knowledge base reloaded: %d entries", len(self.knowledge))
        except Exception:  # noqa: BLE001
            log.exception("knowledge base reload failed; keeping the previous one")


def build_services(config: Config, *, dispatcher: Dispatcher, jobs: tuple[Job, ...] = (),
                   store_parts: tuple[StorePart, ...] = (),
                   clock: Clock | None = None, store: Store | None = None,
                   line: LineClient | None = None, matcher: Any = None, knowledge: Any = None,
                   fake_line: Any = None, build_matcher: bool = True) -> Services:
    """Everything but Flask: also used by the clock process and the command line.

    build_matcher=False (the clock, the command line) leaves the matcher, most of a process's
    memory, to be built on first use.
    """
    offices = load_offices(config)  # OfficesError before anything is migrated or built
    clock = clock or Clock(config.office_timezone)
    store = store or Store(config.database_path, clock=clock, config=config, parts=store_parts)
    store.migrate()

    def client(token: str) -> LineClient:
        return LineClient(config.line_api_base_url, token, timeout=config.line_timeout_seconds,
                          data_base_url=config.line_api_data_base_url)

    line = line or client(config.line_channel_access_token)
    if build_matcher and (knowledge is None or matcher is None):
        knowledge, matcher = _load_knowledge(config, knowledge, matcher)
    elif knowledge is None:
        knowledge = _load_knowledge_base(config)
    lines = {DEFAULT_CHANNEL: line, **{c.key: client(c.access_token) for c in offices.channels
                                       if c.key != DEFAULT_CHANNEL}}
    return Services(config, store, line, Sender(line, store, lines), dispatcher, offices=offices, lines=lines,
                    knowledge=knowledge, matcher=matcher, fake_line=fake_line, jobs=jobs)


def _load_knowledge_base(config: Config) -> Any:
    try:
        from knowledge import load_knowledge_base
    except ImportError:  # the FAQ package is optional
        return None
    return load_knowledge_base(config.knowledge_path or None)


def _load_knowledge(config: Config, knowledge: Any, matcher: Any) -> tuple[Any, Any]:
    try:
        from knowledge import Matcher, load_knowledge_base
    except ImportError:  # the FAQ package is optional until it lands
        return knowledge, matcher
    knowledge = knowledge or load_knowledge_base(config.knowledge_path or None)
    return knowledge, matcher or Matcher.learned(knowledge)
