"""Turn normalised text into weighted matching terms: jieba words, their parts, English stems."""

from __future__ import annotations

import functools
import logging
import re

from knowledge.concepts import (ABROAD, ABROAD_EN, ABROAD_ZH, ABROAD_ZH_NOT_BEFORE, CONTEXT_SYNONYMS,
                                DOMAIN_WORDS, EN_STOPWORDS, EN_SYNONYMS, GENERIC_FACTOR, GENERIC_WORDS,
                                STOP_UNIGRAMS, STOP_WORDS, SYNONYMS)

# A whole word is the strongest evidence; the bigrams inside long words catch a word split
# differently in the question; single characters rescue typos and one-character verbs
# (換, 姓, 嫁) but must not decide on their own.
WORD_WEIGHT = 1.0
PART_WEIGHT = 0.5
CHAR_IN_WORD_WEIGHT = 0.15
SINGLE_CHAR_WEIGHT = 0.5

_SYN_MAP = dict(SYNONYMS)
# One pass over plain and context-dependent words together, longest first, so that "偷走了"
# stays 失竊 and is never read as "偷" + "走了".
_SYN_RE = re.compile("|".join(re.escape(w) for w in sorted({*_SYN_MAP, *CONTEXT_SYNONYMS}, key=len, reverse=True)))
_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z]+|[0-9]+")
_ABROAD_RE = re.compile(
    "|".join(f"{re.escape(w)}(?![{ABROAD_ZH_NOT_BEFORE}])" for w in sorted(ABROAD_ZH, key=len, reverse=True))
    + "|" + "|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in sorted(ABROAD_EN, key=len, reverse=True)))


def canonical(normalized: str, context: str = "") -> str:
    """Rewrite synonyms in already-normalised text to one canonical form.

    context is more text that decides what an ambiguous word means (an entry's own question for
    its short phrasings: "報戶口要帶什麼" under the birth entry is about a birth).

    A message naming a place outside Taiwan ("泰國", "the US") also gets the concept word
    ABROAD, so it meets the entries about births, deaths and moves abroad.
    """
    if not normalized:
        return ""
    if not context:
        return _canonical_alone(normalized)
    return _rewrite(normalized, f"{normalized} {context}")


@functools.lru_cache(maxsize=256)
def _canonical_alone(normalized: str) -> str:
    # One message is rewritten by the classifier, the bare-thing rule and the index: once is enough.
    return _rewrite(normalized, normalized)


def _rewrite(normalized: str, where: str) -> str:
    canon = _SYN_RE.sub(lambda m: _meaning(m.group(0), where), normalized)
    if ABROAD not in canon and _ABROAD_RE.search(normalized):
        canon += " " + ABROAD
    return canon


def _meaning(word: str, text: str) -> str:
    """Return the canonical form of word in text: a context rule whose words text contains, else the plain one."""
    for rule in CONTEXT_SYNONYMS.get(word, ()):
        if not rule.when or any(w in text for w in rule.when):
            return rule.means
    return _SYN_MAP.get(word, word)


@functools.lru_cache(maxsize=1)
def _segmenter():
    """Build a private jieba tokenizer and a Traditional→Simplified converter, once."""
    import jieba
    import opencc

    jieba.setLogLevel(logging.WARNING)  # jieba prints its cache-loading chatter otherwise
    to_simplified = opencc.OpenCC("t2s")
    tokenizer = jieba.Tokenizer()  # private instance: the global jieba dictionary stays untouched
    tokenizer.initialize()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(to_simplified.convert(word), freq=20000)
    return tokenizer, to_simplified


def segment(run: str) -> list[str]:
    """Split a run of Chinese characters into words."""
    tokenizer, to_simplified = _segmenter()
    # jieba's dictionary is Simplified; segment the Simplified form and cut the original
    # at the same places (t2s maps character for character, checked below).
    simplified = to_simplified.convert(run)
    if len(simplified) != len(run):
        simplified = run
    words, i = [], 0
    for piece in tokenizer.cut(simplified, HMM=True):
        words.append(run[i:i + len(piece)])
        i += len(piece)
    return words


def stem(word: str) -> str:
    """Return the shared stem of an English word ("registration" → "register", "fees" → "fee")."""
    word = EN_SYNONYMS.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return EN_SYNONYMS.get(word, word)


def _add(out: dict[str, float], term: str, weight: float) -> None:
    if term in GENERIC_WORDS:
        weight *= GENERIC_FACTOR
    if weight > out.get(term, 0.0):
        out[term] = weight


def analyze(text: str, runs: dict[str, list[str]] | None = None) -> tuple[dict[str, float], str]:
    """Return ({term: weight}, space-separated words) for canonical normalised text.

    runs, when given, memoises segment() per run of Chinese characters (index building).
    """
    out: dict[str, float] = {}
    pieces: list[str] = []
    for token in _TOKEN.findall(text):
        first = token[0]
        if "a" <= first <= "z":
            pieces.append(token)
            if token not in EN_STOPWORDS and len(token) > 1:
                _add(out, "w:" + stem(token), WORD_WEIGHT)
        elif first.isdigit():
            pieces.append(token)
            _add(out, "d:" + token, WORD_WEIGHT)
        else:
            if runs is None:
                words = segment(token)
            else:
                words = runs.get(token)
                if words is None:
                    words = runs[token] = segment(token)
            for word in words:
                pieces.append(word)
                _add_cjk_word(out, word)
    return out, " ".join(pieces)


def word_terms(text: str, analysis: tuple[dict[str, float], str] | None = None) -> frozenset[str]:
    """Return the whole-word term keys of text (no word parts or single characters of words)."""
    weights, text_words = analysis or analyze(text)
    keys = set()
    for w in text_words.split():
        if w.isascii():
            keys.add("d:" + w if w.isdigit() else "w:" + stem(w))
        elif len(w) == 4:
            keys.update((w[:2], w[2:]))  # 門牌證明 = 門牌 + 證明, both found in 門牌號碼證明
        else:
            keys.add(w)
    return frozenset(k for k in keys if k in weights)


def terms(text: str) -> dict[str, float]:
    """Return {term: weight} for canonical normalised text; weights are per-kind, not idf."""
    return analyze(text)[0]


def _add_cjk_word(out: dict[str, float], word: str) -> None:
    if len(word) == 1:
        if word not in STOP_UNIGRAMS:
            _add(out, word, SINGLE_CHAR_WEIGHT)
        return
    if word in STOP_WORDS:
        return
    _add(out, word, WORD_WEIGHT)
    if len(word) > 2:
        for i in range(len(word) - 1):
            _add(out, word[i:i + 2], PART_WEIGHT)
    for ch in word:
        if ch not in STOP_UNIGRAMS:
            _add(out, ch, CHAR_IN_WORD_WEIGHT)
