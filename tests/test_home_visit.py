"""行動戶政所 requests through the real webhook."""
from __future__ import annotations

from tests.helpers import actions_in, all_text, labels


def flex_texts(message):
    """The words of a flex card, in order."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "text":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message["contents"])
    return found


def test_an_eligible_citizen_files_a_home_visit_request(citizen, store):
    citizen.follow()
    replies = citizen.says("行動戶政所")
    assert {"65歲以上行動不便", "身心障礙", "住院或安養中", "以上皆非"} <= set(labels(replies))
    replies = citizen.taps_button(replies, "住院或安養中")
    assert "本人" in all_text(replies)
    replies = citizen.says("林奶奶")
    replies = citizen.taps_button(replies, "身分證")
    assert "地址" in all_text(replies)
    replies = citizen.says("高雄市小港區山明路 482 號 小港醫院 5 樓 502 病房")
    citizen.says("林志明")
    replies = citizen.says("0933123456")
    assert "平日上午" in labels(replies)
    replies = citizen.taps_button(replies, "平日下午")
    text = all_text(replies)
    assert "住院或安養中" in text and "502 病房" in text and "09**-***-456" in text
    replies = citizen.taps_button(replies, "送出申請")
    text = all_text(replies)
    # Three working days from Tuesday 2026-12-01: Friday 12/04.
    assert "H-2026-0001" in text and "3 個工作天" in text and "12/04（五）" in text
    thread = store.inbox.by_ref("H-2026-0001")
    assert thread.kind == "home_visit" and thread.category == "hospital"
    assert thread.details == {"eligibility": "hospital", "served": "林奶奶", "service": "身分證",
                              "address": "高雄市小港區山明路 482 號 小港醫院 5 樓 502 病房", "times": "平日下午"}
    assert thread.contact_phone == "0933123456"


def test_someone_not_eligible_is_told_the_alternatives(citizen, store):
    citizen.follow()
    replies = citizen.says("到府服務")
    replies = citizen.taps_button(replies, "以上皆非")
    assert "委託他人" in all_text(replies) and "預約臨櫃" in labels(replies)
    assert store.conversations.load(citizen.user_id).state == "idle"


def test_typed_answers_work_where_buttons_would(citizen, store):
    citizen.follow()
    citizen.dialog([("行動戶政所", "哪一種情況"), ("身心障礙", "本人"), ("本人", "業務"), ("印鑑登記跟身分證換發", "地址"),
                    ("短", "完整"), ("高雄市小港區宏平路 100 號", "姓名"), ("張三", "電話"),
                    ("07-8012345", "時間"), ("12/8 上午十點後", "請確認"), ("送出", "H-2026-0001")])
    thread = store.inbox.by_ref("H-2026-0001")
    assert thread.details["service"] == "印鑑登記跟身分證換發" and thread.details["times"] == "12/8 上午十點後"


def test_a_stale_submit_button_does_not_file_twice(citizen, store):
    citizen.follow()
    citizen.dialog([("行動戶政所", "情況"), ("65歲以上行動不便", "本人"), ("我本人", "業務"), ("戶籍登記", "地址"),
                    ("高雄市小港區沿海一路 1 號", "姓名"), ("吳阿公", "電話"), ("0911222333", "時間")])
    replies = citizen.says("都可以")
    citizen.taps_button(replies, "送出申請")
    again = citizen.taps_button(replies, "送出申請")
    assert "過期" in all_text(again)
    assert store.inbox.by_ref("H-2026-0002") is None


def test_the_confirmation_is_a_card_with_the_applicant_apart_from_the_person_served(citizen, store):
    citizen.follow()
    citizen.dialog([("行動戶政所", "情況"), ("住院或安養中", "本人"), ("林奶奶", "業務"), ("身分證", "地址"),
                    ("高雄市小港區山明路 482 號 502 病房", "姓名"), ("林志明", "電話"), ("0933123456", "時間")])
    card = citizen.says("平日下午")[0]
    assert card["type"] == "flex"
    words = flex_texts(card)
    applicant, served = words.index("申請人（聯絡人）"), words.index("需要服務的人")
    assert applicant < words.index("林志明") < words.index("09**-***-456") < served < words.index("林奶奶")
    assert "0933123456" not in str(card), "the card shows the phone masked, as booking does"
    assert {"送出申請", "取消"} <= {a["label"] for a in actions_in([card])}


def test_a_visit_for_the_applicant_says_so_on_the_card(citizen, store):
    citizen.follow()
    replies = citizen.says("行動戶政所")
    replies = citizen.taps_button(citizen.taps_button(replies, "65歲以上行動不便"), "我本人")
    citizen.dialog([("戶籍登記", "地址"), ("高雄市小港區沿海一路 1 號", "姓名"), ("吳阿公", "電話"),
                    ("0911222333", "時間")])
    words = flex_texts(citizen.says("都可以")[0])
    assert words[words.index("需要服務的人") + 2] == "申請人本人"


def test_the_english_card_speaks_english(citizen, store):
    citizen.follow()
    citizen.says("English")
    replies = citizen.says("Home visit")
    replies = citizen.taps_button(citizen.taps_button(replies, "Disability"), "Myself")
    citizen.dialog([("ID card", "address"), ("No. 1, Yanhai 1st Rd, Siaogang", "name"), ("Amy Lin", "phone"),
                    ("0911222333", "suit")])
    card = citizen.says("Any time")[0]
    words = flex_texts(card)
    assert "Applicant (contact)" in words and "Person to be served" in words and "The applicant" in words
    assert "09**-***-333" in words and "Send request" in {a["label"] for a in actions_in([card])}
