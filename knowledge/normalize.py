"""Text normalisation shared by the knowledge base and incoming questions."""

from __future__ import annotations

import functools
import re
import unicodedata

from knowledge.concepts import CHAR_VARIANTS, TYPO_VARIANTS

# Nobody asks a FAQ question in more than a few hundred characters; cutting early keeps
# OpenCC and the regexes fast on pasted essays or spam.
MAX_CHARS = 500

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ufe00-\ufe0f]")
# Keep CJK ideographs, ASCII letters and digits; everything else (punctuation, emoji,
# symbols, bopomofo) becomes a space.
_NOT_KEPT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_CHAR_TABLE = str.maketrans(CHAR_VARIANTS)
_TYPO_RE = re.compile("|".join(re.escape(w) for w, _ in sorted(TYPO_VARIANTS, key=lambda p: -len(p[0]))))
_TYPO_MAP = dict(TYPO_VARIANTS)


@functools.lru_cache(maxsize=1)
def _converter():
    """Build the OpenCC Simplified→Taiwan converter once, on first use."""
    import opencc

    # s2twp also converts mainland vocabulary (軟件→軟體); 身份→身分 is fixed by our table.
    return opencc.OpenCC("s2twp")


def normalize(text: str) -> str:
    """Return a canonical form of text for matching (Traditional, lowercase, no punctuation)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])[:MAX_CHARS]
    text = _ZERO_WIDTH.sub("", text)
    if _CJK.search(text):
        text = _converter().convert(text)
    text = text.translate(_CHAR_TABLE)
    text = _TYPO_RE.sub(lambda m: _TYPO_MAP[m.group(0)], text)
    text = _NOT_KEPT.sub(" ", text.lower())
    return " ".join(text.split())


def detect_lang(text: str) -> str:
    """Return "en" when the message is mostly Latin letters, else "zh"."""
    sample = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    latin = len(_LATIN.findall(sample))
    cjk = len(_CJK.findall(sample))
    # A CJK character carries about a word; weigh it so "我的ID card" stays Chinese.
    return "en" if latin >= 2 and latin > 3 * cjk else "zh"
