"""The colours of the cards the bot sends, defined once, each readable (WCAG 2.1 AA) under white text.

LINE's own green #06C755 gives white text only 2.26:1; every header and solid button here reaches at
least 4.5:1 with white (`contrast_ratio`), and `flex_contrast_problems` checks a whole message.
"""
from __future__ import annotations

from typing import Any, Iterator

WHITE = "#FFFFFF"
INK = "#1F1F1F"       # body text on white: 16.3:1
MUTED = "#4A4A4A"     # secondary text on white: 8.9:1

GREEN = "#06803A"     # the office's LINE green, darkened: 5.05:1 under white
DARK_GREEN = "#1B5E20"  # FAQ answer cards: 7.9:1
BLUE = "#1E6FD9"      # bookings: 4.85:1
SLATE_BLUE = "#4A6FA5"  # a case received: 5.1:1
OCEAN = "#1565C0"     # a case under review: 5.75:1
ORANGE = "#B3541E"    # a case needing documents: 5.0:1
GREY = "#5F6673"      # a case picked up or cancelled: 5.8:1

# The smallest contrast WCAG 2.1 AA asks of normal-size text (1.4.3).
AA_TEXT = 4.5
# LINE draws a primary button's label in white on the button's colour (its default is LINE's green).
PRIMARY_LABEL = WHITE
DEFAULT_PRIMARY = "#17C950"


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio between two #RRGGBB colours (1 to 21)."""
    high, low = sorted((_luminance(a[:7]), _luminance(b[:7])), reverse=True)
    return (high + 0.05) / (low + 0.05)


def flex_contrast_problems(message: dict[str, Any]) -> list[str]:
    """Every text and solid button in a flex message whose colours fall below 4.5:1 (LINE's white default)."""
    if message.get("type") != "flex":
        return []
    contents = message.get("contents") or {}
    bubbles = contents.get("contents", []) if contents.get("type") == "carousel" else [contents]
    return [problem for b in bubbles for problem in _bubble_problems(b)]


def _bubble_problems(bubble: dict[str, Any]) -> Iterator[str]:
    for part in ("header", "hero", "body", "footer"):
        block = bubble.get(part)
        if isinstance(block, dict):
            yield from _node_problems(block, block.get("backgroundColor", WHITE), part)


def _node_problems(node: dict[str, Any], background: str, where: str) -> Iterator[str]:
    background = node.get("backgroundColor", background)
    if node.get("type") == "text":
        colour = node.get("color", INK)
        ratio = contrast_ratio(colour, background)
        if ratio < AA_TEXT:
            yield f"{where}: text {node.get('text', '')[:20]!r} {colour} on {background} is {ratio:.2f}:1"
    elif node.get("type") == "button" and node.get("style") == "primary":
        colour = node.get("color", DEFAULT_PRIMARY)
        ratio = contrast_ratio(PRIMARY_LABEL, colour)
        if ratio < AA_TEXT:
            label = (node.get("action") or {}).get("label", "")
            yield f"{where}: button {label!r} white on {colour} is {ratio:.2f}:1"
    for i, child in enumerate(node.get("contents", []) or []):
        if isinstance(child, dict):
            yield from _node_problems(child, background, f"{where}.contents[{i}]")
