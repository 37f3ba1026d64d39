"""Keeping some offices' rows: the one SQL condition every office-scoped query shares."""
from __future__ import annotations

from typing import Any


def in_offices(offices: tuple[str, ...] | None, column: str = "office_id") -> tuple[str, list[Any]]:
    """" AND office_id IN (...)" keeping some offices' rows; nothing when offices is None (every office's)."""
    if offices is None:
        return "", []
    if not offices:
        return " AND 1 = 0", []
    return f" AND {column} IN ({', '.join('?' * len(offices))})", list(offices)
