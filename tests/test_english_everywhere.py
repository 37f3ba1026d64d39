"""The citizen's language everywhere (issue 13): every catalog has every string in English, and each
flow run in English answers without Chinese (the 中文 button that switches back excepted)."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from tests.dialog import dialog
from tests.helpers import all_text

CJK = re.compile(r"[\u3400-\u9fff]+")
ROOT = Path(__file__).resolve().parents[1]
CATALOGS = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts) for p in (ROOT / "handlers").rglob("*.py")
                  if "texts" in p.parts or p.stem == "texts")


@pytest.mark.parametrize("name", CATALOGS)
def test_every_string_has_its_english_version(name):
    catalog = importlib.import_module(name)
    if hasattr(catalog, "ZH"):
        assert sorted(set(catalog.ZH) - set(catalog.EN)) == []


@pytest.mark.parametrize("turns", [
    ["Book a visit"], ["Case status", "12345"], ["Feedback", "The queue was slow", "Done", "Other", "hmm",
                                                 "Yes, I agree", "好", "Chen"],
    ["Home visit"], ["Office info"], ["My bookings"], ["Talk to staff", "How do I get a passport?"],
    ["Feedback", "The queue was slow", "Talk to staff"],
], ids=lambda turns: turns[0] + ("…" if len(turns) > 1 else ""))
def test_each_flow_answers_an_english_speaker_in_english(services, turns):
    user_id = "U" + "e7" * 16
    services.store.users.ensure(user_id)
    services.store.users.update(user_id, lang="en")
    for said in turns:
        outcome = dialog(services, [(said, None)], user_id=user_id)[-1]
        buttons = [item["action"].get("label", "") for msg in outcome.messages
                   for item in msg.get("quickReply", {}).get("items", [])]
        chinese = set(CJK.findall(all_text(outcome.messages) + " ".join(buttons))) - {"中文"}
        assert not chinese, (said, chinese)
