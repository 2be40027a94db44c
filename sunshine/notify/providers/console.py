"""The demo and development gateway: writes each message to the log and to a JSON-lines file under var/."""
from __future__ import annotations

import json
import logging
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from .base import OutgoingSms, QueryOutcome, QueryResult, Receipt, SendOutcome, SendResult, SmsProvider

logger = logging.getLogger("sunshine.sms")
_lock = threading.Lock()


@dataclass
class ConsoleProvider(SmsProvider):
    """Accepts every message and records it; the demo's desk page shows these as sent."""

    name: str = "console"
    path: Path | None = None

    def send(self, message: OutgoingSms) -> SendResult:
        message_id = "console-" + uuid.uuid4().hex[:20]
        record = {
            "id": message_id, "phone": message.phone, "template": message.template_code, "text": message.text,
            "out_id": message.idempotency_key, "at": timezone.now().isoformat(),
        }
        # DEBUG: a demo import queues tens of thousands; each dispatch run logs its own summary at INFO.
        logger.debug("SMS to %s [%s] %s", message.phone, message.idempotency_key, message.text)
        if self.path is not None:
            with _lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return SendResult(SendOutcome.ACCEPTED, provider_message_id=message_id)

    def query(self, message: OutgoingSms) -> QueryResult:
        """Look the message up in the file by its idempotency key, as a gateway's status query would."""
        if self.path is None or not self.path.exists():
            return QueryResult(QueryOutcome.NOT_FOUND)
        with _lock, self.path.open(encoding="utf-8") as fh:
            for line in fh:
                if message.idempotency_key in line:
                    record = json.loads(line)
                    if record.get("out_id") == message.idempotency_key:
                        return QueryResult(QueryOutcome.SENT, provider_message_id=record["id"])
        return QueryResult(QueryOutcome.NOT_FOUND)

    def parse_receipts(self, payload: object) -> list[Receipt]:
        """[{"id": ..., "delivered": true|false, "error": "..."}] (for demos and manual tests)."""
        items = payload if isinstance(payload, list) else [payload]
        receipts = []
        for item in items:
            if not isinstance(item, dict) or not item.get("id"):
                continue
            receipts.append(Receipt(delivered=bool(item.get("delivered")), provider_message_id=str(item["id"]),
                                    error=str(item.get("error") or ""), at=timezone.now()))
        return receipts
