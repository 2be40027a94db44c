"""Deadline and protection settings of the report desk, read from settings.SUNSHINE_CASES with national defaults."""
from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # Working days. 转办/甄别 within 5; tell a real-name reporter whether it was accepted within 15;
    # reply to the reporter within 15 of the case's conclusion (national rules on petitions and reports).
    "TRANSFER_WORKING_DAYS": 5,
    "ACCEPT_NOTICE_WORKING_DAYS": 15,
    "REPLY_WORKING_DAYS": 15,
    "REMIND_BEFORE_WORKING_DAYS": 2,
    # 三(四)1: recovered money goes back "第一时间"; we call it late after this many calendar days.
    "FUNDS_RETURN_DAYS": 30,
    "CASE_NUMBER_PREFIX": "XJ",
    "MAX_TEXT_LENGTH": 5000,
    "MAX_ATTACHMENTS": 5,
    "MAX_ATTACHMENT_BYTES": 10 * 1024 * 1024,
    "SIMILARITY_THRESHOLD": 0.6,
    # A classifier suggestion at least this confident makes a clue a poverty clue (handled first).
    "POVERTY_SUGGESTION_SCORE": 0.5,
}


def get(name: str):
    return {**DEFAULTS, **getattr(settings, "SUNSHINE_CASES", {})}[name]
