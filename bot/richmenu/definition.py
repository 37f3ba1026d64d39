"""The rich menu as data (knowledge/richmenu.yaml): areas, labels, colours, and LINE's JSON for it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "knowledge" / "richmenu.yaml"
LANGS = ("zh", "en")
POSTBACK_ACTION = "richmenu"
ALIAS_IDS = {"zh": "richmenu-alias-zh", "en": "richmenu-alias-en"}
MIN_CONTRAST = 4.5
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
# LINE's limits (Messaging API reference, "Rich menu object").
_SIZES = {(2500, 1686), (2500, 843), (1200, 810), (1200, 405), (800, 540), (800, 270)}
MAX_AREAS = 20
MAX_CHAT_BAR = 14
MAX_NAME = 300
MAX_DISPLAY_TEXT = 300


class DefinitionError(ValueError):
    """The rich menu file breaks LINE's rules or ours; the message lists every problem."""


@dataclass(frozen=True)
class Area:
    """One tappable tile: what it opens, how it is labelled and drawn, and where it is."""

    key: str
    label: dict[str, str]
    note: dict[str, str]
    icon: str
    colour: str
    bounds: tuple[int, int, int, int]  # x, y, width, height in image pixels

    def action(self, lang: str) -> dict[str, Any]:
        """A postback LINE shows in the chat as the label; the dispatcher opens the main-menu entry."""
        return {"type": "postback", "label": self.label[lang][:20],
                "data": urlencode({"a": POSTBACK_ACTION, "k": self.key}), "displayText": self.label[lang]}


@dataclass(frozen=True, eq=False)  # hashed by identity: drawings are cached per loaded definition
class RichMenuDefinition:
    """The whole menu: size, grid, colours and areas, for every language."""

    name_prefix: str
    width: int
    height: int
    columns: int
    rows: int
    gap: int
    background: str
    ink: str
    chat_bar: dict[str, str]
    areas: tuple[Area, ...]

    def request(self, lang: str, name: str) -> dict[str, Any]:
        """The body of POST /v2/bot/richmenu for one language."""
        return {
            "size": {"width": self.width, "height": self.height},
            "selected": True,
            "name": name[:MAX_NAME],
            "chatBarText": self.chat_bar[lang],
            "areas": [{"bounds": dict(zip(("x", "y", "width", "height"), a.bounds)), "action": a.action(lang)}
                      for a in self.areas],
        }

    def area(self, key: str) -> Area | None:
        return next((a for a in self.areas if a.key == key), None)


def grid_bounds(width: int, height: int, columns: int, rows: int) -> list[tuple[int, int, int, int]]:
    """Cells of an even grid, row by row, that together cover the image exactly (no pixel left out)."""
    xs = [round(width * c / columns) for c in range(columns + 1)]
    ys = [round(height * r / rows) for r in range(rows + 1)]
    return [(xs[c], ys[r], xs[c + 1] - xs[c], ys[r + 1] - ys[r]) for r in range(rows) for c in range(columns)]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio between two #RRGGBB colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@lru_cache(maxsize=4)
def load_definition(path: str | None = None) -> RichMenuDefinition:
    """Read and check the rich menu file; DefinitionError lists what is wrong."""
    raw = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8")) or {}
    problems: list[str] = []
    size, grid = raw.get("size") or {}, raw.get("grid") or {}
    width, height = int(size.get("width", 0)), int(size.get("height", 0))
    columns, rows = int(grid.get("columns", 0)), int(grid.get("rows", 0))
    if (width, height) not in _SIZES:
        problems.append(f"size {width}x{height} is not one of LINE's rich menu sizes")
    entries = raw.get("areas") or []
    if columns < 1 or rows < 1 or columns * rows != len(entries):
        problems.append(f"a {columns}x{rows} grid needs {columns * rows} areas, the file has {len(entries)}")
    if not 0 < len(entries) <= MAX_AREAS:
        problems.append(f"a rich menu has 1 to {MAX_AREAS} areas")
    ink = str(raw.get("ink", "#FFFFFF"))
    chat_bar = {lang: str((raw.get("chat_bar") or {}).get(lang, "")) for lang in LANGS}
    for lang, text in chat_bar.items():
        if not 0 < len(text) <= MAX_CHAT_BAR:
            problems.append(f"chat_bar.{lang} must be 1 to {MAX_CHAT_BAR} characters")
    areas = [_area(entry, cell, ink, problems)
             for entry, cell in zip(entries, grid_bounds(width, height, max(columns, 1), max(rows, 1)))]
    keys = [a.key for a in areas]
    if len(set(keys)) != len(keys):
        problems.append("area keys must be unique")
    if problems:
        raise DefinitionError("; ".join(problems))
    return RichMenuDefinition(str(raw.get("name_prefix") or "richmenu"), width, height, columns, rows,
                              int(raw.get("gap", 0)), str(raw.get("background", "#FFFFFF")), ink, chat_bar,
                              tuple(areas))


def _area(entry: dict[str, Any], bounds: tuple[int, int, int, int], ink: str, problems: list[str]) -> Area:
    key = str(entry.get("key", ""))
    label = {lang: str((entry.get("label") or {}).get(lang, "")) for lang in LANGS}
    note = {lang: str((entry.get("note") or {}).get(lang, "")) for lang in LANGS}
    colour = str(entry.get("colour", ""))
    if not re.fullmatch(r"[a-z_]{1,30}", key):
        problems.append(f"area key {key!r} must be lower-case letters and _")
    for lang in LANGS:
        if not 0 < len(label[lang]) <= 20:
            problems.append(f"{key}: label.{lang} must be 1 to 20 characters")
    if not _COLOUR.match(colour) or not _COLOUR.match(ink):
        problems.append(f"{key}: colours must be #RRGGBB")
    elif contrast_ratio(colour, ink) < MIN_CONTRAST:
        problems.append(f"{key}: text on {colour} has contrast {contrast_ratio(colour, ink):.2f}:1, "
                        f"below {MIN_CONTRAST}:1")
    return Area(key, label, note, str(entry.get("icon", "")), colour.upper(), bounds)
