"""Masking of personal data for every public page and export (ID number, phone, bank card, name)."""
from __future__ import annotations

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
