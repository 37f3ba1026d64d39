"""What a handler gets (the citizen's input and a context) and what it gives back (an outcome)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlencode

from bot.config import Config
from bot.messages import Message
from bot.store import Store
from bot.store.core import IDLE, Conversation, User, new_session_id

if TYPE_CHECKING:
    from bot.effects import Effect
    from bot.services import Services


@dataclass(frozen=True)
class Input:
    """One webhook event reduced to what handlers need."""

    kind: str  # text, postback, follow, unfollow, sticker, image, video, audio, file, location, other
    user_id: str
    text: str = ""
    action: str = ""
    data: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    event_id: str = ""
    reply_token: str | None = None
    # Filled by the kernel for handlers declared with bot.effects.needs_profile ("" when LINE does not say).
    profile_name: str = ""


@dataclass
class Outcome:
    """A handler's answer: the messages to send, the conversation state to be in next, and effects
    for the kernel to carry out (bot/effects.py)."""

    messages: list[Message]
    state: str = IDLE
    data: dict[str, Any] = field(default_factory=dict)
    effects: tuple["Effect", ...] = ()

    def __post_init__(self) -> None:
        self.state = str(self.state)  # a FlowState member becomes the plain string the store keeps


Handler = Callable[["Context", Input], Outcome]


def t(catalog: ModuleType, lang: str, key: str, **values: Any) -> str:
    """A user-facing string from a feature's catalog (ZH and EN dicts) in the user's language."""
    table = catalog.EN if lang == "en" else catalog.ZH
    text = table.get(key) or catalog.ZH[key]
    return text.format(**values) if values else text


@dataclass
class Context:
    """Everything a handler may use; handlers never call the LINE API themselves."""

    store: Store
    config: Config
    services: "Services"
    user: User
    conversation: Conversation
    event_id: str = ""

    @property
    def lang(self) -> str:
        return self.user.lang if self.user.lang in ("zh", "en") else "zh"

    @property
    def now(self) -> datetime:
        return self.store.clock.now()

    @property
    def local_now(self) -> datetime:
        return self.store.clock.local()

    @property
    def state(self) -> str:
        return self.conversation.state

    @property
    def data(self) -> dict[str, Any]:
        return self.conversation.data

    def t(self, catalog: ModuleType, key: str, **values: Any) -> str:
        return t(catalog, self.lang, key, **values)

    def start_session(self) -> str:
        """A new conversation: buttons from earlier ones become stale."""
        self.conversation.session = new_session_id()
        return self.conversation.session

    def postback(self, action: str, **params: Any) -> str:
        """Postback data for a button that belongs to the current conversation."""
        return urlencode({"a": action, "s": self.conversation.session, **params})

    def global_postback(self, action: str, **params: Any) -> str:
        """Postback data for a button that stays valid on its own (it names what it acts on)."""
        return urlencode({"a": action, **params})

    # --- the narrow view of the process's services that handlers use (never `services` itself) ---
    @property
    def knowledge(self) -> Any:
        """The knowledge base (None while the FAQ package is absent)."""
        return self.services.knowledge

    def office(self) -> Any:
        """The office this citizen deals with (bot.offices.Office), None while a shared channel's citizen
        has not chosen one."""
        return self.services.office_of(self.user.channel, self.user.office_id)

    @property
    def office_id(self) -> str:
        """The id what this citizen files belongs to: their office's, "" for the deployment's first office
        (or while a shared channel's citizen has not chosen)."""
        offices = self.services.offices
        return "" if offices is None else offices.stored_id(self.office())

    def own_office(self) -> Any:
        """That office's details when it is not the deployment's first office (knowledge/office.yaml)."""
        return self.services.office_details(self.office())

    def offices_sharing(self) -> tuple[Any, ...]:
        """The offices (bot.offices.Office) sharing this citizen's channel; () when the channel has one."""
        if self.services.offices is None:
            return ()
        on = self.services.offices.on_channel(self.user.channel)
        return on if len(on) > 1 else ()

    def office_choices(self) -> list[tuple[str, str, str]]:
        """(id, name in Chinese, name in English) of the offices sharing this citizen's channel; [] for one."""
        return [(o.id, self.services.office_name(o, "zh"), self.services.office_name(o, "en"))
                for o in self.offices_sharing()]

    def details_of(self, office: Any) -> Any:
        """An office's details from its `info:` file; None for the deployment's first office."""
        return self.services.office_details(office)

    def office_name(self, office: Any) -> str:
        """An office's name in the citizen's language."""
        return self.services.office_name(office, self.lang)

    def matcher(self) -> Any:
        """The FAQ matcher, reloaded when staff changed the knowledge (the loading animation first if slow)."""
        # The kernel shows LINE's loading animation itself while it rebuilds the matcher.
        return self.services.current_matcher(
            before_slow_work=lambda: self.services.line_for(self.user.channel).show_loading(self.user.user_id))

    def is_menu_word(self, text: str) -> bool:
        """Whether the text is a menu word (a command, or 取消 / 主選單 / 找真人 from any state)."""
        return self.services.dispatcher.menu_command(text) is not None
