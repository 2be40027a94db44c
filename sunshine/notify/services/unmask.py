"""Whole phone numbers shown to a holder of notify.view_full_phone: each page or answer that shows at least one
unmasked number is one UNMASK audit record (how many numbers, never the numbers)."""
from __future__ import annotations

from collections.abc import Iterable

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.org.capabilities import has_capability

from ..capabilities import Capability


def sms_phones_unmasked(*, actor, messages: Iterable) -> int:
    """Record the unmasking of the numbers `actor` is about to see in full; returns how many (0: nothing shown in
    full, no record). A reporter's (protected) number is never shown, so it is never counted."""
    if not has_capability(actor, Capability.VIEW_FULL_PHONE):
        return 0
    shown = [m for m in messages if not m.protected and m.phone]
    if shown:
        audit_record(event=AuditEvent.UNMASK, actor=actor, object_type="notify.smsmessage",
                     object_id=shown[0].pk if len(shown) == 1 else "",
                     detail={"field": "phone", "count": len(shown)})
    return len(shown)
