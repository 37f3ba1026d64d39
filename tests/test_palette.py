"""Card colours: every header and solid button the bot sends is readable, 4.5:1 or more (WCAG 2.1 AA).

Beyond these tests, the fake LINE API measures every flex message the whole suite sends (conftest fails
a test whose cards fall below 4.5:1).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import messages as m
from bot import palette
from bot.palette import contrast_ratio, flex_contrast_problems
from handlers.cases.store import STATUSES
from handlers.cases.notices import STATUS_COLORS
from tests.test_progress import add_case, card_in, look_up

ROOT = Path(__file__).resolve().parent.parent


def test_the_contrast_function_gives_wcags_figures():
    assert round(contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("#06C755", "#FFFFFF"), 2) == 2.26  # LINE's green, as the issue measured
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == 1.0


@pytest.mark.parametrize("name", ["GREEN", "DARK_GREEN", "BLUE", "SLATE_BLUE", "OCEAN", "ORANGE", "GREY"])
def test_every_card_colour_carries_white_text_at_4_5_to_1(name):
    assert contrast_ratio(palette.WHITE, getattr(palette, name)) >= 4.5


def test_the_office_green_is_darker_than_lines_and_readable():
    assert contrast_ratio(palette.WHITE, palette.GREEN) > 5.0
    assert contrast_ratio(palette.INK, palette.WHITE) > 15 and contrast_ratio(palette.MUTED, palette.WHITE) > 7


@pytest.mark.parametrize("status", STATUSES)
def test_each_case_status_has_a_readable_colour(status):
    assert contrast_ratio(palette.WHITE, STATUS_COLORS[status]) >= 4.5


def test_a_cards_first_button_is_solid_in_the_cards_own_colour():
    card = m.bubble("預約成功", ["預約編號：B1"], [m.postback_action("改期", "a=1"), m.postback_action("取消預約", "a=2")],
                    color=palette.BLUE)
    first, second = card["footer"]["contents"]
    assert (first["style"], first["color"]) == ("primary", palette.BLUE)
    assert second["style"] == "secondary"
    assert flex_contrast_problems(m.flex("預約成功", card)) == []


def test_lines_green_or_a_default_primary_button_is_reported():
    bad = m.flex("x", m.bubble("標題", ["內容"], [m.postback_action("按鈕", "a=1")], color="#06C755"))
    problems = flex_contrast_problems(bad)
    assert any("text '標題' #FFFFFF on #06C755 is 2.26:1" in p for p in problems)
    assert any("button '按鈕' white on #06C755" in p for p in problems)
    del bad["contents"]["footer"]["contents"][0]["color"]  # LINE's default green
    assert any("white on #17C950" in p for p in flex_contrast_problems(bad))


@pytest.mark.parametrize("status", ["received", "reviewing", "need_documents", "ready"])
def test_the_status_card_a_citizen_sees_is_readable(citizen, store, status):
    add_case(store, status=status)
    card = card_in(look_up(citizen))
    assert flex_contrast_problems(card) == []


def test_card_colours_are_defined_once_in_the_palette():
    literal = re.compile(r"[\"']#[0-9A-Fa-f]{6}[\"']")
    sources = [*ROOT.glob("handlers/**/*.py"), *ROOT.glob("reminders/**/*.py"), ROOT / "bot" / "messages.py"]
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sources
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if literal.search(line)]
    assert found == []
