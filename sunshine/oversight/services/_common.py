"""Helpers of oversight's field-work services (i13a): text, dates, capability checks."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sunshine.core.errors import ApplicationError, Forbidden
from sunshine.org.capabilities import has_capability

from ..errors import OversightErrorCode


def require(actor, capability: str) -> None:
    if not has_capability(actor, capability):
        raise Forbidden()


def today_local() -> dt.date:
    return timezone.localdate()


def clean_text(value, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(f"请填写{field}", code=OversightErrorCode.BAD_INPUT)
    if len(text) > max_length:
        raise ApplicationError(f"{field}不能超过{max_length}字", code=OversightErrorCode.BAD_INPUT)
    return text


def not_future(day: dt.date, *, field: str, today: dt.date | None = None) -> dt.date:
    if day is None:
        raise ApplicationError(f"请填写{field}", code=OversightErrorCode.BAD_INPUT)
    if day > (today or today_local()):
        raise ApplicationError(f"{field}不能晚于今天", code=OversightErrorCode.BAD_INPUT)
    return day
