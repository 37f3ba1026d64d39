"""The production FAQ matcher (learned classifier + words) on what citizens write that the phrasings don't say."""

from __future__ import annotations

import pytest

from knowledge.matcher import AMBIGUOUS, ANSWER

pytestmark = pytest.mark.no_database("the matcher reads the knowledge files only")


@pytest.fixture(scope="module")
def matcher(knowledge_and_matcher):
    return knowledge_and_matcher[1]


def test_a_word_no_phrasing_uses_meets_its_concept(matcher):
    # No labelled question says 換發; concepts.yaml makes it 換領, which the renewal's phrasings say.
    result = matcher.match("身分證換發要帶什麼")
    assert result.kind == ANSWER and result.entry.id == "id-card-renew"


@pytest.mark.parametrize("thing, prefix", [("身分證", "id-card"), ("印鑑", "seal"), ("門牌", "doorplate"),
                                           ("ID card", "id-card"), ("請問戶口名簿", "household-book")])
def test_a_bare_thing_is_asked_about_because_the_need_is_missing(matcher, thing, prefix):
    result = matcher.match(thing)
    assert result.kind == AMBIGUOUS
    assert sum(e.id.startswith(prefix) for e, _ in result.candidates) >= 2


def test_a_bare_thing_with_one_entry_is_answered(matcher):
    result = matcher.match("護照")  # only the referral to the consular bureau is about passports
    assert result.kind == ANSWER and result.entry.id == "referral-passport"


def test_a_thing_with_a_need_is_answered(matcher):
    result = matcher.match("身分證掉了怎麼辦")
    assert result.kind == ANSWER and result.entry.id == "id-card-replace-lost"


def test_the_classifier_learns_again_when_a_clerk_edits_the_concepts(tmp_path, monkeypatch):
    from knowledge import concepts
    from knowledge.classifier import cache_path

    before = cache_path(["身分證換發"], [0], tmp_path)
    edited = tmp_path / "concepts.yaml"
    edited.write_text(concepts.PATH.read_text(encoding="utf-8") + "\n# 換發 reviewed again\n", encoding="utf-8")
    monkeypatch.setattr(concepts, "PATH", edited)
    assert cache_path(["身分證換發"], [0], tmp_path) != before


def test_an_everyday_name_for_our_thing_is_understood(matcher):
    # 「紅色的本子」 is how people describe the 戶口名簿 (concepts.yaml); no labelled question says this story.
    result = matcher.match("過年大掃除完家裡那本紅色的本子就找不到了，小孩開學要用，該怎麼辦")
    assert result.kind == ANSWER and result.entry.id == "household-book-replace"


def test_a_stranger_with_none_of_our_words_is_still_refused(matcher):
    assert matcher.match("我家的狗狗走失了").kind not in (ANSWER, AMBIGUOUS)
