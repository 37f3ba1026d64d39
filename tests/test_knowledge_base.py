"""The FAQ knowledge base: it loads, it is consistent, and its facts match regulation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge import check_knowledge_base, load_knowledge_base, normalize

EVAL_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "eval"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def test_real_knowledge_base_loads_without_problems(kb):
    assert check_knowledge_base(kb) == []
    assert len(kb) >= 120


def test_every_answer_has_its_office_placeholders_filled(kb):
    for entry in kb.entries:
        assert "{office." not in entry.answer_zh + entry.answer_en, entry.id
    assert kb.office.website in kb.entry("office-website").answer("zh")
    assert kb.office.hours_en in kb.entry("office-hours").answer("en")


def test_office_details_never_invent_what_is_unconfirmed(kb):
    office = kb.office
    assert office.name_zh == "高雄市小港戶政事務所"
    assert office.website.startswith("https://")
    for unconfirmed in (office.address_zh, office.phone_zh, office.hours_zh):
        assert "請以官網公告為準" in unconfirmed
    assert {h.number for h in office.hotlines} == {"1999", "1996"}


# Topic of the office's work → an entry that must exist for it.
REQUIRED_TOPICS = {
    "身分證初領": "id-card-first-issue", "身分證補領": "id-card-replace-lost",
    "身分證換領": "id-card-renew", "身分證掛失": "id-card-report-lost",
    "撤銷掛失": "id-card-cancel-report", "身分證相片": "id-card-photo-rules",
    "本人親自": "id-card-in-person", "14歲": "id-card-age-14",
    "戶口名簿": "household-book-replace", "現戶謄本": "transcript-apply",
    "除戶謄本": "transcript-removed", "英文謄本": "transcript-english",
    "電子謄本": "transcript-electronic", "委託謄本": "transcript-proxy",
    "利害關係人": "transcript-interested-party", "出生登記": "birth-registration",
    "死亡登記": "death-registration", "死亡宣告": "death-declaration", "遷入": "move-in",
    "遷出": "move-out", "住址變更": "address-change", "出境二年遷出": "move-abroad-2-years",
    "返國遷入": "move-return", "結婚登記": "marriage-registration",
    "兩願離婚": "divorce-consensual", "判決離婚": "divorce-judicial", "認領": "acknowledgement",
    "收養": "adoption", "終止收養": "adoption-termination", "監護": "guardianship-minor",
    "輔助": "guardianship-declaration", "更改姓名": "name-change", "更改姓氏": "surname-change",
    "子女從姓": "birth-surname-agreement", "原住民身分": "indigenous-status",
    "傳統名字": "indigenous-traditional-name", "初設戶籍": "initial-registration",
    "歸化": "naturalization", "印鑑登記": "seal-registration", "印鑑變更": "seal-change",
    "印鑑證明": "seal-certificate", "自然人憑證申請": "moica-apply",
    "自然人憑證展期": "moica-renew", "自然人憑證遺失": "moica-lost",
    "PIN鎖卡": "moica-pin-locked", "規費": "fees-overview", "罰鍰": "penalties-late",
    "跨機關通報": "one-stop-notification", "行動戶政所": "mobile-office",
    "愛心親善櫃台": "priority-counter", "線上預約": "online-appointment",
    "生育津貼": "birth-subsidy", "1999": "hotline-1999", "1996": "hotline-1996",
    "人口統計": "population-statistics", "服務時間": "office-hours", "地址": "office-address",
    "電話": "office-phone", "停車": "office-parking", "交通": "office-transport",
    "英語服務": "english-service", "委託書": "forms-download", "門牌": "doorplate-certificate",
    "戶籍資料異動": "household-change-notification",
}


@pytest.mark.parametrize("topic, entry_id", REQUIRED_TOPICS.items())
def test_every_service_of_the_office_has_an_entry(kb, topic, entry_id):
    assert kb.get(entry_id) is not None, f"no entry for {topic}"


# Entry → facts its Chinese answer must state (fees, deadlines, conditions).
REQUIRED_FACTS = {
    "id-card-first-issue": ["50"],
    "id-card-renew": ["50"],
    "id-card-replace-lost": ["200"],
    "id-card-fees": ["50", "200"],
    "id-card-age-14": ["14歲"],
    "household-book-replace": ["30"],
    "transcript-fee": ["15", "100"],
    "transcript-english": ["100", "15"],
    "moica-apply": ["250"],
    "seal-certificate": ["印鑑章", "本市規定"],  # the seal fee is Kaohsiung's own and unconfirmed
    "birth-registration": ["60日"],
    "death-registration": ["30日"],
    "divorce-judicial": ["30日"],
    "adoption": ["30日"],
    "move-in": ["3個月", "30日"],
    "penalties-late": ["300", "500", "700", "900"],
    "marriage-registration": ["生效", "2位證人", "雙方"],
    "divorce-consensual": ["生效", "2位證人", "雙方"],
    "marriage-conditions": ["18歲"],
    "fees-overview": ["50", "200", "30", "15", "250"],
}


@pytest.mark.parametrize("entry_id, facts", REQUIRED_FACTS.items())
def test_answers_state_the_regulated_facts(kb, entry_id, facts):
    answer = kb.entry(entry_id).answer("zh")
    for fact in facts:
        assert fact in answer, f"{entry_id} should mention {fact}"


REFERRALS = {
    "referral-passport": "外交部領事事務局",
    "referral-nhi-card": "中央健康保險署",
    "referral-arc": "移民署",
    "referral-tax-national": "國稅局",
    "referral-tax-local": "地方稅務局",
    "referral-driving-licence": "監理",
    "referral-land": "地政事務所",
    "referral-military": "兵役",
    "referral-social-welfare": "社會局",
}


@pytest.mark.parametrize("entry_id, agency", REFERRALS.items())
def test_referral_entries_name_the_responsible_agency(kb, entry_id, agency):
    entry = kb.entry(entry_id)
    assert entry.referral and agency in entry.referral
    assert len(entry.phrasings) >= 5


def test_english_is_available_for_every_entry(kb):
    for entry in kb.entries:
        assert entry.question("en") == entry.question_en
        assert entry.answer("en") and entry.answer("en") != entry.answer("zh")


def test_smalltalk_has_greetings_and_thanks(kb):
    intents = {i.id: i for i in kb.smalltalk.intents}
    assert "你好" in intents["greeting"].patterns
    assert "謝謝" in intents["thanks"].patterns
    assert intents["thanks"].answer("en")


def _write_kb(root: Path, entries: list[dict]) -> None:
    (root / "entries").mkdir()
    (root / "office.yaml").write_text(yaml.safe_dump({"name_zh": "測試所", "website": "https://x.test/"}),
                                      encoding="utf-8")
    doc = {"category": "test", "title_zh": "測試", "title_en": "Test", "entries": entries}
    (root / "entries" / "test.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def _entry(entry_id: str, phrasings: list[str], **extra) -> dict:
    return {"id": entry_id, "question_zh": "問題", "question_en": "Question?", "phrasings": phrasings,
            "keywords": ["測試"], "answer_zh": "答案 {office.website}", "answer_en": "Answer",
            "source": "https://www.ris.gov.tw/app/portal/187", "checked": "2026-12-02",
            "label": {"zh": "測試", "en": "Test"}, **extra}


def _twelve(prefix: str) -> list[str]:
    return [f"{prefix}{i}" for i in range(12)]


def test_check_reports_the_mistakes_an_editor_can_make(tmp_path):
    _write_kb(tmp_path, [
        _entry("dup", _twelve("甲")),
        _entry("dup", _twelve("乙")),
        _entry("short", ["只有一句"], related=["missing-id"]),
        _entry("shared", [*_twelve("丙")[:11], "甲0"], source="not a url"),
    ])
    kb = load_knowledge_base(tmp_path)
    assert kb.entry("short").answer("zh") == "答案 https://x.test/"
    problems = "\n".join(check_knowledge_base(kb))
    assert "duplicate id" in problems
    assert "at least 12 phrasings" in problems
    assert "'missing-id' does not exist" in problems
    assert "source must be a URL" in problems
    assert "is also used by" in problems


def test_eval_sets_are_large_enough_and_point_at_real_entries(kb):
    data = yaml.safe_load((EVAL_DIR / "questions.yaml").read_text(encoding="utf-8"))
    assert len(data["in_scope"]) >= 170
    assert len(data["out_of_scope"]) >= 35
    known = {e.id for e in kb.entries}
    for path in EVAL_DIR.glob("*.yaml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["in_scope"]:
            assert item["expect"] in known, item


def test_eval_questions_are_not_copies_of_knowledge_base_phrasings(kb):
    phrasings = {normalize(p) for e in kb.entries for p in (e.question_zh, e.question_en, *e.phrasings)}
    for path in EVAL_DIR.glob("*.yaml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["in_scope"]:
            assert normalize(item["q"]) not in phrasings, item["q"]


# --- Issue 11: labels, sources, phrasings and the facts fixed after checking official pages ---

from knowledge.loader import MAX_LABEL_UTF16, MIN_PHRASINGS, home_page_allowed, knowledge_warnings, utf16_len  # noqa: E402
from knowledge.sources import is_bare_home_page, source_problems  # noqa: E402

CHECKED_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "CHECKED.md"
# Characters only Simplified Chinese uses, to prove each entry is asked in Simplified too.
SIMPLIFIED_ONLY = set("么这说吗们证户办记国务关发对带样码丢补续过离结为时间里头边进还没钱该让备简体个号张费书"
                      "宝护亲认领预约线网络电话迁岁业处医孙继产营车驾锁")


def test_every_entry_has_a_button_label_that_fits_line_in_both_languages(kb):
    for entry in kb.entries:
        for lang in ("zh", "en"):
            label = entry.label(lang)
            assert label and label != entry.question(lang), (entry.id, lang)
            assert utf16_len(label) <= MAX_LABEL_UTF16, (entry.id, label)
    assert kb.entry("birth-registration").label("zh") == "出生登記"
    assert kb.entry("birth-registration").label("en") == "Birth registration"


def test_faq_buttons_show_the_label_and_send_the_full_question():
    from handlers.faq import did_you_mean_messages

    kb = load_knowledge_base()
    entries = [kb.entry("moica-renew"), kb.entry("moica-apply")]
    for lang in ("zh", "en"):
        quick = did_you_mean_messages(entries, lang, lambda action, **params: f"{action}:{params['id']}")[0]
        buttons = [item["action"] for item in quick["quickReply"]["items"]][:2]
        assert [b["label"] for b in buttons] == [e.label(lang) for e in entries]
        assert [b["displayText"] for b in buttons] == [e.question(lang) for e in entries]


def test_every_entry_has_enough_phrasings_including_english_and_simplified(kb):
    for entry in kb.entries:
        assert len(entry.phrasings) >= MIN_PHRASINGS == 12, entry.id
        assert any(p.isascii() for p in entry.phrasings), f"{entry.id}: no English phrasing"
        assert any(set(p) & SIMPLIFIED_ONLY for p in entry.phrasings), f"{entry.id}: no Simplified phrasing"


@pytest.mark.parametrize("url", [
    "https://www.ris.gov.tw/", "https://www.ris.gov.tw", "https://www.ris.gov.tw/app/portal",
    "https://www.ris.gov.tw/app/portal/", "https://cabu.kcg.gov.tw/Index.aspx", "https://moica.nat.gov.tw/index.html",
])
def test_a_home_or_portal_index_page_is_a_bare_home_page(url):
    assert is_bare_home_page(url)
    assert "bare home page" in source_problems(url)[0]


@pytest.mark.parametrize("url", [
    "https://www.ris.gov.tw/app/portal/187", "https://moica.nat.gov.tw/renewcert.html",
    "https://sshr.gov.taipei/cp.aspx?n=9140630206502640",
    "https://law.moj.gov.tw/LawClass/LawSingle.aspx?pcode=D0030006&flno=79",
])
def test_a_page_about_one_service_or_one_article_is_a_good_source(url):
    assert not is_bare_home_page(url) and source_problems(url) == []


def test_a_whole_law_is_refused_in_favour_of_its_article():
    assert "whole law" in source_problems("https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=D0030006")[0]
    assert "whole law" in source_problems("https://law.moj.gov.tw/LawClass/LawSingle.aspx?pcode=D0030006")[0]


def test_real_sources_are_deep_links_except_the_warned_office_and_agency_sites(kb):
    for entry in kb.entries:
        assert entry.checked is not None and entry.checked.isoformat() >= "2026-12-02", entry.id
        if is_bare_home_page(entry.source):
            assert home_page_allowed(entry, kb.office.website), entry.id
        if "law.moj.gov.tw" in entry.source:
            assert "LawSingle.aspx" in entry.source and "flno=" in entry.source, entry.id
    warned = "\n".join(knowledge_warnings(kb))
    assert "office-hours" in warned and "moica-renew" not in warned
    deep = [e for e in kb.entries if not is_bare_home_page(e.source)]
    assert len(deep) >= 95


def test_check_refuses_home_pages_whole_laws_and_missing_or_long_labels(tmp_path):
    twelve = [f"問法{i}" for i in range(12)]
    _write_kb(tmp_path, [
        _entry("home", twelve, source="https://www.ris.gov.tw/"),
        _entry("law", [f"法{i}" for i in range(12)], source="https://law.moj.gov.tw/LawClass/LawAll.aspx?pcode=D0030006"),
        _entry("nolabel", [f"無{i}" for i in range(12)], label={"zh": "", "en": "Missing Chinese"}),
        _entry("long", [f"長{i}" for i in range(12)], label={"zh": "這是一個超過二十個字的按鈕標籤會被LINE截斷喔", "en": "ok"}),
        _entry("office", [f"所{i}" for i in range(12)], source="https://x.test/"),
        _entry("referral", [f"轉{i}" for i in range(12)], source="https://www.boca.gov.tw/", referral="外交部領事事務局"),
    ])
    kb = load_knowledge_base(tmp_path)
    problems = "\n".join(check_knowledge_base(kb))
    assert "test/home: source is a bare home page" in problems
    assert "test/law: source links a whole law" in problems
    assert "test/nolabel: label.zh is missing" in problems
    assert "test/long: label.zh is" in problems
    assert "test/office:" not in problems and "test/referral:" not in problems
    assert {w.split(":")[0] for w in knowledge_warnings(kb)} == {"test/office", "test/referral"}


# Facts found wrong or missing when the answers were checked against the official pages.
FIXED_FACTS = {
    "moica-renew": (["免費", "展期1次", "延長3年", "60日"], ["重新申請，規費新臺幣250元。展期"]),
    "id-card-first-issue": (["未滿14歲", "法定代理人", "為申請人", "本人親自"], ["建議"]),
    "id-card-age-14": (["法定代理人申請"], ["建議"]),
    "registration-deadlines": (["國外結婚", "驗證後30日", "第79條"], ["沒有逾期罰鍰"]),
    "marriage-foreign-spouse": (["驗證後30日內", "第79條"], []),
    "birth-registration": (["出生證明書", "60日"], []),
    "name-change": (["三次為限"], []),
    "death-registration": (["配偶", "換領", "30日"], []),
    "naturalization": (["183日", "3年", "不須另證明財產"], []),
    "referral-passport": (["人別確認", "戶政事務所送件"], ["不受理"]),
}


@pytest.mark.parametrize("entry_id, facts", FIXED_FACTS.items())
def test_checked_answers_state_the_corrected_facts(kb, entry_id, facts):
    must, must_not = facts
    answer = kb.entry(entry_id).answer("zh")
    for fact in must:
        assert fact in answer, f"{entry_id} should say {fact}"
    for wrong in must_not:
        assert wrong not in answer, f"{entry_id} still says {wrong}"


def test_english_answers_carry_the_same_corrections(kb):
    assert "free" in kb.entry("moica-renew").answer("en")
    assert "applicants" in kb.entry("id-card-first-issue").answer("en")
    assert "30 days after" in kb.entry("registration-deadlines").answer("en")
    assert "three times" in kb.entry("name-change").answer("en")
    assert "surviving spouse" in kb.entry("death-registration").answer("en")


def test_checked_md_lists_every_entry_with_its_source_and_date(kb):
    text = CHECKED_FILE.read_text(encoding="utf-8")
    rows: dict[str, str] = {}
    for line in text.splitlines():  # the first table is the entry-by-entry record; later notes may repeat an id
        if line.startswith("| "):
            rows.setdefault(line.split(" | ")[0].strip("| "), line)
    for entry in kb.entries:
        assert entry.id in rows and entry.source in rows[entry.id], entry.id
        assert rows[entry.id].rstrip().endswith(f"| {entry.checked} |"), entry.id  # the row says when


def test_check_refuses_a_not_ours_question_listed_twice_or_that_is_an_entrys_phrasing(tmp_path):
    from knowledge.loader import not_ours_problems

    path = tmp_path / "not_ours.yaml"
    path.write_text('questions:\n  - "悠遊卡掉了"\n  - "悠遊卡掉了"\n  - "身分證掉了"\n', encoding="utf-8")
    problems = "\n".join(not_ours_problems({normalize("身分證掉了"): "id-card-replace-lost"}, path))
    assert "listed twice" in problems and "is a phrasing of id-card-replace-lost" in problems
    assert not_ours_problems({}, tmp_path / "missing.yaml") == []
