"""Writes of the report desk (三(三)), split by sub-domain; import from here."""
from .clients import api_client_for_key, api_client_issue, api_client_revoke
from .deadlines import deadline_meet, deadline_open, deadlines_check
from .exposures import ExposedPerson, exposure_propose, exposure_review
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
    RecoveryStatus,
    accountability_record,
    dual_case_open,
    funds_return_record,
    recall_record,
    recovery_record,
    recovery_status,
)
from .protection import IdentityView, identity_read
from .transfers import case_escalate_level, case_mark_suspected, case_transfer
from .workflow import (
    case_assign_handler,
    case_copy_to_office,
    case_set_priority,
    case_transition,
    case_urge,
    handler_candidates,
)

__all__ = [
    "api_client_for_key", "api_client_issue", "api_client_revoke",
    "ExposedPerson", "IdentityView", "RecoveryStatus", "accountability_record", "case_assign_handler",
    "case_copy_to_office", "case_escalate_level", "case_mark_suspected", "case_set_priority", "case_transfer",
    "case_transition", "case_urge", "deadline_meet", "deadline_open", "deadlines_check", "dual_case_open",
    "exposure_propose", "exposure_review", "funds_return_record", "handler_ask", "handler_candidates",
    "identity_read", "messages_mark_read_by_handler", "messages_mark_read_by_reporter", "receipt_hash",
    "recall_record", "recovery_record", "recovery_status", "report_confirm_type", "report_for_receipt",
    "report_mark_duplicate", "report_submit", "reporter_reply",
]
