"""Notify tests: the console gateway writes to a temporary file, no rate limit unless a test sets one."""
from __future__ import annotations

import json

import pytest


@pytest.fixture(autouse=True)
def sms_settings(settings, tmp_path):
    settings.SMS_PROVIDER = "console"
    settings.SMS_CONSOLE_FILE = str(tmp_path / "console-sms.jsonl")
    settings.SMS_RATE_PER_SECOND = 0
    settings.SMS_RECEIPT_TOKEN = "receipt-token-for-tests"
    return settings


@pytest.fixture
def console_sent(sms_settings):
    """The messages the console gateway has 'sent' so far."""
    from pathlib import Path

    def _read() -> list[dict]:
        path = Path(sms_settings.SMS_CONSOLE_FILE)
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    return _read


PAYMENT_PARAMS = {
    "item": "产业发展补助", "amount": "¥1,200.00", "date": "2026年11月20日", "village": "测试村1",
    "link": "〔个人链接〕", "check_url": "http://127.0.0.1:8000/f/", "hotline": "0731-12388",
}


@pytest.fixture
def payment_params():
    return dict(PAYMENT_PARAMS)
