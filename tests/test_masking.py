"""Personal numbers are masked wherever a person or a log sees them."""
import pytest

from bot.masking import mask, mask_phone


@pytest.mark.parametrize(
    "text, hidden, kept",
    [
        ("身分證 A123456789", "A123456789", "A1*******"),
        ("id f223456789 here", "f223456789", "F2*******"),
        ("手機 0912345678", "0912345678", "09**-***-678"),
        ("手機 0912-345-678", "0912-345-678", "678"),
        ("電話 07-8012345", "8012345", "07-****-2345"),
    ],
)
def test_id_numbers_and_phones_are_masked(text, hidden, kept):
    masked = mask(text)
    assert hidden not in masked and kept in masked


def test_ordinary_numbers_stay():
    assert mask("案件 11312001 共 3 頁") == "案件 11312001 共 3 頁"


def test_a_phone_shows_only_its_last_three_digits():
    assert mask_phone("0912-345-678") == "*******678"
