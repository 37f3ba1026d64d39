"""The concept tables of knowledge/concepts.yaml: synonyms, English stems, objects, typos, word lists.

The file is data a clerk reviews; this module reads it once, at import, into the plain tables
normalisation, segmentation and topic detection use, and checks it for an editor's mistakes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).resolve().parent / "concepts.yaml"
SECTIONS = ("concepts", "context_concepts", "english", "objects", "characters", "typos", "abroad",
            "foreign_subjects", "domain_anchors", "office", "segmentation")


@dataclass(frozen=True)
class ContextRule:
    """One meaning of an ambiguous word: used when any `when` word is in the message (or always)."""

    means: str
    when: tuple[str, ...] = ()


def _words(value: Any) -> list[str]:
    return [str(v).strip().lower() for v in (value or ()) if str(v).strip()]


def _hans_to_traditional(words: list[str]) -> list[str]:
    """Convert Simplified words the way incoming messages are converted (see normalize)."""
    if not words:
        return []
    import opencc

    converter = opencc.OpenCC("s2twp")
    return [converter.convert(w) for w in words]


class _UniqueKeys(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (YAML would keep the last silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"{key!r} is written twice in one mapping (line {key_node.start_mark.line + 1})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(stream: Any) -> Any:
    """Parse a reviewed data file: like yaml.safe_load, but a key written twice is an error."""
    return yaml.load(stream, Loader=_UniqueKeys)  # noqa: S506 - a SafeLoader subclass


def read(path: Path = PATH) -> dict[str, Any]:
    """Return the raw YAML mapping of a concepts file."""
    with path.open(encoding="utf-8") as fh:
        data = load_yaml(fh) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def synonym_pairs(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (variant, canonical) pairs of the concepts section, Simplified forms converted."""
    pairs = []
    for canonical, spec in (data.get("concepts") or {}).items():
        if isinstance(spec, dict):
            variants = _words(spec.get("words")) + _hans_to_traditional(_words(spec.get("hans")))
        else:
            variants = _words(spec)
        pairs += [(v, str(canonical).lower()) for v in variants]
    return pairs


def context_rules(data: dict[str, Any]) -> dict[str, tuple[ContextRule, ...]]:
    """Return {ambiguous word: its rules in order}."""
    return {str(c["word"]).lower(): tuple(ContextRule(str(r["means"]).lower(), tuple(_words(r.get("when"))))
                                          for r in c.get("rules") or ())
            for c in data.get("context_concepts") or ()}


def check(data: dict[str, Any]) -> list[str]:
    """Return the problems of a concepts file (empty when it is fine)."""
    problems = [f"concepts.yaml: unknown section {name!r}" for name in data if name not in SECTIONS]
    problems += [f"concepts.yaml: section {name!r} is missing" for name in SECTIONS if name not in data]
    seen: dict[str, str] = {}

    def claim(word: str, where: str) -> None:
        if word in seen:
            problems.append(f"concepts.yaml: {word!r} in {where} is also listed in {seen[word]}")
        seen.setdefault(word, where)

    for canonical, spec in (data.get("concepts") or {}).items():
        words = _words(spec.get("words") if isinstance(spec, dict) else spec)
        if not words and not (isinstance(spec, dict) and spec.get("hans")):
            problems.append(f"concepts.yaml: concept {canonical!r} has no words")
        for w in words:
            if w == str(canonical).lower():
                problems.append(f"concepts.yaml: concept {canonical!r} lists itself")
            claim(w, f"concepts/{canonical}")
    for c in data.get("context_concepts") or ():
        word = str(c.get("word", "")).lower()
        rules = c.get("rules") or ()
        if not word or not rules:
            problems.append(f"concepts.yaml: context concept {word or '?'!r} needs a word and rules")
        if any(not r.get("means") for r in rules):
            problems.append(f"concepts.yaml: context concept {word!r} has a rule without `means`")
        claim(word, f"context_concepts/{word}")
    for section in ("english", "objects", "typos"):
        for name, words in (data.get(section) or {}).items():
            if not _words(words):
                problems.append(f"concepts.yaml: {section}/{name} is an empty list")
            if section != "objects":  # object words are checked against each other below
                for w in _words(words):
                    claim(w, f"{section}/{name}")
    objects = data.get("objects") or {}
    object_words = [w for words in objects.values() for w in _words(words)]
    for w in {w for w in object_words if object_words.count(w) > 1}:
        problems.append(f"concepts.yaml: object word {w!r} belongs to more than one object")
    office = data.get("office") or {}
    for name in ("foreign_subjects", "domain_anchors"):
        problems += _duplicates(_words(data.get(name)), name)
    problems += _duplicates(_words(office.get("references")), "office/references")
    abroad = data.get("abroad") or {}
    if not abroad.get("means") or not _words(abroad.get("zh")) or not _words(abroad.get("en")):
        problems.append("concepts.yaml: abroad needs means, zh and en")
    for variant, standard in (data.get("characters") or {}).items():
        if len(str(variant)) != 1 or len(str(standard)) != 1:
            problems.append(f"concepts.yaml: characters/{variant} must map one character to one")
    return problems


def _duplicates(words: list[str], where: str) -> list[str]:
    return [f"concepts.yaml: {w!r} is listed twice in {where}" for w in sorted({w for w in words if words.count(w) > 1})]


def check_references(data: dict[str, Any], categories: set[str], kb_text: str | None = None) -> list[str]:
    """Return references to things the knowledge base does not have.

    kb_text, the knowledge base's texts after normalising and rewriting, shows whether a concept's
    canonical word is one the knowledge base uses at all: a concept nothing uses (a typo in its
    name, or an entry since removed) would silently stop helping.
    """
    problems = [f"concepts.yaml: office category {c!r} is not a knowledge base category"
                for c in _words((data.get("office") or {}).get("categories")) if c not in categories]
    if kb_text is not None:
        meanings = [str(c).lower() for c in data.get("concepts") or {}]
        meanings += [str(r["means"]).lower() for c in data.get("context_concepts") or () for r in c.get("rules") or ()
                     if r.get("means")]
        problems += [f"concepts.yaml: concept {c!r} is a word no knowledge base entry uses"
                     for c in dict.fromkeys(meanings) if c not in kb_text]
    return problems


_DATA = read()
_SEG = _DATA.get("segmentation") or {}
_ABROAD = _DATA.get("abroad") or {}
_OFFICE = _DATA.get("office") or {}

CHAR_VARIANTS: dict[str, str] = {str(k): str(v) for k, v in (_DATA.get("characters") or {}).items()}
TYPO_VARIANTS: list[tuple[str, str]] = [(w, str(right)) for right, words in (_DATA.get("typos") or {}).items()
                                        for w in _words(words)]
SYNONYMS: list[tuple[str, str]] = synonym_pairs(_DATA)
CONTEXT_SYNONYMS: dict[str, tuple[ContextRule, ...]] = context_rules(_DATA)
EN_SYNONYMS: dict[str, str] = {w: str(stem) for stem, words in (_DATA.get("english") or {}).items()
                               for w in _words(words)}
OBJECTS: dict[str, tuple[str, ...]] = {str(k): tuple(_words(v)) for k, v in (_DATA.get("objects") or {}).items()}
FOREIGN_SUBJECTS: tuple[str, ...] = tuple(_words(_DATA.get("foreign_subjects")))
DOMAIN_ANCHORS: tuple[str, ...] = tuple(_words(_DATA.get("domain_anchors")))
ABROAD: str = str(_ABROAD.get("means", "國外"))
ABROAD_ZH: tuple[str, ...] = tuple(_words(_ABROAD.get("zh")))
ABROAD_ZH_NOT_BEFORE: str = str(_ABROAD.get("not_before", ""))
ABROAD_EN: tuple[str, ...] = tuple(_words(_ABROAD.get("en")))
OFFICE_CATEGORIES: frozenset[str] = frozenset(_words(_OFFICE.get("categories")))
OFFICE_REFERENCES: tuple[str, ...] = tuple(_words(_OFFICE.get("references")))
DOMAIN_WORDS: tuple[str, ...] = tuple(_words(_SEG.get("domain_words")))
STOP_UNIGRAMS: frozenset[str] = frozenset(re.sub(r"\s", "", str(_SEG.get("stop_characters", ""))))
STOP_WORDS: frozenset[str] = frozenset(_words(_SEG.get("stop_words")))
GENERIC_WORDS: frozenset[str] = frozenset(_words(_SEG.get("generic_words")))
GENERIC_FACTOR: float = float(_SEG.get("generic_factor", 0.3))
EN_STOPWORDS: frozenset[str] = frozenset(_words(_SEG.get("english_stopwords")))
