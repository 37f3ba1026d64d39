"""Server-rendered SVG charts for the dashboard: no JavaScript, nothing fetched from the internet.

Each chart is an <svg role="img"> with a <title> and <desc> (read by screen readers), a <title> on
every bar (a tooltip with the exact figure), and colours from classes in staff.css.
"""
from __future__ import annotations

import math
from typing import Sequence

from markupsafe import Markup, escape


def nice_max(value: float) -> float:
    """A round number at or above value for the top of an axis (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def column_chart(points: Sequence[tuple[str, float]], *, title: str, desc: str = "", width: int = 720,
                 height: int = 240, css: str = "bar", label_every: int | None = None,
                 overlay: Sequence[float] | None = None, overlay_css: str = "bar warn",
                 legend: tuple[str, str] | None = None) -> Markup:
    """Vertical bars over time (e.g. messages per day); `overlay` draws a second count in front (e.g. no-shows)."""
    left, right, top, bottom = 44, 8, 10 + (22 if legend else 0), 28
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max(4, nice_max(max((v for _, v in points), default=0)))
    n = max(len(points), 1)
    slot = plot_w / n
    bar_w = max(slot * 0.7, 1)
    every = label_every or max(1, math.ceil(n / 10))
    parts = [_open(width, height, title, desc, "columns")]
    if legend:
        parts.append(f'<rect class="{css}" x="{left}" y="6" width="12" height="12"/>'
                     f'<text class="axis" x="{left + 18}" y="17">{escape(legend[0])}</text>'
                     f'<rect class="{overlay_css}" x="{left + 120}" y="6" width="12" height="12"/>'
                     f'<text class="axis" x="{left + 138}" y="17">{escape(legend[1])}</text>')
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_fmt(value)}</text>')
    for i, (label, value) in enumerate(points):
        x = left + i * slot + (slot - bar_w) / 2
        parts.append(_column(css, x, bar_w, top, plot_h, value, top_value, f"{label}：{_fmt(value)}"))
        if overlay is not None and i < len(overlay) and overlay[i]:
            extra = legend[1] if legend else ""
            parts.append(_column(overlay_css, x, bar_w, top, plot_h, overlay[i], top_value,
                                 f"{label} {extra}：{_fmt(overlay[i])}"))
        if i % every == 0:
            parts.append(f'<text class="axis" x="{x + bar_w / 2:.1f}" y="{height - 8}" text-anchor="middle">'
                         f"{escape(label)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _column(css: str, x: float, w: float, top: float, plot_h: float, value: float, top_value: float,
            tip: str) -> str:
    h = max(plot_h * value / top_value, 0)
    return (f'<rect class="{css}" x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{w:.1f}" height="{h:.1f}">'
            f"<title>{escape(tip)}</title></rect>")


def bar_chart(items: Sequence[tuple[str, float]], *, title: str, desc: str = "", width: int = 340,
              css: str = "bar", suffix: str = "") -> Markup:
    """Horizontal bars, each under its whole label (wrapped, never cut), with its figure at the bar's end."""
    line_h, bar_h, gap, value_w = 18, 14, 10, 64
    plot_w = width - value_w
    top_value = max((v for _, v in items), default=0) or 1
    desc = desc or "、".join(f"{label} {_fmt(value)}{suffix}" for label, value in items) or "無資料"
    body: list[str] = []
    y = 4
    for label, value in items:
        lines = wrap(label, width)
        for line in lines:
            y += line_h
            body.append(f'<text class="label" x="0" y="{y - 4}">{escape(line)}</text>')
        w = plot_w * value / top_value
        body.append(f'<rect class="{css}" x="0" y="{y + 2}" width="{max(w, 0):.1f}" height="{bar_h}">'
                    f"<title>{escape(label)}：{_fmt(value)}{escape(suffix)}</title></rect>")
        body.append(f'<text class="value" x="{w + 6:.1f}" y="{y + bar_h}">{_fmt(value)}{escape(suffix)}</text>')
        y += bar_h + gap
    if not items:
        body.append('<text class="label" x="8" y="20">（無資料）</text>')
        y = 32
    return Markup(_open(width, y + 4, title, desc, "bars") + "".join(body) + "</svg>")


def _text_width(text: str, font_px: float = 13) -> float:
    """Roughly how wide text is drawn: CJK and full-width characters one em, others about half."""
    return sum(font_px if ord(ch) > 0x2E7F else font_px * 0.56 for ch in text)


def wrap(text: str, width: float, font_px: float = 13) -> list[str]:
    """Lines of text that each fit the width, broken between characters (CJK) or at spaces (Latin)."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if _text_width(line + ch, font_px) > width and line:
            cut = line.rfind(" ") if ch != " " and " " in line else -1
            if cut > 0:  # keep a Latin word whole
                lines.append(line[:cut])
                line = line[cut + 1:]
            else:
                lines.append(line)
                line = ""
            if ch == " ":
                continue
        line += ch
    return lines + [line] if line else lines or [""]


def gauge(value: float | None, *, title: str, maximum: float = 100, suffix: str = "%", width: int = 320) -> Markup:
    """A single figure on a horizontal track (an answer rate, an average rating)."""
    height = 56
    shown = "—" if value is None else f"{_fmt(value)}{suffix}"
    fraction = 0 if value is None else max(0.0, min(1.0, value / maximum))
    parts = [_open(width, height, title, f"{title}：{shown}")]
    parts.append(f'<text class="big" x="0" y="26">{escape(shown)}</text>')
    parts.append(f'<rect class="track" x="0" y="38" width="{width}" height="10" rx="5"/>')
    parts.append(f'<rect class="bar" x="0" y="38" width="{width * fraction:.1f}" height="10" rx="5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(width: int, height: int, title: str, desc: str, kind: str = "") -> str:
    kind_attr = f' data-kind="{kind}"' if kind else ""
    return (f'<svg class="chart"{kind_attr} viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
            f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title><desc>{escape(desc or title)}</desc>")
