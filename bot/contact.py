"""One set of rules for the contact details citizens type (a name, a phone), used by every flow.

Both booking and the inbox flows (complaint, home visit) ask for them; the rules live here, in the
kernel, so that no feature imports another. Booking requires a mobile (its SMS-style reminders go to
one); the inbox flows take a landline with an extension too.
"""
from __future__ import annotations

import re
import unicodedata

from bot.command_key import command_key

_MOBILE = re.compile(r"^09\d{8}$")
_LANDLINE = re.compile(r"^0[2-8]\d{7,8}$")
_EXTENSION = re.compile(r"(#|分機|ext\.?|轉)\d{1,5}$", re.IGNORECASE)
# What a citizen types at "your name?" that is an answer to something else: yes/no, thanks, a question.
_NOT_NAMES = frozenset(command_key(w) for w in (
    "好", "好的", "好啊", "好喔", "是", "是的", "對", "對啊", "可以", "行", "嗯", "恩", "喔", "哦", "ok", "okay",
    "yes", "no", "不", "不要", "不用", "沒有", "同意", "不同意", "謝謝", "感謝", "thanks", "thank you", "hi", "hello",
    "你好", "您好", "name", "姓名", "名字", "我", "本人", "匿名", "test", "測試", "不知道", "取消", "完成"))
_SENTENCE = re.compile(r"[?？。！!，,、；;：:]|嗎|什麼|甚麼|怎麼|為什麼|請問|如何|我要|我想|可不可以|能不能")


def normalise_name(text: str) -> str | None:
    """A person's name (CJK, Latin or an indigenous name with ·), or None for anything else.

    Refused: empty, over 30 characters, digits, a yes/no word (「好」 is an answer, not a name), a
    sentence or question, or a CJK name longer than 10 characters without a separator.
    """
    name = " ".join(unicodedata.normalize("NFKC", text or "").split())
    if not 1 <= len(name) <= 30 or not any(ch.isalpha() for ch in name):
        return None
    if any(ch.isdigit() for ch in name) or command_key(name) in _NOT_NAMES or _SENTENCE.search(name):
        return None
    cjk = sum(1 for ch in name if "\u3400" <= ch <= "\u9fff")
    if cjk > 10 and "·" not in name and "‧" not in name:
        return None
    return name


def normalise_phone(text: str, mobile_only: bool = False) -> str | None:
    """A Taiwan mobile (or, unless mobile_only, landline with an extension after #) as digits, or None."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    extension = ""
    found = _EXTENSION.search(raw)
    if found and not mobile_only:
        extension = "#" + re.sub(r"\D", "", found.group(0))
        raw = raw[: found.start()]
    digits = re.sub(r"[\s\-()（）.]", "", raw)
    if digits.startswith("+886"):
        digits = "0" + digits[4:]
    elif digits.startswith("886") and len(digits) >= 11:
        digits = "0" + digits[3:]
    if not digits.isdigit():
        return None
    if _MOBILE.match(digits):
        return digits
    if not mobile_only and _LANDLINE.match(digits):
        return digits + extension
    return None
