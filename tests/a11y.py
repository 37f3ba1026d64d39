"""Accessibility checks in a real browser: axe-core (vendored, MPL-2.0) and WCAG contrast figures."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.palette import contrast_ratio
from tests.live import ROOT

AXE_JS = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.1 A and AA on the page as it is now (id, impact, where)."""
    # Evaluated through DevTools rather than a <script> tag: the staff pages' CSP rightly forbids inline scripts.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "where": [" ".join(n["target"]) for n in v["nodes"][:5]]} for v in result["violations"]]


_RGB = """(value) => {
  const c = document.createElement('canvas').getContext('2d');
  c.fillStyle = value; return c.fillStyle;   // any CSS colour as #rrggbb
}"""


def css_hex(page: Any, value: str) -> str:
    return page.evaluate(_RGB, value)


def focus_ring_contrast(page: Any, selector: str) -> tuple[float, str, str]:
    """Focus an element by keyboard rules and measure its outline against the background behind it."""
    page.locator(selector).first.focus()
    outline, background = page.locator(selector).first.evaluate("""el => {
      const style = getComputedStyle(el);
      let node = el.parentElement, bg = 'rgba(0, 0, 0, 0)';
      while (node && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
        bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
      }
      return [style.outlineStyle === 'none' ? '' : style.outlineColor, bg];
    }""")
    assert outline, f"{selector} shows no outline when focused"
    ring, behind = css_hex(page, outline), css_hex(page, background)
    return contrast_ratio(ring, behind), ring, behind
