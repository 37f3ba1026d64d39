"""Recognise messages that are only a greeting, thanks or goodbye."""

from __future__ import annotations

import re

from knowledge.models import SmallTalk, SmallTalkIntent
from knowledge.normalize import normalize

# A message this short that opens with a greeting and matches no FAQ is still small talk
# ("哈囉 請問一下"); longer ones are real questions we failed to understand.
SHORT_MESSAGE_CHARS = 12


class SmallTalkDetector:
    """Finds small-talk intents in normalised text; built once per knowledge base."""

    def __init__(self, smalltalk: SmallTalk) -> None:
        pairs = [(normalize(p), intent) for intent in smalltalk.intents for p in intent.patterns]
        pairs = [(p, i) for p, i in pairs if p]
        self._intent_of = {p: i for p, i in sorted(pairs, key=lambda x: len(x[0]))}
        # Latin patterns must match whole words ("hi" is not inside "this").
        alternatives = [_pattern(p) for p in sorted(self._intent_of, key=len, reverse=True)]
        self._pattern_re = re.compile("|".join(alternatives)) if alternatives else None
        fillers = sorted({normalize(f) for f in smalltalk.filler if normalize(f)}, key=len, reverse=True)
        self._filler_re = re.compile("|".join(_pattern(f) for f in fillers)) if fillers else None

    def _first_intent(self, text: str) -> SmallTalkIntent | None:
        if not self._pattern_re:
            return None
        m = self._pattern_re.search(text)
        return self._intent_of[m.group(0).strip()] if m else None

    def pure(self, text: str) -> SmallTalkIntent | None:
        """Return the intent when normalised text is nothing but small talk and filler."""
        intent = self._first_intent(text)
        if intent is None:
            return None
        rest = self._pattern_re.sub(" ", text)
        if self._filler_re:
            # Fillers are removed until nothing changes: "謝謝你們大家" → "" in two passes.
            for _ in range(3):
                rest = self._filler_re.sub(" ", rest)
        return intent if not rest.replace(" ", "") else None

    def strip(self, text: str) -> str:
        """Return text without greetings and thanks, so "你好，我身分證掉了" is matched as a question."""
        if not self._pattern_re:
            return text
        return " ".join(self._pattern_re.sub(" ", text).split())

    def loose(self, text: str) -> SmallTalkIntent | None:
        """Return the intent for a short message that contains small talk among other words."""
        if len(text.replace(" ", "")) > SHORT_MESSAGE_CHARS or not self._pattern_re:
            return None
        # Only a message that opens with the greeting: "小港哪裡有好吃的早餐" is no "早安".
        m = self._pattern_re.match(text)
        return self._intent_of[m.group(0)] if m else None


def _pattern(p: str) -> str:
    escaped = re.escape(p)
    return rf"(?<![a-z0-9]){escaped}(?![a-z0-9])" if p.isascii() else escaped
