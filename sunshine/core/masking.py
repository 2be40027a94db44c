"""Masking of personal data for every public page and export (ID number, phone, bank card, name)."""
from __future__ import annotations

import re

STAR = "*"


def mask_id_number(value: str | None) -> str:
    """First 6 and last 4 kept: 430381********123X."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 10:
        return STAR * len(value)
    return value[:6] + STAR * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """First 3 and last 4 kept: 138****5678."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 7:
        return STAR * len(value)
    return value[:3] + STAR * (len(value) - 7) + value[-4:]


def mask_bank_card(value: str | None) -> str:
    """Only the last 4 digits: **** **** **** 1234."""
    if not value:
        return ""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) <= 4:
        return STAR * len(digits)
    return "**** **** **** " + digits[-4:]


def mask_name(value: str | None) -> str:
    """Surname kept, the rest starred (张*, 欧阳**): for public exposure notices."""
    if not value:
        return ""
    value = str(value)
    if len(value) == 1:
        return value
    surname_len = 2 if len(value) >= 4 else 1
    return value[:surname_len] + STAR * (len(value) - surname_len)


# Free text (a purpose, a correction reason, an exposure notice) may quote a card, an ID or a phone number.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# A mobile as people write it: 13912345678, 139 1234 5678, 139-1234-5678.
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d(?:[ \-]?\d){8}(?![0-9A-Za-z])")
_DIGIT_RUN_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d[\d \-]{10,}\d(?![0-9A-Za-z])")
CARD_MIN_DIGITS = 15  # old 15-digit IDs and 16–19-digit bank cards; shorter runs are codes and amounts


def _mask_digit_run(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return mask_bank_card(digits) if len(digits) >= CARD_MIN_DIGITS else match.group(0)


def mask_text(text: str | None) -> str:
    """Mask every ID number, mobile number and card-like digit run inside a free-text field (the one function)."""
    if not text:
        return ""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(0))), text)
    return _DIGIT_RUN_IN_TEXT.sub(_mask_digit_run, text)
