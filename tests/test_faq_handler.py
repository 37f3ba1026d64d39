"""FAQ through the webhook: sourced answers in the citizen's language, did-you-mean, fallback, feedback; and `ask`."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from tests.helpers import all_text, labels, links
from tests.live import ROOT


def test_a_typed_question_gets_the_answer_with_its_official_source(citizen, store):
    replies = citizen.says("身分證不見了要怎麼辦")
    text = all_text(replies)
    assert "200" in text and links(replies)[0].startswith("https://")
    assert "👍 有幫助" in labels(replies) and "找真人" in labels(replies)
    assert store.faq.figures()["answered"] == 1


def test_simplified_chinese_with_typos_is_understood(citizen):
    replies = citizen.says("身份证丢了要补办")
    assert "補" in all_text(replies)


def test_an_english_question_is_answered_in_english_and_the_choice_is_remembered(citizen, store):
    replies = citizen.says("How do I get an English household transcript?")
    assert "NT$100" in all_text(replies)
    assert store.users.get(citizen.user_id).lang == "en"
    assert "How can I help" in all_text(citizen.says("menu"))


def test_a_question_that_is_not_ours_falls_back_honestly_and_is_recorded_for_staff(citizen, store):
    replies = citizen.says("明天高雄會下雨嗎")
    assert "不太確定" in all_text(replies)
    assert {"找真人", "常見問題", "主選單"} <= set(labels(replies))
    assert store.faq.unmatched()[0]["text"] == "明天高雄會下雨嗎"


def test_greetings_get_a_short_friendly_answer_not_an_faq(citizen, store):
    replies = citizen.says("你好")
    assert "戶政小幫手" in all_text(replies) and not links(replies)


def test_related_questions_and_feedback_are_buttons_that_work(citizen, store):
    replies = citizen.says("第一次辦身分證要帶什麼")
    related = [i["action"] for i in replies[0]["quickReply"]["items"] if "faq.show" in i["action"].get("data", "")]
    assert related
    follow_up = citizen.taps(related[0]["data"])
    assert links(follow_up)
    thanks = citizen.taps_button(follow_up, "👎 沒幫助")
    assert "回饋" in all_text(thanks)
    assert store.faq.disliked()


def test_the_faq_menu_browses_categories_then_questions(citizen):
    replies = citizen.says("常見問題")
    assert "國民身分證" in labels(replies)
    questions = citizen.taps_button(replies, "國民身分證")
    assert len(labels(questions)) >= 3
    answer = citizen.taps(next(a["data"] for a in [i["action"] for i in questions[0]["quickReply"]["items"]]
                               if "faq.show" in a.get("data", "")))
    assert links(answer)


def test_an_entry_removed_since_the_button_was_made_is_explained(citizen):
    assert "重新輸入" in all_text(citizen.taps("a=faq.show&id=no-such-entry"))


def test_office_information_comes_from_the_office_file(citizen, services):
    replies = citizen.says("服務資訊")
    text = all_text(replies)
    assert services.knowledge.office.name_zh in text and "1999" in text
    assert replies[0]["type"] == "flex"


def test_with_confirmed_coordinates_the_office_info_includes_a_location_message(citizen, services):
    office = dataclasses.replace(services.knowledge.office, lat=22.56, lng=120.35)
    services.knowledge = dataclasses.replace(services.knowledge, office=office)
    replies = citizen.says("服務資訊")
    assert replies[0]["type"] == "location" and replies[0]["latitude"] == 22.56


def ask(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "ask", *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, timeout=120, env={**os.environ, "DATABASE_PATH": "/nonexistent/x"})


@pytest.mark.no_database("`ask` reads the knowledge files only")
def test_ask_prints_the_exact_answer_as_json():
    result = json.loads(ask("--json", "身分證遺失怎麼補發").stdout)
    assert result["matched"] is True and result["faq_id"]
    assert set(result) == {"matched", "faq_id", "question", "answer", "score", "suggestions", "also_offered"}
    assert 0 <= result["score"] <= 100


@pytest.mark.no_database("`ask` reads the knowledge files only")
def test_ask_reads_one_question_per_line_and_answers_each_on_its_own_line():
    out = ask("--json", "-", stdin="明天會下雨嗎\nhow do I register a birth\n").stdout.splitlines()
    first, second = (json.loads(line) for line in out)
    assert first["matched"] is False and first["faq_id"] is None
    assert second["matched"] is True
    plain = ask("--lang", "en", "-", stdin="出生登記要帶什麼\n").stdout.splitlines()
    assert len(plain) == 1 and "birth" in plain[0].lower()


def test_kb_check_passes_on_the_real_knowledge_base():
    result = subprocess.run([sys.executable, "-m", "bot", "kb", "check"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout


def test_kb_export_writes_staff_phrasings_into_the_entry_and_new_entries_into_drafts(tmp_path, store):
    import shutil

    from bot.kb_export import export_suggestions
    from knowledge import check_knowledge_base, load_knowledge_base
    from knowledge.loader import DEFAULT_PATH

    root = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_PATH, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    store.faq.suggest_phrasing("id-card-replace-lost", "我的身分證被狗咬爛了: 要換 \"新的\"", staff="amy")
    store.faq.suggest_entry("可以代辦護照嗎", answer_zh="請洽外交部領事事務局", staff="amy")
    written, problems = export_suggestions(root, store.faq.pending_suggestions())
    store.faq.mark_exported(written)
    assert problems == [] and len(written) == 2 and store.faq.pending_suggestions() == []
    kb = load_knowledge_base(root)
    assert '我的身分證被狗咬爛了: 要換 "新的"' in kb.get("id-card-replace-lost").phrasings
    assert check_knowledge_base(kb) == []
    assert "可以代辦護照嗎" in (root / "drafts" / "staff_drafts.yaml").read_text(encoding="utf-8")


def test_when_the_matcher_must_be_built_first_line_shows_its_loading_animation(citizen, services, fake_line):
    services.matcher = None  # e.g. a worker whose knowledge files were just reloaded
    replies = citizen.says("身分證不見了要怎麼辦")
    assert "200" in all_text(replies)
    loading = fake_line.calls("/v2/bot/chat/loading/start")
    assert len(loading) == 1 and loading[0].body == {"chatId": citizen.user_id, "loadingSeconds": 5}
    assert loading[0].seq < fake_line.calls("/reply")[-1].seq
    citizen.says("戶口名簿遺失")
    assert len(fake_line.calls("/v2/bot/chat/loading/start")) == 1


# --- issue 11: one answer per need, and a card that reads well on a phone -----------------------
def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def assert_valid_for_line(replies):
    """The Messaging API's limits for what an FAQ answer sends, in UTF-16 code units."""
    assert 1 <= len(replies) <= 5
    for message in replies:
        items = message.get("quickReply", {}).get("items", [])
        assert len(items) <= 13
        if message["type"] == "flex":
            assert 0 < _utf16(message["altText"]) <= 400
            assert len(json.dumps(message["contents"], ensure_ascii=False).encode()) <= 30_000
            header = message["contents"]["header"]
            for text in header["contents"]:
                assert _contrast(text["color"], header["backgroundColor"]) >= 4.5
            for node in message["contents"]["body"]["contents"]:
                if node["type"] == "text":
                    assert _contrast(node["color"], "#FFFFFF") >= 4.5 and node["text"].strip()
            for button in message["contents"].get("footer", {}).get("contents", []):
                assert _contrast("#FFFFFF", button["color"]) >= 4.5
    for action in [a for m in replies for a in _all_actions(m)]:
        assert 0 < _utf16(action["label"]) <= 20, action
        if action["type"] == "postback":
            assert action.get("displayText") and _utf16(action["data"]) <= 300, action
        if action["type"] == "uri":
            assert action["uri"].startswith("https://") and _utf16(action["uri"]) <= 1000


def _all_actions(message):
    from tests.helpers import actions_in

    return actions_in([message])


def test_an_answer_is_a_card_with_title_short_lines_documents_and_a_details_button(citizen, services):
    replies = citizen.says("第一次辦身分證要帶什麼")
    card = replies[0]
    assert card["type"] == "flex"
    entry = services.knowledge.entry("id-card-first-issue")
    assert card["contents"]["header"]["contents"][0]["text"] == entry.question("zh")
    body = [n["text"] for n in card["contents"]["body"]["contents"] if n["type"] == "text"]
    assert len(body) > 2 and all(len(line) <= 120 for line in body)
    assert "📋 應備文件：" in body and any(line.startswith("• ") for line in body)
    assert "詳細說明" in labels(replies) and links(replies) == [entry.source]
    assert_valid_for_line(replies)


def test_every_answer_card_is_valid_for_line_in_both_languages(citizen, services):
    from handlers.faq import answer_messages

    for entry in services.knowledge.entries:
        replies = citizen.taps(f"a=faq.show&id={entry.id}")
        assert_valid_for_line(replies)
        assert replies[0]["type"] == "flex", entry.id
        english = answer_messages(services.knowledge, entry, "en", lambda action, **p: f"a={action}&id={p.get('id')}",
                                  offered=tuple(services.knowledge.get(r) for r in entry.related if services.knowledge.get(r)))
        assert_valid_for_line(english)


def test_a_close_sibling_is_answered_through_and_offered_first(citizen):
    replies = citizen.says("結婚")  # registering a marriage, or who may marry: the same need, answered
    assert replies[0]["type"] == "flex" and "您是想問" not in all_text(replies)
    assert "結婚登記" in replies[0]["contents"]["header"]["contents"][0]["text"]
    first = replies[0]["quickReply"]["items"][0]["action"]
    assert first["type"] == "postback" and "marriage-conditions" in first["data"]
    assert first["displayText"] == "幾歲可以結婚？證人有什麼規定？"
    assert "證人" in all_text(citizen.taps(first["data"]))
    assert_valid_for_line(replies)


def test_two_questions_in_one_message_answer_the_first_and_offer_the_second(citizen, store):
    replies = citizen.says("結婚登記要帶什麼？你們週六有上班嗎")
    assert "結婚" in replies[0]["contents"]["header"]["contents"][0]["text"]
    second = replies[0]["quickReply"]["items"][0]["action"]
    assert "office-hours" in second["data"]
    hours = citizen.taps(second["data"])
    assert "上班" in all_text(hours) or "hours" in all_text(hours).lower()
    assert store.faq.figures()["answered"] == 1
    assert_valid_for_line(replies)


def test_genuinely_different_needs_are_still_asked_about(citizen):
    replies = citizen.says("身分證")
    assert "您是想問" in all_text(replies)
    assert all(a.get("displayText") for a in actions_in_quick(replies) if a["type"] == "postback")


def actions_in_quick(replies):
    return [i["action"] for m in replies for i in m.get("quickReply", {}).get("items", [])]


@pytest.mark.no_database("`ask` reads the knowledge files only")
def test_ask_keeps_plain_text_and_names_what_else_it_offers():
    result = json.loads(ask("--json", "結婚登記要帶什麼？你們週六有上班嗎").stdout)
    assert result["faq_id"] == "marriage-registration" and result["also_offered"] == ["office-hours"]
    assert "您可能也想問" in result["answer"] and "https://" in result["answer"]
