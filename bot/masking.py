"""Masking of personal data wherever a person or a log sees it: the one function, mask().

Matching runs on a normalised copy of the text (NFKC folds full-width Ａ１２３ and ＠ to ASCII, format
characters such as zero-width spaces are dropped), and separators between digits are allowed
(0912.345.678, (07)801-2345), so the usual ways of writing a number, and of hiding one from a filter,
are all caught. Only the matched spans of the original text are replaced: everything else a citizen
wrote (full-width punctuation included) stays as written. mask() is idempotent: a masked text
contains nothing it would mask again.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from typing import Callable, Iterable

HIDDEN = "〔已遮蔽〕"

# Between two digits: spaces, dots, dashes of any width, parentheses (at most three in a row).
_SEP = r"[\s.\-\u2010-\u2015\u2212()]{0,3}"
# +886 / 00886 / 886, optionally in parentheses, optionally followed by the trunk 0 people add anyway.
_COUNTRY = r"(?:\(\s*)?(?:(?:\+|00)\s*)?886\s*\)?"

# Lookarounds, not \b: Chinese characters count as word characters, so "我是A123456789" has no boundary.
# National ID and new-format resident certificate (ARC, 2nd character 8 or 9): letter + 9 digits.
_TW_ID = re.compile(rf"(?<![A-Za-z0-9])([A-Za-z]){_SEP}([1289])((?:{_SEP}\d){{8}})(?!\d)")
# Old-format ARC: two letters (the second A-D) and 8 digits, e.g. AB12345678.
_OLD_ARC = re.compile(rf"(?<![A-Za-z0-9])([A-Za-z])([A-Da-d])(\d(?:{_SEP}\d){{7}})(?!\d)")
_MOBILE = re.compile(rf"(?<![\d+])(?:{_COUNTRY}{_SEP}0?|0)9((?:{_SEP}\d){{8}})(?!\d)")
# Landlines: area code 2-8 and 7 or 8 more digits (02-2345-6789, 07-801-2345, 037-123456, 089-123456).
_LANDLINE = re.compile(rf"(?<![\d+])(?:{_COUNTRY}{_SEP}\(?0?|\(?0)([2-8])((?:{_SEP}\d){{7,8}})(?!\d)")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-]+)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _id(m: re.Match[str]) -> str:
    return f"{m.group(1).upper()}{m.group(2)}*******"


def _old_arc(m: re.Match[str]) -> str:
    return f"{m.group(1).upper()}{m.group(2).upper()}********"


def _mobile(m: re.Match[str]) -> str:
    return f"09**-***-{_digits(m.group(1))[-3:]}"


def _landline(m: re.Match[str]) -> str:
    return f"0{m.group(1)}-****-{_digits(m.group(2))[-4:]}"


def _email(m: re.Match[str]) -> str:
    return f"{m.group(1)[0]}***@{m.group(2)}"


# Order matters: a mobile is tried before a landline, an ID before an old ARC number.
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL, _email), (_TW_ID, _id), (_OLD_ARC, _old_arc), (_MOBILE, _mobile), (_LANDLINE, _landline),
)


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFKC per character with format characters dropped, and for each output character its source index."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cf":
            continue
        folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        out.append(folded)
        where.extend([i] * len(folded))
    return "".join(out), where


def _mask_patterns(text: str) -> str:
    norm, where = _normalised(text)
    for pattern, replace in _RULES:
        spans = [(where[m.start()], where[m.end() - 1] + 1, replace(m)) for m in pattern.finditer(norm)]
        for start, end, masked in reversed(spans):
            text = text[:start] + masked + text[end:]
        if spans:
            norm, where = _normalised(text)
    return text


def mask(text: str, hide: Iterable[str] = ()) -> str:
    """Hide ID and ARC numbers, mobile and landline numbers and e-mail addresses, keeping enough to
    recognise them (A1*******, 09**-***-678, 07-****-2345, w***@example.com); each text in `hide`
    (e.g. a home-visit address) is replaced whole by 〔已遮蔽〕."""
    if not text:
        return text or ""
    for secret in sorted({s for s in hide if s and s.strip()}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return _mask_patterns(text)


NUMBER_ONLY = "〔只有數字〕"


def mask_typed(text: str, hide: Iterable[str] = ()) -> str:
    """What a citizen typed, as the logs keep it: mask(), and a message that is only a number noted as
    such. A bare number asks nothing (the FAQ cannot learn from it), and it is often half of a second
    factor: the last phone digits typed again after a failed case lookup."""
    masked = mask(text, hide)
    folded = unicodedata.normalize("NFKC", masked)
    if any(ch.isdigit() for ch in folded) and not any(ch.isalpha() for ch in folded):
        return NUMBER_ONLY
    return masked


def mask_phone(phone: str) -> str:
    """A phone number the citizen gave as contact, shown with only its last three digits."""
    digits = _digits(unicodedata.normalize("NFKC", phone or ""))
    return f"{'*' * max(len(digits) - 3, 0)}{digits[-3:]}" if digits else ""


def install_log_masking() -> None:
    """Mask every log record's message as it is made, whichever logger or handler it goes to."""
    current = logging.getLogRecordFactory()
    if getattr(current, "masks", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:  # noqa: ANN002, ANN003 - the factory's own signature
        record = current(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is the logging module's to report
            return record
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    factory.masks = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
