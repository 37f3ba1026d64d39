"""Load the YAML knowledge base and check it for mistakes an editor could make."""

from __future__ import annotations

import datetime
import logging
import re
from pathlib import Path
from typing import Any

import yaml

from knowledge import concepts
from knowledge.models import (Category, Entry, Hotline, KnowledgeBase, Office, SmallTalk,
                              SmallTalkIntent)
from knowledge.normalize import normalize
from knowledge.sources import is_bare_home_page, source_problems

log = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).resolve().parent
MIN_PHRASINGS = 12
MAX_LABEL_UTF16 = 20  # LINE cuts quick-reply and button labels longer than this
MAX_QUESTION_CHARS = 40
MAX_ANSWER_CHARS = 400
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = concepts.load_yaml(fh) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in (value or ()) if str(v).strip())


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def _office(data: dict[str, Any]) -> Office:
    text = {k: str(v).strip() for k, v in data.items() if isinstance(v, (str, int, float))}
    fields = [f"{name}_{lang}" for name in Office.PLACEHOLDERS if name != "website"
              for lang in ("zh", "en")]
    coords = data.get("map") or {}
    return Office(
        website=text.get("website", ""),
        **{f: text.get(f, "") for f in fields},
        lat=coords.get("lat"),
        lng=coords.get("lng"),
        hotlines=tuple(Hotline(str(h["number"]), h.get("name_zh", ""), h.get("name_en", ""))
                       for h in data.get("hotlines") or ()),
        checked=_date(data.get("checked")),
    )


def _smalltalk(data: dict[str, Any]) -> SmallTalk:
    intents = tuple(
        SmallTalkIntent(str(i["id"]), _strs(i.get("patterns")), str(i.get("answer_zh", "")).strip(),
                        str(i.get("answer_en", "")).strip())
        for i in data.get("intents") or ())
    return SmallTalk(intents=intents, filler=_strs(data.get("filler")))


def utf16_len(text: str) -> int:
    """Length as LINE counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _label(raw: dict[str, Any], lang: str) -> str:
    label = raw.get("label")
    return str(label.get(lang, "") or "").strip() if isinstance(label, dict) else ""


def _entry(raw: dict[str, Any], category: str, office: Office) -> Entry:
    zh, en = office.placeholders("zh"), office.placeholders("en")
    referral = raw.get("referral")
    raw_zh, raw_en = str(raw.get("answer_zh", "")).strip(), str(raw.get("answer_en", "")).strip()
    return Entry(
        id=str(raw.get("id", "")).strip(),
        category=category,
        question_zh=str(raw.get("question_zh", "")).strip(),
        question_en=str(raw.get("question_en", "")).strip(),
        phrasings=_strs(raw.get("phrasings")),
        keywords=_strs(raw.get("keywords")),
        answer_zh=_fill(str(raw.get("answer_zh", "")).strip(), zh),
        answer_en=_fill(str(raw.get("answer_en", "")).strip(), en),
        documents_zh=_strs(raw.get("documents_zh")),
        documents_en=_strs(raw.get("documents_en")),
        source=str(raw.get("source", "") or "").strip(),
        checked=_date(raw.get("checked")),
        related=_strs(raw.get("related")),
        referral=str(referral).strip() if referral else None,
        label_zh=_label(raw, "zh"),
        label_en=_label(raw, "en"),
        template_zh=raw_zh if "{office." in raw_zh else "",
        template_en=raw_en if "{office." in raw_en else "",
        office_answers=_office_answers(raw.get("offices")),
    )


def _office_answers(raw: Any) -> dict[str, dict[str, str]]:
    """An entry's `offices:` block ({id: {answer_zh, answer_en}}) as {id: {"zh": ..., "en": ...}};
    what is not shaped so is kept as found for `kb check` to name."""
    if not isinstance(raw, dict):
        return {} if raw is None else {"?": {"problem": "offices must map office ids to answers"}}
    answers: dict[str, dict[str, str]] = {}
    for office_id, given in raw.items():
        if not isinstance(given, dict):
            answers[str(office_id)] = {"problem": "must have answer_zh and/or answer_en"}
            continue
        unknown = sorted(set(map(str, given)) - {"answer_zh", "answer_en"})
        answers[str(office_id)] = {
            "zh": str(given.get("answer_zh") or "").strip(), "en": str(given.get("answer_en") or "").strip(),
            **({"problem": f"unknown keys {unknown}"} if unknown else {}),
        }
    return answers


def load_office(path: str | Path | None = None) -> Office:
    """Load only office.yaml (for pushes built outside the web process's knowledge base)."""
    return _office(_read_yaml((Path(path) if path else DEFAULT_PATH) / "office.yaml"))


def load_office_file(path: str | Path) -> Office:
    """One office's details from an office.yaml-shaped file (OFFICES_FILE's `info:`)."""
    return _office(_read_yaml(Path(path)))


def load_knowledge_base(path: str | Path | None = None) -> KnowledgeBase:
    """Load office.yaml, smalltalk.yaml and entries/*.yaml from path (default: this package)."""
    root = Path(path) if path else DEFAULT_PATH
    office = _office(_read_yaml(root / "office.yaml"))
    smalltalk_file = root / "smalltalk.yaml"
    smalltalk = _smalltalk(_read_yaml(smalltalk_file)) if smalltalk_file.exists() else SmallTalk()
    entries: list[Entry] = []
    categories: list[Category] = []
    for file in sorted((root / "entries").glob("*.yaml")):
        data = _read_yaml(file)
        cat_id = str(data.get("category") or file.stem)
        cat_entries = [_entry(raw, cat_id, office) for raw in data.get("entries") or ()]
        categories.append(Category(cat_id, str(data.get("title_zh", "")), str(data.get("title_en", "")),
                                   tuple(e.id for e in cat_entries)))
        entries.extend(cat_entries)
    log.debug("loaded %d entries in %d categories from %s", len(entries), len(categories), root)
    return KnowledgeBase(tuple(entries), tuple(categories), office, smalltalk)


def home_page_allowed(e: Entry, office_website: str) -> bool:
    """A home page is tolerated (as a warning) only for the office's own site or a referral's agency site.

    The office's details live in office.yaml, whose values point to its website until staff confirm them;
    a referral entry states only which agency is responsible, which that agency's site shows.
    """
    return is_bare_home_page(e.source) and (e.source == office_website or bool(e.referral))


def _entry_problems(e: Entry, known_ids: set[str], office_website: str = "") -> list[str]:
    where = f"{e.category}/{e.id or '?'}"
    problems = []
    if not _SLUG.match(e.id):
        problems.append(f"{where}: id must be an ascii slug")
    for name in ("question_zh", "question_en", "answer_zh", "answer_en"):
        if not getattr(e, name):
            problems.append(f"{where}: {name} is missing")
    if len(e.question_zh) > MAX_QUESTION_CHARS:
        problems.append(f"{where}: question_zh longer than {MAX_QUESTION_CHARS} characters")
    for name in ("answer_zh", "answer_en"):
        text = getattr(e, name)
        if "{office." in text:
            problems.append(f"{where}: {name} has an unknown {{office.*}} placeholder")
        limit = MAX_ANSWER_CHARS * (3 if name == "answer_en" else 1)  # English is wordier
        if len(text) > limit:
            problems.append(f"{where}: {name} is {len(text)} characters (max {limit})")
    if len(e.phrasings) < MIN_PHRASINGS:
        problems.append(f"{where}: needs at least {MIN_PHRASINGS} phrasings, has {len(e.phrasings)}")
    if not e.keywords:
        problems.append(f"{where}: keywords are missing")
    if not home_page_allowed(e, office_website):
        problems.extend(f"{where}: {p}" for p in source_problems(e.source))
    for lang, label in (("zh", e.label_zh), ("en", e.label_en)):
        if not label:
            problems.append(f"{where}: label.{lang} is missing")
        elif utf16_len(label) > MAX_LABEL_UTF16:
            problems.append(f"{where}: label.{lang} is {utf16_len(label)} UTF-16 units (max {MAX_LABEL_UTF16})")
    if e.checked is None:
        problems.append(f"{where}: checked date is missing or not YYYY-MM-DD")
    if bool(e.documents_zh) != bool(e.documents_en):
        problems.append(f"{where}: documents must be given in both languages")
    for rel in e.related:
        if rel == e.id or rel not in known_ids:
            problems.append(f"{where}: related id {rel!r} does not exist")
    problems.extend(f"{where}: {p}" for p in _office_answer_problems(e))
    return problems


def _office_answer_problems(e: Entry) -> list[str]:
    problems = []
    for office_id, answer in e.office_answers.items():
        where = f"offices.{office_id}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,31}", office_id):
            problems.append(f"{where}: not an office id (2-32 lower-case letters, digits, -)")
        if answer.get("problem"):
            problems.append(f"{where}: {answer['problem']}")
            continue
        if not (answer["zh"] and answer["en"]):
            problems.append(f"{where}: give answer_zh and answer_en (the citizen's language is either)")
        for lang in ("zh", "en"):
            limit = MAX_ANSWER_CHARS * (3 if lang == "en" else 1)
            if len(answer[lang]) > limit:
                problems.append(f"{where}: answer_{lang} is {len(answer[lang])} characters (max {limit})")
    return problems


def check_knowledge_base(kb: KnowledgeBase) -> list[str]:
    """Return a list of problems in kb (empty when everything is fine)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for e in kb.entries:
        if e.id in seen:
            problems.append(f"{e.category}/{e.id}: duplicate id (also in {seen[e.id]})")
        seen.setdefault(e.id, e.category)
    known = set(seen)
    owner: dict[str, str] = {}
    for e in kb.entries:
        problems.extend(_entry_problems(e, known, kb.office.website))
        for text in {normalize(t) for t in (e.question_zh, e.question_en, *e.phrasings)}:
            if text and owner.setdefault(text, e.id) != e.id:
                problems.append(f"{e.id}: phrasing {text!r} is also used by {owner[text]}")
    for c in kb.categories:
        if not _SLUG.match(c.id) or not c.title_zh or not c.title_en:
            problems.append(f"category {c.id!r}: needs an ascii slug and titles in both languages")
    return problems + concept_problems(kb) + not_ours_problems(owner)


def not_ours_problems(phrasings: dict[str, str], path: Path | None = None) -> list[str]:
    """Problems of knowledge/not_ours.yaml: it loads, holds texts once, and none is an entry's phrasing."""
    path = path or DEFAULT_PATH / "not_ours.yaml"
    if not path.exists():
        return []
    try:
        data = _read_yaml(path)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        return [f"not_ours.yaml does not load: {exc}"]
    questions = data.get("questions")
    if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
        return ["not_ours.yaml: `questions` must be a list of texts"]
    problems, seen = [], set()
    for q in questions:
        text = normalize(q)
        if text in seen:
            problems.append(f"not_ours.yaml: {q!r} is listed twice")
        elif text in phrasings:
            problems.append(f"not_ours.yaml: {q!r} is a phrasing of {phrasings[text]}")
        seen.add(text)
    return problems


def concept_problems(kb: KnowledgeBase, path: Path | None = None) -> list[str]:
    """Return the problems of the concepts file (knowledge/concepts.yaml unless path is given)."""
    from knowledge.features import canonical

    try:
        data = concepts.read(path or concepts.PATH)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        return [f"concepts.yaml does not load: {exc}"]
    kb_text = "\n".join(canonical(normalize(t), normalize(e.question_zh)) for e in kb.entries
                        for t in (e.question_zh, e.question_en, e.answer_zh, e.answer_en, *e.phrasings, *e.keywords))
    return concepts.check(data) + concepts.check_references(data, {c.id for c in kb.categories}, kb_text)


def knowledge_warnings(kb: KnowledgeBase) -> list[str]:
    """Findings that do not block loading but that staff should fix (home-page sources)."""
    return [f"{e.category}/{e.id}: source is a home page ({e.source}); link the page that states the fact"
            for e in kb.entries if home_page_allowed(e, kb.office.website)]
