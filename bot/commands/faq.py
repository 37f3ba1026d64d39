"""Command-line verbs for faq."""
from __future__ import annotations

import argparse


def register(verbs: argparse._SubParsersAction) -> None:
    """No verbs yet."""
