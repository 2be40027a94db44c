"""Delivery receipts pushed by a gateway: each settles one message as delivered or failed."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from ..choices import AttemptOutcome, SmsStatus
from ..models import SmsMessage
from ..providers import Receipt
from .dispatch import sms_transition

# A receipt can overtake our own record of the send (a worker died, or the send timed out), so it settles
# 'sending' and 'unknown' rows too; a delivered or failed row stays as it is.
RECEIPT_FROM = (SmsStatus.SENT, SmsStatus.SENDING, SmsStatus.UNKNOWN)


@dataclass
class ReceiptReport:
    applied: int = 0
    unmatched: int = 0


def sms_receipts_apply(*, provider: str, receipts: list[Receipt]) -> ReceiptReport:
    report = ReceiptReport()
    for receipt in receipts:
        qs = SmsMessage.objects.none()
        if receipt.idempotency_key:
            qs = SmsMessage.objects.filter(idempotency_key=receipt.idempotency_key)
        elif receipt.provider_message_id:
            qs = SmsMessage.objects.filter(provider=provider, provider_message_id=receipt.provider_message_id)
        message = qs.only("pk", "provider_message_id").first()
        if message is None:
            report.unmatched += 1
            continue
        to = SmsStatus.DELIVERED if receipt.delivered else SmsStatus.FAILED
        fields = {"provider_message_id": receipt.provider_message_id or message.provider_message_id}
        if receipt.delivered:
            fields["delivered_at"] = receipt.at or timezone.now()
        if sms_transition(message_id=message.pk, to=to, from_statuses=RECEIPT_FROM, outcome=AttemptOutcome.RECEIPT,
                          provider=provider, error="" if receipt.delivered else (receipt.error or "用户未收到"),
                          **fields):
            report.applied += 1
    return report
