"""Masking of personal numbers wherever a person or a log sees them."""
from __future__ import annotations

import re

# Lookarounds, not \b: Chinese characters count as word characters, so "我是A123456789" has no boundary.
_TW_ID = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])([12])\d{8}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(09)\d{2}[- ]?\d{3}[- ]?(\d{3})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{1,2})[- ]?\d{3,4}[- ]?(\d{4})(?!\d)")


def mask(text: str) -> str:
    """Hide Taiwan ID numbers and phone numbers, keeping just enough to recognise them."""
    text = _TW_ID.sub(lambda m: f"{m.group(1).upper()}{m.group(2)}*******", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}**-***-{m.group(2)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-****-{m.group(2)}", text)


def mask_phone(phone: str) -> str:
    """A phone number shown with only its last three digits."""
    digits = re.sub(r"\D", "", phone or "")
    return f"{'*' * max(len(digits) - 3, 0)}{digits[-3:]}" if digits else ""
