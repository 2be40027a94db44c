"""Writes of the notify app. Other apps queue SMS through sms_queue, sms_queue_many and SmsDraft (and the
importers' SmsBulkWriter); they never write a message's status."""
from .dispatch import DispatchReport, backoff_seconds, sms_dispatch_pending, sms_next_due_at, sms_transition
from .outbox import SmsDraft, sms_queue, sms_queue_many
from .receipts import sms_receipts_apply
from .templates import sms_render, sms_template_update
from .unmask import sms_phones_unmasked

__all__ = [
    "DispatchReport", "SmsDraft", "backoff_seconds", "sms_dispatch_pending", "sms_next_due_at", "sms_queue",
    "sms_phones_unmasked", "sms_queue_many", "sms_receipts_apply", "sms_render", "sms_template_update", "sms_transition",
]
