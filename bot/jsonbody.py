"""Request bodies as JSON, refused cleanly when they are not JSON or nest deeper than any real payload."""
from __future__ import annotations

from typing import Any

import orjson

# LINE's webhook payloads nest about 6 levels deep and /api/cases items 3; 32 leaves room for what
# LINE adds later while keeping hostile bodies away from anything that walks them recursively.
MAX_DEPTH = 32


class BadJson(ValueError):
    """Not JSON, or nested too deep."""


def load_json(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed body; orjson refuses nesting past 1024 itself instead of raising RecursionError."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadJson(str(exc)) from None
    if depth_exceeds(value, max_depth):
        raise BadJson(f"nested deeper than {max_depth} levels")
    return value


def depth_exceeds(value: Any, max_depth: int) -> bool:
    """Whether lists and objects nest deeper than max_depth (walked with a stack: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
