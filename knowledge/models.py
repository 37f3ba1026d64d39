"""Immutable records for the knowledge base: entries, categories, the office, small talk."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field, replace


def _pick(zh: str, en: str, lang: str | None) -> str:
    """Return the English text for lang "en" when there is one, else the Chinese."""
    return en if lang == "en" and en else zh


@dataclass(frozen=True)
class Entry:
    """One FAQ answer with the many ways citizens ask for it."""

    id: str
    category: str
    question_zh: str
    question_en: str
    phrasings: tuple[str, ...]
    keywords: tuple[str, ...]
    answer_zh: str
    answer_en: str
    documents_zh: tuple[str, ...] = ()
    documents_en: tuple[str, ...] = ()
    source: str = ""
    checked: datetime.date | None = None
    related: tuple[str, ...] = ()
    referral: str | None = None
    label_zh: str = ""
    label_en: str = ""
    # The answers as written, with {office.*} placeholders, when they name the office's details:
    # with_office() fills them again from the details staff confirmed since the files were loaded.
    template_zh: str = field(default="", compare=False, repr=False)
    template_en: str = field(default="", compare=False, repr=False)
    # An office's own answer (OFFICES_FILE id -> {"zh": ..., "en": ...}, as written, placeholders kept) where
    # its service differs from the city's (parking, evening hours, a second service point).
    office_answers: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)

    def with_office(self, office: "Office", office_id: str = "") -> "Entry":
        """This entry as the office answers it: its own answer when the entry has one for office_id, and
        the office's details (office) in the answer's placeholders (itself when it names none)."""
        own = self.office_answers.get(office_id) if office_id else None
        zh = (own or {}).get("zh") or self.template_zh
        en = (own or {}).get("en") or self.template_en
        if not (zh or en):
            return self
        return replace(self, answer_zh=office.fill(zh, "zh") if zh else self.answer_zh,
                       answer_en=office.fill(en, "en") if en else self.answer_en)

    def label(self, lang: str | None = "zh") -> str:
        """Return the short button label in lang (the question when no label is given)."""
        return _pick(self.label_zh, self.label_en, lang) or self.question(lang)

    def question(self, lang: str | None = "zh") -> str:
        """Return the canonical question in lang."""
        return _pick(self.question_zh, self.question_en, lang)

    def answer(self, lang: str | None = "zh") -> str:
        """Return the answer text in lang."""
        return _pick(self.answer_zh, self.answer_en, lang)

    def documents(self, lang: str | None = "zh") -> tuple[str, ...]:
        """Return the document checklist in lang (may be empty)."""
        return self.documents_en if lang == "en" and self.documents_en else self.documents_zh


@dataclass(frozen=True)
class Category:
    """A group of entries, one YAML file."""

    id: str
    title_zh: str
    title_en: str
    entry_ids: tuple[str, ...]

    def title(self, lang: str | None = "zh") -> str:
        """Return the category title in lang."""
        return _pick(self.title_zh, self.title_en, lang)


@dataclass(frozen=True)
class Hotline:
    """A phone number with a name in both languages."""

    number: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Office:
    """The office's own details from office.yaml; unknown values point to the website."""

    name_zh: str
    name_en: str
    website: str
    address_zh: str
    address_en: str
    phone_zh: str
    phone_en: str
    fax_zh: str
    fax_en: str
    hours_zh: str
    hours_en: str
    parking_zh: str
    parking_en: str
    transport_zh: str
    transport_en: str
    second_offices_zh: str
    second_offices_en: str
    lat: float | None = None
    lng: float | None = None
    hotlines: tuple[Hotline, ...] = ()
    checked: datetime.date | None = None

    # Names usable as {office.NAME} in answers.
    PLACEHOLDERS = ("name", "address", "phone", "fax", "hours", "website", "parking",
                    "transport", "second_offices")

    def get(self, name: str, lang: str | None = "zh") -> str:
        """Return field name in lang, e.g. get("hours", "en")."""
        if name == "website":
            return self.website
        return _pick(getattr(self, f"{name}_zh"), getattr(self, f"{name}_en"), lang)

    def placeholders(self, lang: str | None = "zh") -> dict[str, str]:
        """Return the {office.*} placeholder values for lang."""
        return {f"{{office.{name}}}": self.get(name, lang) for name in self.PLACEHOLDERS}

    def fill(self, text: str, lang: str | None = "zh") -> str:
        """text with its {office.*} placeholders replaced by this office's details in lang."""
        for key, value in self.placeholders(lang).items():
            text = text.replace(key, value)
        return text


@dataclass(frozen=True)
class SmallTalkIntent:
    """A greeting, thanks or goodbye with its short reply."""

    id: str
    patterns: tuple[str, ...]
    answer_zh: str
    answer_en: str

    def answer(self, lang: str | None = "zh") -> str:
        """Return the reply in lang."""
        return _pick(self.answer_zh, self.answer_en, lang)


@dataclass(frozen=True)
class SmallTalk:
    """All small-talk intents plus filler words that may surround them."""

    intents: tuple[SmallTalkIntent, ...] = ()
    filler: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnowledgeBase:
    """The loaded FAQ: entries, categories, office details and small talk."""

    entries: tuple[Entry, ...]
    categories: tuple[Category, ...]
    office: Office
    smalltalk: SmallTalk

    @functools.cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def entry(self, entry_id: str) -> Entry:
        """Return the entry with entry_id (KeyError if unknown)."""
        return self._by_id[entry_id]

    def get(self, entry_id: str) -> Entry | None:
        """Return the entry with entry_id, or None."""
        return self._by_id.get(entry_id)

    def category(self, category_id: str) -> Category:
        """Return the category with category_id (KeyError if unknown)."""
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    def entries_in(self, category_id: str) -> tuple[Entry, ...]:
        """Return the entries of one category in file order."""
        return tuple(e for e in self.entries if e.category == category_id)

    def __len__(self) -> int:
        return len(self.entries)
