"""API schemas of the SMS outbox: explicit fields; phone numbers masked unless the actor may see them."""
from __future__ import annotations

import datetime as dt

from ninja import Schema

from sunshine.core.schemas import ErrorOut  # noqa: F401  (re-exported: the one error shape)


class SmsMessageOut(Schema):
    id: int
    template_code: str
    phone: str  # masked unless the actor holds notify.view_full_phone
    text: str
    purpose: str
    related_type: str
    related_id: int | None
    status: str
    status_name: str
    attempts: int
    last_error: str
    provider: str
    provider_message_id: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    delivered_at: dt.datetime | None
    failed_at: dt.datetime | None


class SmsAttemptOut(Schema):
    outcome: str
    provider: str
    provider_message_id: str
    error: str
    status_after: str
    at: dt.datetime


class SmsMessageDetailOut(SmsMessageOut):
    history: list[SmsAttemptOut]


class SmsCountsOut(Schema):
    queued: int
    sending: int
    unknown: int
    sent: int
    delivered: int
    failed: int


class ReceiptAckOut(Schema):
    """What each gateway expects back: Aliyun {"code": 0, "msg": …}, Tencent {"result": 0, "errmsg": …}."""

    code: int | None = None
    msg: str | None = None
    result: int | None = None
    errmsg: str | None = None
