"""How typed words are compared with commands and menu labels."""
from __future__ import annotations

import re
import unicodedata

_SPACE_PUNCT = re.compile(r"[\s\u200b-\u200f\u2060\ufeff!！?？。.,，、~～]+")


def command_key(text: str) -> str:
    """How typed words are compared with commands: width, case, spaces and end punctuation ignored."""
    return _SPACE_PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()
