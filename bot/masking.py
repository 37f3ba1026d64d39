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
from typing import Callable, Iterable, Sequence

HIDDEN = "〔已遮蔽〕"

# Between two digits: spaces, dots, dashes of any width, parentheses (at most three in a row).
_SEP = r"[\s.\-\u2010-\u2015\u2212()]{0,3}"
# +886 / 00886 / 886, optionally in parentheses, optionally followed by the trunk 0 people add anyway.
_COUNTRY = r"(?:\(\s*)?(?:(?:\+|00)\s*)?886\s*\)?"

# Lookarounds, not \b: Chinese characters count as word characters, so "我是A123456789" has no boundary.
# National ID and new-format resident certificate (ARC, 2nd character 8 or 9): letter + 9 digits.
_TW_ID = re.compile(rf"(?=[A-Za-z])(?<![A-Za-z0-9])([A-Za-z]){_SEP}([1289])((?:{_SEP}\d){{8}})(?!\d)")
# Old-format ARC: two letters (the second A-D) and 8 digits, e.g. AB12345678.
_OLD_ARC = re.compile(rf"(?=[A-Za-z])(?<![A-Za-z0-9])([A-Za-z])([A-Da-d])(\d(?:{_SEP}\d){{7}})(?!\d)")
# (?=[(+08]): every form starts so; the look-ahead lets most positions fail at once.
_MOBILE = re.compile(rf"(?=[(+08])(?<![\d+])(?:{_COUNTRY}{_SEP}0?|0)9((?:{_SEP}\d){{8}})(?!\d)")
# Landlines: area code 2-8 and 7 or 8 more digits (02-2345-6789, 07-801-2345, 037-123456, 089-123456).
_LANDLINE = re.compile(rf"(?=[(+08])(?<![\d+])(?:{_COUNTRY}{_SEP}\(?0?|\(?0)([2-8])((?:{_SEP}\d){{7,8}})(?!\d)")
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


# Nothing can match without a digit (any script's: \d is Unicode) or an at sign.
_MAYBE = re.compile(r"[\d@\uff20\ufe6b]")


# Format characters people use to split a number (zero-width space/joiners, word joiner, BOM, soft hyphen,
# bidi marks); any other Cf character is caught by the per-character path when lengths differ.
_FORMAT = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def _fold(ch: str) -> str:
    """One character as matching sees it: NFKC, and format characters dropped."""
    return "" if unicodedata.category(ch) == "Cf" else unicodedata.normalize("NFKC", ch)


def _normalised(text: str) -> tuple[str, Sequence[int]]:
    """The folded text, and for each of its characters the index of the source character."""
    if not _FORMAT.search(text):
        whole = unicodedata.normalize("NFKC", text)
        if len(whole) == len(text):  # the usual case: one character for one, positions unchanged
            return whole, range(len(text))
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = ch if ch < "\x80" else _fold(ch)
        if folded:
            out.append(folded)
            where.extend([i] * len(folded))
    return "".join(out), where


def _mask_patterns(text: str) -> str:
    if not _MAYBE.search(text):
        return text
    norm, where = _normalised(text)
    taken: list[tuple[int, int, str]] = []  # spans of the folded text, earlier rules first
    for pattern, replace in _RULES:
        for m in pattern.finditer(norm):
            if all(m.end() <= start or m.start() >= end for start, end, _ in taken):
                taken.append((m.start(), m.end(), replace(m)))
    for start, end, masked in sorted(taken, reverse=True):
        text = text[:where[start]] + masked + text[where[end - 1] + 1:]
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
