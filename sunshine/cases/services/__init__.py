"""Writes of the report desk (三(三)), split by sub-domain; import from here."""
from .deadlines import deadline_meet, deadline_open, deadlines_check
from .intake import (
    handler_ask,
    messages_mark_read_by_handler,
    messages_mark_read_by_reporter,
    receipt_hash,
    report_confirm_type,
    report_for_receipt,
    report_mark_duplicate,
    report_submit,
    reporter_reply,
)
from .outcomes import (
    ExposedPerson,
    RecoveryStatus,
    accountability_record,
    dual_case_open,
    exposure_publish,
    funds_return_record,
    recall_record,
    recovery_record,
    recovery_status,
)
from .protection import IdentityView, identity_read
from .workflow import (
    allowed_transitions,
    case_copy_to_office,
    case_escalate_level,
    case_mark_suspected,
    case_set_priority,
    case_transfer,
    case_transition,
)

__all__ = [
    "ExposedPerson", "RecoveryStatus", "accountability_record", "dual_case_open", "exposure_publish",
    "funds_return_record", "recall_record", "recovery_record", "recovery_status",
    "IdentityView", "allowed_transitions", "case_copy_to_office", "case_escalate_level", "case_mark_suspected",
    "case_set_priority", "case_transfer", "case_transition", "deadline_meet", "deadline_open", "deadlines_check",
    "handler_ask", "identity_read", "messages_mark_read_by_handler", "messages_mark_read_by_reporter",
    "receipt_hash", "report_confirm_type", "report_for_receipt", "report_mark_duplicate", "report_submit",
    "reporter_reply",
]
