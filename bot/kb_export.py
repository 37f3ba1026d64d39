"""Writes staff suggestions back into the knowledge files, as small reviewable diffs."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DRAFTS_FILE = "drafts/staff_drafts.yaml"


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: safe for any punctuation a citizen typed.
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def add_phrasing(root: Path, entry_id: str, phrasing: str) -> bool:
    """Append a phrasing under the entry's `phrasings:` list, keeping every other line as it was."""
    for path in sorted((root / "entries").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = next((i for i, line in enumerate(lines)
                      if re.match(rf"^\s*-\s+id:\s*{re.escape(entry_id)}\s*$", line)), None)
        if start is None:
            continue
        header = next((i for i in range(start + 1, len(lines))
                       if re.match(r"^\s+phrasings:\s*$", lines[i])), None)
        if header is None:
            return False
        last = header
        item_indent = None
        for i in range(header + 1, len(lines)):
            match = re.match(r"^(\s+)-\s", lines[i])
            if match and (item_indent is None or match.group(1) == item_indent):
                item_indent = match.group(1)
                last = i
            elif lines[i].strip():
                break
        indent = item_indent or " " * 6
        lines.insert(last + 1, f"{indent}- {_quoted(phrasing)}\n")
        path.write_text("".join(lines), encoding="utf-8")
        return True
    return False


def add_draft(root: Path, suggestion: dict[str, Any]) -> None:
    """A new entry goes to drafts/ (not loaded) for a clerk to complete: source, phrasings, English."""
    path = root / DRAFTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = suggestion.get("payload") or {}
    block = (
        f"  - question_zh: {_quoted(suggestion['text'])}\n"
        f"    answer_zh: {_quoted(payload.get('answer_zh', ''))}\n"
        f"    answer_en: {_quoted(payload.get('answer_en', ''))}\n"
        f"    suggested_by: {_quoted(suggestion.get('staff', ''))}\n"
        f"    suggested_at: {_quoted(suggestion.get('created_at', ''))}\n"
    )
    if not path.exists():
        path.write_text("# New entries suggested by staff: complete them and move them into entries/.\n"
                        "drafts:\n", encoding="utf-8")
    with path.open("a", encoding="utf-8") as f:
        f.write(block)


def export_suggestions(root: Path, suggestions: list[dict[str, Any]]) -> tuple[list[int], list[str]]:
    """Write every suggestion; returns (ids written, problems)."""
    written: list[int] = []
    problems: list[str] = []
    for suggestion in suggestions:
        if suggestion["kind"] == "phrasing":
            if add_phrasing(root, suggestion["entry_id"] or "", suggestion["text"]):
                written.append(suggestion["id"])
            else:
                problems.append(f"suggestion {suggestion['id']}: no entry {suggestion['entry_id']!r}")
        else:
            add_draft(root, suggestion)
            written.append(suggestion["id"])
    return written, problems
