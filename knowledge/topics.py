"""What a message is about: the things it names, and whether it is household-registration business.

Chinese is topic-first: in "護照遺失要去哪補辦" the passport decides the answer, not 遺失/補辦
that every "lost something" entry shares. An entry that never mentions the first thing a
citizen names is discounted. A message about something from another part of life
("郵局幾點關門", "信用卡不見了") with no household-registration word at all is discounted too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.concepts import DOMAIN_ANCHORS, EN_STOPWORDS, FOREIGN_SUBJECTS, OBJECTS, OFFICE_REFERENCES, STOP_UNIGRAMS, STOP_WORDS


def _alternation(words) -> re.Pattern[str]:
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(w)
        parts.append(rf"(?<![a-z]){escaped}(?![a-z])" if w.isascii() else escaped)
    return re.compile("|".join(parts))


_OBJECT_OF = {pattern: name for name, patterns in OBJECTS.items() for pattern in patterns}
_OBJECT_RE = _alternation(_OBJECT_OF)
_FOREIGN_RE = _alternation(FOREIGN_SUBJECTS)
_ANCHOR_RE = _alternation([*DOMAIN_ANCHORS, *_OBJECT_OF])
_OFFICE_RE = _alternation(OFFICE_REFERENCES)


@dataclass(frozen=True)
class Topic:
    """The things a message names, in order, and whether it is recognisably our business."""

    objects: tuple[str, ...]
    anchored: bool      # names a household-registration word or a thing we have an entry for
    foreign: bool       # names something from another part of life and nothing of ours
    addressed: bool = False  # speaks to or of the office ("你們", "戶政所", "office")

    @property
    def first(self) -> str | None:
        return self.objects[0] if self.objects else None


def objects_in(canon: str) -> tuple[str, ...]:
    """Return the object names found in canonical text, first mention first."""
    seen: list[str] = []
    for m in _OBJECT_RE.finditer(canon):
        name = _OBJECT_OF[m.group(0)]
        if name not in seen:
            seen.append(name)
    return tuple(seen)


_FILLER_RE = _alternation([*STOP_WORDS, *EN_STOPWORDS, *STOP_UNIGRAMS])
_NOT_WORD = re.compile(r"[^\w]+")


def bare_object(canon: str) -> str | None:
    """Return the thing a message names when it names that thing and nothing else ("身分證", "印鑑?").

    Such a message says what it is about but not what the citizen needs (apply, renew, replace…).
    """
    found = objects_in(canon)
    if len(found) != 1:
        return None
    rest = _OBJECT_RE.sub(" ", canon)
    rest = _FILLER_RE.sub(" ", rest)
    return found[0] if not _NOT_WORD.sub("", rest) else None


def _first_is_foreign(text: str) -> bool:
    """Return True when a foreign subject comes before every household-registration word in text."""
    foreign = _FOREIGN_RE.search(text)
    if foreign is None:
        return False
    ours = _ANCHOR_RE.search(text)
    return ours is None or foreign.start() < ours.start()


def topic(canon: str, normalized: str = "", lemmas: str = "") -> Topic:
    """Return the Topic of canonical (synonym-rewritten) text.

    normalized is the same text before synonyms (規費 becomes the everyday 費用 there), lemmas
    its English words in knowledge-base form ("divorcing" → "divorce"); both add evidence.
    """
    texts = [t for t in (canon, normalized, lemmas) if t]
    anchored = any(_ANCHOR_RE.search(t) for t in texts)
    objects = objects_in(" ".join((canon, lemmas)) if lemmas else canon)
    # Topic first: "悠遊卡掉了可以掛失嗎" is about the transit card although 掛失 is our word;
    # a message whose first subject is from another part of life, naming no thing of ours, is foreign.
    foreign = not objects and any(_first_is_foreign(t) for t in texts) if anchored else \
        any(_FOREIGN_RE.search(t) for t in texts)
    addressed = any(_OFFICE_RE.search(t) for t in texts)
    return Topic(objects, anchored, foreign, addressed)
