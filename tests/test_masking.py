"""Personal data is masked wherever a person or a log sees it, however it was typed."""
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.masking import HIDDEN, NUMBER_ONLY, install_log_masking, mask, mask_phone, mask_typed

ZW = "\u200b"  # zero-width space


@pytest.mark.parametrize(
    "text, expected",
    [
        # National ID numbers, half- and full-width, upper and lower case, spaced out.
        ("身分證 A123456789", "身分證 A1*******"),
        ("id f223456789 here", "id F2******* here"),
        ("身分證Ａ１２３４５６７８９號", "身分證A1*******號"),
        ("A 123 456 789", "A1*******"),
        (f"A1{ZW}2345{ZW}6789", "A1*******"),
        # Resident certificates (ARC): new format (2nd character 8 or 9) and old format (two letters).
        ("居留證 A823456789", "居留證 A8*******"),
        ("居留證 b912345678", "居留證 B9*******"),
        ("舊居留證 AB12345678", "舊居留證 AB********"),
        ("舊居留證 ｃｄ１２３４５６７８", "舊居留證 CD********"),
        # Mobiles, however written.
        ("手機 0912345678", "手機 09**-***-678"),
        ("手機 0912-345-678", "手機 09**-***-678"),
        ("手機 0912.345.678", "手機 09**-***-678"),
        ("手機 0912 345 678", "手機 09**-***-678"),
        ("手機 +886 912 345 678", "手機 09**-***-678"),
        ("手機 +886-912-345-678", "手機 09**-***-678"),
        ("手機 886-912345678", "手機 09**-***-678"),
        ("手機 (+886)912345678", "手機 09**-***-678"),
        ("手機 +886 0912 345 678", "手機 09**-***-678"),
        ("手機 00886912345678", "手機 09**-***-678"),
        ("手機 ０９１２－３４５－６７８", "手機 09**-***-678"),
        (f"手機 09{ZW}12{ZW}345{ZW}678", "手機 09**-***-678"),
        ("0912345678，0987654321", "09**-***-678，09**-***-321"),
        # Landlines with and without the country code.
        ("電話 07-8012345", "電話 07-****-2345"),
        ("電話 07-801-2345", "電話 07-****-2345"),
        ("電話 (07)8012345", "電話 07-****-2345"),
        ("電話 (07) 801-2345 分機 12", "電話 07-****-2345 分機 12"),
        ("電話 +886 7 801 2345", "電話 07-****-2345"),
        ("電話 +886-2-2345-6789", "電話 02-****-6789"),
        ("電話 02.2345.6789", "電話 02-****-6789"),
        ("電話 037-123456", "電話 03-****-3456"),
        # E-mail addresses, full-width too.
        ("信箱 wang.xm@gmail.com 謝謝", "信箱 w***@gmail.com 謝謝"),
        ("ｗａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", "w***@example.com"),
        ("a.b+c@mail.kcg.gov.tw。", "a***@mail.kcg.gov.tw。"),
    ],
)
def test_personal_numbers_and_addresses_are_masked(text, expected):
    assert mask(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "案件 11312001 共 3 頁",
        "2026-01-05 08:30 預約",
        "參考編號 H-2026-0001",
        "預約編號 ABC234",
        "規費 1,000 元，工本費 50 元",
        "高雄市小港區漢民路123號5樓",
        "身分證掉了怎麼辦？",
        "",
    ],
)
def test_ordinary_text_and_numbers_stay_as_written(text):
    assert mask(text) == text


def test_everything_outside_a_number_stays_as_written_full_width_punctuation_too():
    assert mask("您好！我的手機是０９１２３４５６７８，謝謝。") == "您好！我的手機是09**-***-678，謝謝。"


@pytest.mark.parametrize("text", ["A123456789 0912.345.678 w@x.tw (07)8012345 AB12345678"])
def test_masking_twice_changes_nothing(text):
    once = mask(text)
    assert mask(once) == once


def test_texts_to_hide_are_replaced_whole():
    address = "高雄市小港區漢民路 123 號 5 樓"
    assert mask(f"地址：{address}，電話 0912345678", hide=[address]) == f"地址：{HIDDEN}，電話 09**-***-678"
    assert mask("沒有地址", hide=["", "  "]) == "沒有地址"


def test_a_phone_shows_only_its_last_three_digits():
    assert mask_phone("0912-345-678") == "*******678"
    assert mask_phone("０９１２３４５６７８") == "*******678"


def test_log_records_are_masked_whatever_logger_they_go_to(caplog):
    install_log_masking()
    install_log_masking()  # twice is harmless
    with caplog.at_level(logging.INFO):
        logging.getLogger("anything.at.all").info("citizen %s wrote %s", "U1", "Ａ１２３４５６７８９")
    assert "A1*******" in caplog.text and "123456789" not in caplog.text


@pytest.mark.parametrize("text, kept", [("1234", NUMBER_ONLY), ("１２３４", NUMBER_ONLY), ("0912345678", NUMBER_ONLY),
                                        ("5678。", NUMBER_ONLY), ("案件 11312001", "案件 11312001"),
                                        ("A1150001", "A1150001"), ("👍", "👍")])
def test_a_typed_message_that_is_only_a_number_is_kept_as_a_placeholder(text, kept):
    assert mask_typed(text) == kept


@given(st.text(alphabet=st.sampled_from("0123456789０９Ａa@＠.-() +886\u200b地址號樓wx"), max_size=60) | st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_text_masks_without_error_and_masking_again_changes_nothing(text):
    once = mask(text)
    assert mask(once) == once
