"""The rich menu picture, drawn with Pillow from the definition: coloured tiles, drawn icons, labels."""
from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
from functools import lru_cache
from typing import Callable

from PIL import Image, ImageDraw, ImageFont

from bot.richmenu.definition import Area, RichMenuDefinition

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 1024 * 1024  # LINE's limit for a rich menu image
# Debian's CJK fonts, best first (fonts-noto-cjk, then older or smaller packages).
CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FontLoader = Callable[[int], ImageFont.FreeTypeFont | ImageFont.ImageFont]


def find_cjk_font(preferred: str = "", candidates: tuple[str, ...] = CJK_FONT_PATHS,
                  fontconfig: bool = True) -> str | None:
    """A font file that has Traditional Chinese: RICHMENU_FONT, Debian's usual paths, then fontconfig."""
    if preferred:
        if os.path.isfile(preferred):
            return preferred
        log.warning("RICHMENU_FONT=%s is not a file; looking for another CJK font", preferred)
    for path in candidates:
        if os.path.isfile(path):
            return path
    if fontconfig and shutil.which("fc-match"):
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", ":lang=zh-tw"], capture_output=True,
                                   text=True, timeout=5).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        # fc-match always names some font; only keep one that really covers Chinese.
        if found and os.path.isfile(found) and _has_glyph(found, "戶"):
            return found
    return None


def _has_glyph(path: str, char: str) -> bool:
    try:
        return ImageFont.truetype(path, 32).getmask(char).getbbox() is not None
    except OSError:
        return False


def _tc_index(path: str) -> int:
    """In a font collection (.ttc), the Traditional Chinese face (Noto's 'CJK TC'), else the first."""
    for index in range(12):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0]
        except OSError:
            break
        if family.endswith(" TC"):
            return index
    return 0


@lru_cache(maxsize=8)
def font_loader(preferred: str = "") -> tuple[FontLoader, bool]:
    """A function giving the label font at a size, and whether it can draw Chinese."""
    return loader_for(find_cjk_font(preferred))


def loader_for(path: str | None) -> tuple[FontLoader, bool]:
    """Sizes of one font file; without one, Pillow's default font and a warning saying what to install."""
    if path is None:
        log.warning("No Chinese font found: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) "
                    "or set RICHMENU_FONT to a .ttf/.otf/.ttc file. Falling back to Pillow's default font, "
                    "which cannot draw the zh-TW labels.")
        return (lambda size: ImageFont.load_default(size)), False
    index = _tc_index(path) if path.endswith(".ttc") else 0
    return (lambda size: ImageFont.truetype(path, size, index=index)), True


def draw_menu(definition: RichMenuDefinition, lang: str, font: str = "") -> Image.Image:
    """The picture for one language, exactly the definition's size."""
    load, _ = font_loader(font)
    image = Image.new("RGB", (definition.width, definition.height), definition.background)
    canvas = ImageDraw.Draw(image)
    for area in definition.areas:
        _tile(canvas, area, definition, lang, load)
    return image


def render_png(definition: RichMenuDefinition, lang: str, font: str = "") -> tuple[bytes, str]:
    """The picture encoded for upload: PNG, or JPEG if the PNG would pass LINE's 1 MB limit."""
    return _encoded(definition, lang, font)


@lru_cache(maxsize=8)
def _encoded(definition: RichMenuDefinition, lang: str, font: str) -> tuple[bytes, str]:
    image = draw_menu(definition, lang, font)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    if out.tell() <= MAX_IMAGE_BYTES:
        return out.getvalue(), "image/png"
    for quality in (90, 80, 70, 60):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        if out.tell() <= MAX_IMAGE_BYTES:
            return out.getvalue(), "image/jpeg"
    raise ValueError("the rich menu picture is over 1 MB even as JPEG")


def _tile(canvas: ImageDraw.ImageDraw, area: Area, definition: RichMenuDefinition, lang: str,
          load: FontLoader) -> None:
    x, y, w, h = area.bounds
    half = definition.gap // 2
    canvas.rounded_rectangle((x + half, y + half, x + w - half - 1, y + h - half - 1), radius=40, fill=area.colour)
    ink = definition.ink
    icon_size = int(min(w, h) * 0.30)
    ICONS.get(area.icon, _icon_dot)(canvas, x + w // 2, y + int(h * 0.33), icon_size, ink, area.colour, load)
    _centred_text(canvas, area.label[lang], x + w // 2, y + int(h * 0.65), int(w * 0.86), 128, ink, load)
    if area.note.get(lang):
        _centred_text(canvas, area.note[lang], x + w // 2, y + int(h * 0.81), int(w * 0.86), 60, ink, load)


def _centred_text(canvas: ImageDraw.ImageDraw, text: str, cx: int, cy: int, max_width: int, size: int,
                  ink: str, load: FontLoader) -> None:
    """Text centred on (cx, cy), made smaller until it fits: a label is never cut."""
    while True:
        font = load(size)
        left, top, right, bottom = canvas.textbbox((0, 0), text, font=font)
        if right - left <= max_width or size <= 24:
            break
        size = int(size * 0.92)
    canvas.text((cx, cy), text, font=font, fill=ink, anchor="mm")


# --- icons: plain shapes, so nothing is downloaded and every line is the label's colour -----------
def _icon_question(c: ImageDraw.ImageDraw, cx: int, cy: int, s: int, ink: str, bg: str, load: FontLoader) -> None:
    r = s // 2
    c.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=max(s // 12, 4))
    c.text((cx, cy + s // 40), "?", font=load(int(s * 0.7)), fill=ink, anchor="mm")


def _icon_calendar(c: ImageDraw.ImageDraw, cx: int, cy: int, s: int, ink: str, bg: str, load: FontLoader) -> None:
    lw, half = max(s // 14, 4), s // 2
    box = (cx - half, cy - half + s // 10, cx + half, cy + half)
    c.rounded_rectangle(box, radius=s // 10, outline=ink, width=lw)
    c.rectangle((box[0], box[1], box[2], box[1] + s // 5), fill=ink)
    for dx in (-s // 4, s // 4):
        c.rounded_rectangle((cx + dx - lw, cy - half - s // 20, cx + dx + lw, cy - half + s // 5), radius=lw, fill=ink)
    cell = s // 7
    for row in range(2):
        for col in (-1, 0, 1):
            px, py = cx + col * (s // 4) - cell // 2, box[1] + s // 5 + s // 8 + row * (s // 4)
            c.rectangle((px, py, px + cell, py + cell), fill=ink)


def _icon_ticket(c: ImageDraw.ImageDraw, cx: int, cy: int, s: int, ink: str, bg: str, load: FontLoader) -> None:
    lw, half = max(s // 14, 4), s // 2
    c.rounded_rectangle((cx - half * 4 // 5, cy - half, cx + half * 4 // 5, cy + half), radius=s // 12,
                        outline=ink, width=lw)
    c.rounded_rectangle((cx - s // 6, cy - half - s // 14, cx + s // 6, cy - half + s // 10), radius=s // 30, fill=ink)
    for i in range(3):
        ly = cy - s // 5 + i * (s // 4)
        left = cx - half * 4 // 5 + s // 8
        c.line((left, ly, left + s // 14, ly + s // 14, left + s // 5, ly - s // 12), fill=ink, width=lw, joint="curve")
        c.line((left + s // 4 + s // 20, ly, cx + half * 4 // 5 - s // 8, ly), fill=ink, width=lw)


def _icon_steps(c: ImageDraw.ImageDraw, cx: int, cy: int, s: int, ink: str, bg: str, load: FontLoader) -> None:
    """A document under a magnifying glass: looking up a case."""
    lw, half = max(s // 14, 4), s // 2
    doc = (cx - half, cy - half, cx + s // 5, cy + half)
    c.rounded_rectangle(doc, radius=s // 12, outline=ink, width=lw)
    for i in range(3):
        ly = cy - s // 4 + i * (s // 5)
        c.line((doc[0] + s // 8, ly, doc[2] - s // 8, ly), fill=ink, width=lw)
    r, gx, gy = s // 4, cx + s // 5, cy + s // 8
    c.ellipse((gx - r - lw, gy - r - lw, gx + r + lw, gy + r + lw), fill=bg)
    c.ellipse((gx - r, gy - r, gx + r, gy + r), outline=ink, width=lw)
    c.line((gx + r * 7 // 10, gy + r * 7 // 10, gx + r + s // 5, gy + r + s // 5), fill=ink, width=lw * 3 // 2)


def _icon_bubble(c: ImageDraw.ImageDraw, cx: int, cy: int, s: int, ink: str, bg: str, load: FontLoader) -> None:
    lw, half = max(s // 14, 4), s // 2
    c.rounded_rectangle((cx - half, cy - half * 3 // 4, cx + half, cy + half * 2 // 5), radius=s // 5,
                        outline=ink, width=lw)
    tail = ((cx - s // 5, cy + half * 2 // 5 - lw), (cx - s // 3, cy + half), (cx, cy + half * 2 // 5 - lw))
    c.polygon(tail, fill=ink)
    dot = s // 14
    for dx in (-s // 4, 0, s // 4):
        c.ellipse((cx + dx - dot, cy - s // 6 - dot, cx + dx + dot, cy - s // 6 + dot), fill=ink)


def _icon_info(c: ImageDraw.ImageDraw, cx: int, cy: int, s: int, ink: str, bg: str, load: FontLoader) -> None:
    r, lw = s // 2, max(s // 12, 4)
    c.ellipse((cx - r, cy - r, cx + r, cy + r), outline=ink, width=lw)
    dot = s // 13
    c.ellipse((cx - dot, cy - r // 2 - dot, cx + dot, cy - r // 2 + dot), fill=ink)
    c.rounded_rectangle((cx - dot * 3 // 4, cy - r // 5, cx + dot * 3 // 4, cy + r // 2), radius=dot // 2, fill=ink)


def _icon_dot(c: ImageDraw.ImageDraw, cx: int, cy: int, s: int, ink: str, bg: str, load: FontLoader) -> None:
    c.ellipse((cx - s // 4, cy - s // 4, cx + s // 4, cy + s // 4), fill=ink)


ICONS = {"question": _icon_question, "calendar": _icon_calendar, "ticket": _icon_ticket, "steps": _icon_steps,
         "bubble": _icon_bubble, "info": _icon_info}
