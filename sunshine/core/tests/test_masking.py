"""The one free-text masking function, on every kind of personal number a clerk may type into a sentence."""
import pytest

from sunshine.core.masking import mask_text

CASES = [
    ("身份证430381196001010014已核实", "430381********0014"),
    ("身份证43038119600101001X已核实", "430381********001X"),
    ("证件号43038119600101001x。", "430381********001x"),
    ("旧证430381600101001,", "**** **** **** 1001"),  # an old 15-digit ID: only its last four stay
    ("电话13912345678", "139****5678"),
    ("电话139 1234 5678", "139****5678"),  # a mobile written in groups
    ("手机:139-1234-5678。", "139****5678"),
    ("银行卡6217002710000123456", "**** **** **** 3456"),  # 19 digits
    ("卡号6217 0027 1000 0123 退回", "**** **** **** 0123"),  # 16 digits written in groups
    ("账号6217-0027-1000-0123-456", "**** **** **** 3456"),
]


@pytest.mark.parametrize(("text", "shown"), CASES, ids=[c[1] for c in CASES])
def test_mask_text_masks_each_kind_of_personal_number(text, shown):
    masked = mask_text(text)
    assert shown in masked
    digits_before = "".join(ch for ch in text if ch.isdigit())
    assert digits_before not in "".join(ch for ch in masked if ch.isdigit())


def test_mask_text_leaves_amounts_dates_and_short_codes_alone():
    text = "2026年11月25日发放12000.00元,凭证号20261125001,项目编号XM-2026-017"
    assert mask_text(text) == text


def test_mask_text_masks_every_number_in_one_sentence_and_says_nothing_of_empty_text():
    text = "退回6217 0027 1000 0123 456,身份证430381196001010014,电话13912345678,金额12000.00元"
    masked = mask_text(text)
    assert "**** **** **** 3456" in masked and "430381********0014" in masked and "139****5678" in masked
    assert "12000.00" in masked
    assert mask_text(None) == "" and mask_text("") == ""
