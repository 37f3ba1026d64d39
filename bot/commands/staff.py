"""Command-line verbs for staff."""
from __future__ import annotations

import argparse


def register(verbs: argparse._SubParsersAction) -> None:
    """No verbs yet."""
