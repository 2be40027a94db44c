"""The one interface every SMS gateway sits behind, and the outcomes a dispatcher acts on."""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field


class SendOutcome(enum.StrEnum):
    ACCEPTED = "accepted"  # the gateway took the message: status 'sent'
    RETRY = "retry"  # throttled or a temporary error: try again later, with backoff
    FAILED = "failed"  # permanent (bad number, bad credentials, template refused): status 'failed'
    UNKNOWN = "unknown"  # no answer (timeout, connection dropped): ask the gateway before any resend


class QueryOutcome(enum.StrEnum):
    SENT = "sent"  # the gateway has it, delivery not yet reported
    DELIVERED = "delivered"
    FAILED = "failed"  # the gateway has it and delivery failed
    NOT_FOUND = "not_found"  # the gateway has no record of it
    UNKNOWN = "unknown"  # the query itself failed


@dataclass(frozen=True)
class OutgoingSms:
    """What a gateway needs to send or find one message."""

    phone: str
    template_code: str
    params: list[list[str]]  # [[name, value], ...] in template order
    text: str
    idempotency_key: str
    queued_at: dt.datetime
    provider_message_id: str = ""
    last_attempt_at: dt.datetime | None = None


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    provider_message_id: str = ""
    error: str = ""
    retry_after: float | None = None  # seconds, when the gateway says


@dataclass(frozen=True)
class QueryResult:
    outcome: QueryOutcome
    provider_message_id: str = ""
    error: str = ""


@dataclass(frozen=True)
class Receipt:
    """A delivery report pushed by the gateway: matched by the gateway's id or by our idempotency key."""

    delivered: bool
    provider_message_id: str = ""
    idempotency_key: str = ""
    error: str = ""
    at: dt.datetime | None = None


@dataclass
class SmsProvider:
    """Base of every gateway client. `settle_after`: how long after a send its absence from a query proves it
    was never taken (gateways index sent messages with a delay; Tencent only reports once delivery is known)."""

    name: str = "base"
    settle_after: dt.timedelta = field(default_factory=lambda: dt.timedelta(0))

    def send(self, message: OutgoingSms) -> SendResult:
        raise NotImplementedError

    def query(self, message: OutgoingSms) -> QueryResult:
        raise NotImplementedError

    def parse_receipts(self, payload: object) -> list[Receipt]:
        raise NotImplementedError

    # What the gateway expects back after a receipt push.
    receipt_ack: dict = field(default_factory=lambda: {"code": 0, "msg": "成功"})
