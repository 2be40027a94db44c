import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sunshine.core.masking import mask_bank_card, mask_id_number, mask_name, mask_phone
from sunshine.core.validators import id_check_char, make_id_number, normalize_id_number, normalize_mobile


def test_a_known_valid_id_number_passes_and_keeps_its_x():
    # 11010519491231002X is the standard's worked example.
    assert normalize_id_number("11010519491231002X") == "11010519491231002X"


def test_id_number_with_lowercase_x_full_width_digits_and_spaces_is_normalised():
    assert normalize_id_number(" １１０１０５１９４９１２３１００２x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491331002X", "id_birthdate"),
        ("1101051949123100", "id_format"),
        ("", "id_empty"),
        ("ABCDEFGHIJKLMNOPQR", "id_format"),
    ],
)
def test_invalid_id_numbers_are_rejected_with_a_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        normalize_id_number(value)
    assert exc.value.code == code


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    seq=st.integers(min_value=0, max_value=999),
)
def test_every_generated_id_number_validates_and_any_other_check_digit_fails(birth, seq):
    valid = make_id_number("430381", birth, seq)
    assert normalize_id_number(valid) == valid
    for wrong in "0123456789X":
        if wrong != valid[-1]:
            with pytest.raises(ValidationError):
                normalize_id_number(valid[:17] + wrong)


def test_check_char_matches_the_mod_11_2_table():
    assert id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize("raw", ["13800138000", "+8613800138000", "138 0013 8000", "１３８００１３８０００", "8613800138000"])
def test_mobile_numbers_are_normalised(raw):
    assert normalize_mobile(raw) == "13800138000"


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "0731-5555555", "", "138001380001"])
def test_bad_mobile_numbers_are_rejected(raw):
    with pytest.raises(ValidationError):
        normalize_mobile(raw)


def test_masking_keeps_only_what_the_public_may_see():
    assert mask_id_number("43038119800101123X") == "430381********123X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_bank_card("6217 0012 3456 7890 123") == "**** **** **** 0123"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧阳**"
    assert mask_id_number("") == "" and mask_phone(None) == ""
