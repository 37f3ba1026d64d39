"""ask and kb: what the bot would answer, and the knowledge base's checks, misses and write-back."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bot.config import config_from_env


def register(verbs: argparse._SubParsersAction) -> None:
    ask = verbs.add_parser("ask", help="print what the bot would answer to a question")
    ask.add_argument("--json", action="store_true", help="one JSON object per answer")
    ask.add_argument("--lang", choices=("zh", "en"), help="answer in this language (default: as written)")
    ask.add_argument("text", help="the question, or - to read one question per line from stdin")
    ask.set_defaults(run=run_ask)

    kb = verbs.add_parser("kb", help="knowledge base: check, unmatched questions, export staff suggestions")
    kb_verbs = kb.add_subparsers(dest="kb_verb", metavar="KB_VERB")
    kb_verbs.required = True
    check = kb_verbs.add_parser("check", help="validate the knowledge files (exit 1 with a list of problems)")
    check.set_defaults(run=run_check)
    unmatched = kb_verbs.add_parser("unmatched", help="recent questions the bot could not answer, most frequent first")
    unmatched.add_argument("--days", type=int, default=30)
    unmatched.add_argument("--limit", type=int, default=50)
    unmatched.set_defaults(run=run_unmatched)
    export = kb_verbs.add_parser("export", help="write staff-suggested phrasings and entries into the knowledge files")
    export.set_defaults(run=run_export)


def _knowledge_root() -> Path:
    from knowledge.loader import DEFAULT_PATH

    configured = config_from_env().knowledge_path
    return Path(configured) if configured else DEFAULT_PATH


def _plain_postback(action: str, **params: Any) -> str:
    return urlencode({"a": action, **params})


def answer(kb: Any, matcher: Any, text: str, lang: str | None) -> dict[str, Any]:
    """The bot's answer to one question, as `ask --json` prints it."""
    from handlers.faq import reply_for

    result = matcher.match(text)
    reply_lang = lang or result.lang
    messages = reply_for(kb, result, reply_lang, _plain_postback, rich=False)
    matched = result.kind == "answer"
    suggestions = [] if matched else [
        {"faq_id": e.id, "question": e.question(reply_lang), "score": round(s, 1)} for e, s in result.candidates
    ]
    return {
        "matched": matched,
        "faq_id": result.entry.id if matched else None,
        "question": result.entry.question(reply_lang) if matched else None,
        "answer": messages[0]["text"] if messages else "",
        "score": round(max(0.0, min(100.0, result.score)), 1),
        "suggestions": suggestions,
        "also_offered": [e.id for e in (result.follow_up, *result.siblings) if e is not None] if matched else [],
    }


def run_ask(args: argparse.Namespace) -> int:
    from knowledge import load_knowledge_base
    from knowledge.matcher import Matcher

    kb = load_knowledge_base(config_from_env().knowledge_path or None)
    matcher = Matcher.learned(kb)
    questions = [line.rstrip("\n") for line in sys.stdin] if args.text == "-" else [args.text]
    for question in questions:
        result = answer(kb, matcher, question, args.lang)
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            print(result["answer"].replace("\n", " ") if args.text == "-" else result["answer"], flush=True)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from knowledge import check_knowledge_base, load_knowledge_base

    try:
        kb = load_knowledge_base(config_from_env().knowledge_path or None)
    except Exception as exc:  # noqa: BLE001 - a broken file is a finding, not a crash
        print(f"knowledge base does not load: {exc}")
        return 1
    from knowledge.loader import knowledge_warnings

    problems = check_knowledge_base(kb)
    for problem in problems:
        print(problem)
    for warning in knowledge_warnings(kb):
        print(f"warning: {warning}")
    print(f"{len(kb.entries)} entries in {len(kb.categories)} categories: "
          f"{'OK' if not problems else f'{len(problems)} problem(s)'}")
    return 1 if problems else 0


def run_unmatched(args: argparse.Namespace) -> int:
    from bot.masking import mask

    rows = args.services().store.faq.unmatched(limit=args.limit, days=args.days)
    for row in rows:
        print(f"{row['count']:>4}  {row['last_at']}  {mask(row['text'])}")
    if not rows:
        print("no unmatched questions")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from bot.kb_export import export_suggestions

    store = args.services().store
    written, problems = export_suggestions(_knowledge_root(), store.faq.pending_suggestions())
    store.faq.mark_exported(written)
    for problem in problems:
        print(problem)
    print(f"exported {len(written)} suggestion(s); run `python -m bot kb check` and review the diff")
    return 1 if problems else 0
