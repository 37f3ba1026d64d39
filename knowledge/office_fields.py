"""The office details staff can confirm (address, phone, hours, map, parking, transport, service points).

office.yaml holds what is known for certain and points to the website for the rest; staff confirm a
field on the staff web (/staff/office) or with `python -m bot office set FIELD VALUE`. A confirmed
value overrides office.yaml at once; a field never confirmed keeps the yaml text (「請以官網公告為準」).
This module is pure: it validates a typed value, and applies confirmed values to an Office.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Mapping

from knowledge.models import Office


class InvalidValue(ValueError):
    """A value staff typed that cannot be used; the message says why in zh-TW (staff read zh-TW)."""


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # zh-TW, for the staff page and the CLI
    hint: str  # the format, as staff should type it
    clean: Callable[[str], str]


# Kaohsiung City on land, with a margin (Siaogang is about 22.56 N, 120.35 E): a pin outside is a typo,
# for example latitude and longitude swapped, or a copy of another city's coordinates.
LAT_RANGE = (22.40, 23.50)
LNG_RANGE = (120.10, 121.10)
_DAYS_ZH = "一二三四五六日"
_DAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS_EN_SHOWN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_NONE = ("none", "無", "没有", "沒有", "不提供")
_RANGE = re.compile(r"^([01]?\d|2[0-3])[:：]([0-5]\d)\s*[-–~～至到]\s*([01]?\d|2[0-3])[:：]([0-5]\d)$")


def _plain(value: str) -> str:
    """One line: NFKC (full-width digits typed on a phone) and single spaces."""
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def _text(limit: int, minimum: int = 2) -> Callable[[str], str]:
    def clean(value: str) -> str:
        text = " ".join((value or "").split())
        if len(text) < minimum:
            raise InvalidValue(f"請至少輸入 {minimum} 個字。")
        if len(text) > limit:
            raise InvalidValue(f"最多 {limit} 個字（目前 {len(text)} 個字）。")
        if re.search(r"[<>{}]", text):
            raise InvalidValue("請不要輸入 < > { } 等符號。")
        return text
    return clean


def clean_phone(value: str) -> str:
    """A Taiwanese landline or mobile number, optionally with an extension: 07-801-2345、(07)8012345 #123."""
    text = _plain(value).replace("轉", "#").replace("ext.", "#").replace("ext", "#")
    number, _, extension = text.partition("#")
    number, extension = number.strip(), extension.strip()
    if not re.fullmatch(r"[\d\s()\-]+", number or "x") or (extension and not re.fullmatch(r"\d{1,6}", extension)):
        raise InvalidValue("電話只能有數字、括號、連字號，分機請寫在 # 之後，例如 07-801-2345 #123。")
    digits = re.sub(r"\D", "", number)
    if digits.startswith("09") and len(digits) == 10:
        shown = f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    elif re.fullmatch(r"0[2-8]\d{7,8}", digits):
        area = 4 if digits[:4] in ("0826", "0836") else 3 if digits[:3] in ("037", "049", "082", "089") else 2
        shown = f"{digits[:area]}-{digits[area:]}"
    else:
        raise InvalidValue("這不像台灣的電話號碼：請含區碼，例如 07-801-2345（市話 9–10 碼，手機 10 碼）。")
    return f"{shown} #{extension}" if extension else shown


def _time_range(text: str) -> tuple[str, str]:
    found = _RANGE.match(text.strip())
    if not found:
        raise InvalidValue("時間請寫成「開始-結束」，24 小時制，例如 08:00-17:00。")
    start = f"{int(found[1]):02d}:{found[2]}"
    end = f"{int(found[3]):02d}:{found[4]}"
    if end <= start:
        raise InvalidValue(f"結束時間 {end} 要晚於開始時間 {start}。")
    return start, end


def clean_hours(value: str) -> str:
    """Weekday (Monday to Friday) opening hours: 08:00-17:00."""
    start, end = _time_range(_plain(value))
    return f"{start}-{end}"


def _days(text: str) -> list[int]:
    """Weekdays named as 二、四 / 週二,週四 / tue,thu / mon-fri (Monday to Friday only: evening service)."""
    text = text.lower().replace("星期", "").replace("週", "").replace("周", "")
    found: list[int] = []
    for part in re.split(r"[,、，/\s]+", text.strip()):
        if not part:
            continue
        bounds = re.split(r"[-–~至到]", part)
        if len(bounds) == 2:
            first, last = _day(bounds[0]), _day(bounds[1])
            if last < first:
                raise InvalidValue(f"「{part}」的範圍順序不對，例如 一至五 或 mon-fri。")
            found += range(first, last + 1)
        else:
            found.append(_day(part))
    if not found or any(d > 4 for d in found):
        raise InvalidValue("夜間服務的日子請寫週一到週五，例如「二、四 17:30-20:00」或「tue,thu 17:30-20:00」。")
    return sorted(set(found))


def _day(word: str) -> int:
    word = word.strip()
    if word in _DAYS_ZH and len(word) == 1:
        return _DAYS_ZH.index(word)
    if word[:3] in _DAYS_EN:
        return _DAYS_EN.index(word[:3])
    raise InvalidValue(f"看不懂星期「{word}」：請寫 一、二…五 或 mon、tue…fri。")


def clean_evening(value: str) -> str:
    """Evening service: the weekdays and the hours, e.g. 二、四 17:30-20:00; or 無 (none)."""
    text = _plain(value)
    if text.lower() in _NONE:
        return "none"
    found = re.match(r"^(.*?)\s*(\d{1,2}[:：]\d{2}\s*[-–~～至到]\s*\d{1,2}[:：]\d{2})$", text)
    if not found or not found[1].strip():
        raise InvalidValue("夜間服務請寫「星期 開始-結束」，例如「二、四 17:30-20:00」；沒有夜間服務請寫「無」。")
    days = _days(found[1])
    start, end = _time_range(found[2])
    if start < "17:00":
        raise InvalidValue("夜間服務應在 17:00 以後開始；白天的服務時間請填在「平日服務時間」。")
    return f"{','.join(_DAYS_EN[d] for d in days)} {start}-{end}"


def clean_saturday(value: str) -> str:
    """Saturday service: hours, optionally which Saturdays of the month (1,3 08:00-12:00); or 無 (none)."""
    text = _plain(value)
    if text.lower() in _NONE:
        return "none"
    found = re.match(r"^(?:([1-5](?:\s*[,、，]\s*[1-5])*)\s+)?(.+)$", text)
    weeks = sorted({int(w) for w in re.findall(r"[1-5]", found[1])}) if found and found[1] else []
    start, end = _time_range(found[2] if found else text)
    return f"{','.join(map(str, weeks))} {start}-{end}".strip() if weeks else f"{start}-{end}"


def parse_coordinates(value: str) -> tuple[float, float]:
    """"lat,lng" in decimal degrees, inside Kaohsiung: 22.5645,120.3540."""
    parts = [p for p in re.split(r"[,，\s]+", _plain(value)) if p]
    try:
        lat, lng = (float(p) for p in parts)
    except ValueError:
        raise InvalidValue("座標請寫成「緯度,經度」的十進位數字，例如 22.5645,120.3540。") from None
    if LNG_RANGE[0] <= lat <= LNG_RANGE[1] and LAT_RANGE[0] <= lng <= LAT_RANGE[1]:
        raise InvalidValue("緯度和經度好像寫反了：緯度（約 22.5）在前，經度（約 120.3）在後。")
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
        raise InvalidValue(f"座標不在高雄市範圍內（緯度 {LAT_RANGE[0]}–{LAT_RANGE[1]}，"
                           f"經度 {LNG_RANGE[0]}–{LNG_RANGE[1]}）；請從地圖上重新複製本所的座標。")
    return lat, lng


def clean_coordinates(value: str) -> str:
    lat, lng = parse_coordinates(value)
    return f"{round(lat, 6)},{round(lng, 6)}"


FIELDS: tuple[Field, ...] = (
    Field("address", "地址（中文）", "高雄市小港區○○路 100 號", _text(100, 6)),
    Field("address_en", "地址（英文）", "No. 100, ○○ Rd., Siaogang Dist., Kaohsiung City", _text(100, 6)),
    Field("phone", "電話", "07-801-2345（分機寫在 # 後）", clean_phone),
    Field("hours", "平日服務時間（週一至週五）", "08:00-17:00", clean_hours),
    Field("hours_evening", "夜間延長服務", "二、四 17:30-20:00；沒有請寫「無」", clean_evening),
    Field("hours_saturday", "週六服務", "08:00-12:00，或每月第幾個週六：1,3 08:00-12:00；沒有請寫「無」",
          clean_saturday),
    Field("map", "地圖座標（緯度,經度）", "22.5645,120.3540", clean_coordinates),
    Field("parking", "停車（中文）", "本所地下室設有停車場，前 30 分鐘免費", _text(300)),
    Field("parking_en", "停車（英文）", "Free parking for the first 30 minutes in the basement", _text(300)),
    Field("transport", "交通（中文）", "高雄捷運紅線小港站 2 號出口步行 5 分鐘", _text(300)),
    Field("transport_en", "交通（英文）", "5 minutes' walk from MRT Siaogang Station, exit 2", _text(300)),
    Field("second_offices", "第二、第三辦公處（中文）", "第二辦公處：○○區○○路 1 號（週三上午）", _text(300)),
    Field("second_offices_en", "第二、第三辦公處（英文）", "Second office: No. 1, ○○ Rd. (Wednesday mornings)",
          _text(300)),
)
BY_NAME = {f.name: f for f in FIELDS}


def clean(name: str, value: str) -> str:
    """The value as stored, or InvalidValue with the reason; KeyError for an unknown field."""
    return BY_NAME[name].clean(value)


# --- applying confirmed values to office.yaml's Office --------------------------------------------
def _range_shown(text: str) -> str:
    return text.replace("-", "–")


def _evening(value: str, lang: str) -> str:
    if value == "none":
        return "no evening service" if lang == "en" else "無夜間延長服務"
    days, hours = value.split(" ", 1)
    index = [_DAYS_EN.index(d) for d in days.split(",")]
    every = index == list(range(5))
    if lang == "en":
        named = "Monday to Friday" if every else ", ".join(_DAYS_EN_SHOWN[i] for i in index)
        return f"evening service {named} {_range_shown(hours)}"
    named = "週一至週五" if every else "、".join("週" + _DAYS_ZH[i] for i in index)
    return f"夜間延長服務：{named} {_range_shown(hours)}"


def _ordinal(n: int) -> str:
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n, 'th')}"


def _saturday(value: str, lang: str) -> str:
    if value == "none":
        return "no Saturday service" if lang == "en" else "週六不提供服務"
    weeks, _, hours = value.rpartition(" ")
    if lang == "en":
        which = (" and ".join(_ordinal(int(w)) for w in weeks.split(",")) + " Saturday of the month"
                 if weeks else "Saturday")
        return f"{which} {_range_shown(hours)}"
    which = f"每月第{'、'.join(weeks.split(','))}個週六" if weeks else "週六"
    return f"{which}服務 {_range_shown(hours)}"


def hours_text(values: Mapping[str, str], lang: str) -> str | None:
    """The hours line from confirmed hours fields; None when none is confirmed (office.yaml's text stays)."""
    weekday, evening, saturday = (values.get(k) for k in ("hours", "hours_evening", "hours_saturday"))
    if not (weekday or evening or saturday):
        return None
    en = lang == "en"
    if weekday:
        parts = [f"Monday to Friday {_range_shown(weekday)}" if en else f"週一至週五 {_range_shown(weekday)}"]
    else:
        parts = ["Monday to Friday; please check the office website for exact hours" if en
                 else "週一至週五上班日受理，確切時段請以官網公告為準"]
    if evening:
        parts.append(_evening(evening, lang))
    if saturday:
        parts.append(_saturday(saturday, lang))
    unknown = [what for what, known in ((("evening", "夜間"), evening), (("Saturday", "週六"), saturday)) if not known]
    if unknown:
        if en:
            parts.append(f"please check the office website for any {' or '.join(w[0] for w in unknown)} service")
        else:
            parts.append(f"{'及'.join(w[1] for w in unknown)}服務請以官網公告為準")
    closed = " (closed on national holidays)" if en else "（國定假日休息）"
    return ("; " if en else "；").join(parts) + closed


def apply(base: Office, values: Mapping[str, str]) -> Office:
    """office.yaml's details with the confirmed values put in; an English field falls back to the Chinese one.

    A confirmed Chinese address is more use to an English reader (and a taxi driver) than the placeholder.
    """
    if not values:
        return base
    changes: dict[str, object] = {}
    for name in ("address", "parking", "transport", "second_offices"):
        zh, en = values.get(name), values.get(f"{name}_en")
        if zh:
            changes[f"{name}_zh"] = zh
        if en or zh:
            changes[f"{name}_en"] = en or zh
    if values.get("phone"):
        changes["phone_zh"] = changes["phone_en"] = values["phone"]
    for lang in ("zh", "en"):
        hours = hours_text(values, lang)
        if hours:
            changes[f"hours_{lang}"] = hours
    if values.get("map"):
        changes["lat"], changes["lng"] = parse_coordinates(values["map"])
    return dataclasses.replace(base, **changes)


def shown_value(office: Office, name: str) -> str:
    """What answers say for a field now (for an unconfirmed one, office.yaml's text), as staff should see it."""
    if name == "map":
        return (f"{office.lat},{office.lng}" if office.lat is not None and office.lng is not None
                else "（未設定，不傳送地圖位置）")
    if name.startswith("hours"):
        return office.hours_zh  # the three hours fields make one sentence
    if name.endswith("_en"):
        return getattr(office, f"{name[:-3]}_en", "")
    return getattr(office, f"{name}_zh", "")
