"""One fallback for every flow: a menu word typed mid-flow leaves the flow (run with dialog(), no HTTP)."""
from __future__ import annotations

import pytest

from handlers.cases import texts as case_texts
from handlers.core import texts as core_texts
from tests.dialog import dialog

ASK_CASE = case_texts.ZH["ask_case"].split("\n")[0]
PROGRESS = core_texts.ZH["menu.progress"]


@pytest.mark.parametrize("start", [
    core_texts.ZH["menu.booking"],     # booking's states
    core_texts.ZH["menu.human"],       # 找真人: the question
    core_texts.ZH["menu.home_visit"],  # 行動戶政所: eligibility
    core_texts.ZH["menu.feedback"],    # 意見反映: before the first part
])
def test_a_menu_word_typed_mid_flow_leaves_the_flow_for_it(services, start):
    first, second = dialog(services, [(start, None), (PROGRESS, ASK_CASE)])
    assert first.state != "idle" and second.state == "progress.ask_case"


def test_the_progress_flow_is_left_for_a_menu_word_too(services):
    outcomes = dialog(services, [(PROGRESS, ASK_CASE), (core_texts.ZH["menu.booking"], None)])
    assert outcomes[-1].state.startswith("booking.")


def test_once_a_complaint_has_its_first_part_a_menu_word_is_more_of_its_text(services):
    outcomes = dialog(services, [(core_texts.ZH["menu.feedback"], None), ("櫃台等太久了", None),
                                 (PROGRESS, None)])
    assert outcomes[-1].state == outcomes[-2].state
    assert outcomes[-1].data["parts"] == ["櫃台等太久了", PROGRESS]
