"""行動戶政所 requests through the real webhook."""
from __future__ import annotations

from tests.helpers import all_text, labels


def test_an_eligible_citizen_files_a_home_visit_request(citizen, store):
    citizen.follow()
    replies = citizen.says("行動戶政所")
    assert {"65歲以上行動不便", "身心障礙", "住院或安養中", "以上皆非"} <= set(labels(replies))
    replies = citizen.taps_button(replies, "住院或安養中")
    replies = citizen.taps_button(replies, "身分證")
    assert "地址" in all_text(replies)
    replies = citizen.says("高雄市小港區山明路 482 號 小港醫院 5 樓 502 病房")
    citizen.says("林志明")
    replies = citizen.says("0933123456")
    assert "平日上午" in labels(replies)
    replies = citizen.taps_button(replies, "平日下午")
    text = all_text(replies)
    assert "住院或安養中" in text and "502 病房" in text and "0933123456" in text
    replies = citizen.taps_button(replies, "送出申請")
    text = all_text(replies)
    # Three working days from Tuesday 2026-12-01: Friday 12/04.
    assert "H-2026-0001" in text and "3 個工作天" in text and "12/04（五）" in text
    thread = store.inbox.by_ref("H-2026-0001")
    assert thread.kind == "home_visit" and thread.category == "hospital"
    assert thread.details == {"eligibility": "hospital", "service": "身分證",
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
    citizen.dialog([("行動戶政所", "哪一種情況"), ("身心障礙", "業務"), ("印鑑登記跟身分證換發", "地址"),
                    ("短", "完整"), ("高雄市小港區宏平路 100 號", "姓名"), ("張三", "電話"),
                    ("07-8012345", "時間"), ("12/8 上午十點後", "請確認"), ("送出", "H-2026-0001")])
    thread = store.inbox.by_ref("H-2026-0001")
    assert thread.details["service"] == "印鑑登記跟身分證換發" and thread.details["times"] == "12/8 上午十點後"


def test_a_stale_submit_button_does_not_file_twice(citizen, store):
    citizen.follow()
    citizen.dialog([("行動戶政所", "情況"), ("65歲以上行動不便", "業務"), ("戶籍登記", "地址"),
                    ("高雄市小港區沿海一路 1 號", "姓名"), ("吳阿公", "電話"), ("0911222333", "時間")])
    replies = citizen.says("都可以")
    citizen.taps_button(replies, "送出申請")
    again = citizen.taps_button(replies, "送出申請")
    assert "過期" in all_text(again)
    assert store.inbox.by_ref("H-2026-0002") is None
