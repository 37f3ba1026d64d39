"""An office's own answer: a knowledge entry may say how one office does a thing differently.

The city's entries are shared; where one office's service differs (its parking, an evening counter), the
entry carries that office's answer under `offices:`, and only that office's citizens get it.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.app import create_app
from knowledge import load_knowledge_base
from knowledge.loader import check_knowledge_base
from knowledge.matcher import Matcher
from tests.helpers import Citizen, all_text
from tests.test_offices import (FENGSHAN_BOT, FENGSHAN_SECRET, FENGSHAN_TOKEN, _offices_file)

ROOT = Path(__file__).resolve().parents[1]
FENGSHAN_PARKING = """
    offices:
      fengshan:
        answer_zh: 鳳山戶所後方有民眾專用停車場（測試用說明）；{office.address}
        answer_en: Fengshan has a car park behind the office (test text); {office.address}
"""


def _knowledge_with(tmp_path: Path, block: str) -> Path:
    """A copy of the knowledge base whose office-parking entry carries the block."""
    root = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", root, ignore=shutil.ignore_patterns("eval", "__pycache__", "*.py"))
    path = root / "entries" / "office_info.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: office-parking")
    end = text.index("\n  - id:", start + 1)
    path.write_text(text[:end].rstrip("\n") + "\n" + block.rstrip("\n") + "\n" + text[end:], encoding="utf-8")
    return root


def test_only_the_office_whose_answer_it_is_gets_it(tmp_path, config, clock, monkeypatch):
    from bot.fake_line import FakeLineApi
    from tests.helpers import TOKEN

    kb = load_knowledge_base(_knowledge_with(tmp_path, FENGSHAN_PARKING))
    assert not any("offices." in p for p in check_knowledge_base(kb))
    monkeypatch.setenv("TEST_FENGSHAN_SECRET", FENGSHAN_SECRET)
    monkeypatch.setenv("TEST_FENGSHAN_TOKEN", FENGSHAN_TOKEN)
    fake = FakeLineApi(access_token={TOKEN, FENGSHAN_TOKEN}).start()
    app = create_app(config.with_(offices_file=str(_offices_file(tmp_path)), line_api_base_url=fake.url),
                     clock=clock, fake_line=fake, knowledge=kb, matcher=Matcher.learned(kb))
    try:
        client = app.test_client()
        fengshan = Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT)
        siaogang = Citizen(client, fake, "U" + "a1" * 16)

        there = all_text(fengshan.says("戶政事務所有停車場嗎"))
        here = all_text(siaogang.says("戶政事務所有停車場嗎"))

        assert "鳳山戶所後方有民眾專用停車場" in there and "鳳山區" in there  # its own words, its own address
        assert "鳳山戶所後方" not in here
    finally:
        app.extensions["services"].store.close()
        fake.stop()


@pytest.mark.parametrize("block, problem", [
    ("    offices:\n      fengshan:\n        answer_zh: 只有中文\n", "give answer_zh and answer_en"),
    ("    offices:\n      Feng Shan:\n        answer_zh: 甲\n        answer_en: a\n", "not an office id"),
    ("    offices:\n      fengshan:\n        answer: 甲\n", "unknown keys ['answer']"),
    ("    offices: [fengshan]\n", "offices must map office ids to answers"),
])
def test_kb_check_names_a_badly_shaped_office_answer(tmp_path, block, problem):
    problems = check_knowledge_base(load_knowledge_base(_knowledge_with(tmp_path, block)))
    assert any("office-parking" in p and problem in p for p in problems), problems
