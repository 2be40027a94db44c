"""Error codes of the cases domain; each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode, Kind


class CasesErrorCode(ErrorCode):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    # Intake (the report form, the receipt code, attachments, the arithmetic challenge)
    CHANNEL = "channel"
    ABOUT_TYPE = "about_type"
    PROBLEM_TYPE = "problem_type"
    REGION_LEVEL = "region_level"
    SELF_DUPLICATE = "self_duplicate"
    RECEIPT_UNKNOWN = "receipt_unknown", Kind.NOT_FOUND
    TOO_MANY_ATTACHMENTS = "too_many_attachments"
    ATTACHMENT_TOO_LARGE = "attachment_too_large"
    ATTACHMENT_EMPTY = "attachment_empty"
    ATTACHMENT_DAMAGED = "attachment_damaged"
    ATTACHMENT_TOO_MANY_PIXELS = "attachment_too_many_pixels"
    ATTACHMENT_ACTIVE_PDF = "attachment_active_pdf"
    ATTACHMENT_ENCRYPTED_PDF = "attachment_encrypted_pdf"
    ATTACHMENT_TOO_MANY_PAGES = "attachment_too_many_pages"
    ATTACHMENT_TYPE = "attachment_type"
    CHALLENGE_MISSING = "challenge_missing"
    CHALLENGE_EXPIRED = "challenge_expired"
    CHALLENGE_INVALID = "challenge_invalid"
    CHALLENGE_USED = "challenge_used"
    CHALLENGE_WRONG = "challenge_wrong"
    API_CLIENT_UNKNOWN = "api_client_unknown", Kind.NOT_FOUND
    API_CLIENT_REVOKED = "api_client_revoked", Kind.CONFLICT
    API_KEY_INVALID = "api_key_invalid", Kind.FORBIDDEN
    # Workflow (transitions, transfer, escalation)
    BAD_TRANSITION = "bad_transition", Kind.CONFLICT
    CLOSED = "closed", Kind.CONFLICT
    ALREADY_OURS = "already_ours", Kind.CONFLICT
    TO_UNIT_REQUIRED = "to_unit_required"
    SAME_UNIT = "same_unit"
    FINDING_REQUIRED = "finding_required"
    REASON_REQUIRED = "reason_required"
    NOT_ACCOUNTABLE = "not_accountable", Kind.CONFLICT
    # Outcomes (accountability, recoveries, recalls, exposure)
    NOT_CONCLUDED = "not_concluded", Kind.CONFLICT
    NOT_SUBSTANTIATED = "not_substantiated", Kind.CONFLICT
    ALREADY_EXPOSED = "already_exposed", Kind.CONFLICT
    ALREADY_RETURNED = "already_returned", Kind.CONFLICT
    ALREADY_RECALLED = "already_recalled", Kind.CONFLICT
    POSITION_ENDED = "position_ended", Kind.CONFLICT
    AMOUNT = "amount"
    FUTURE_DATE = "future_date"
    MEASURE = "measure"
    ACCOUNTABILITY_TARGET = "accountability_target"
    OVER_RETURN = "over_return"
    RETURN_BEFORE_RECOVERY = "return_before_recovery"
    RECALL_KIND = "recall_kind"
    RECALL_POST = "recall_post"
    SANCTION_REQUIRED = "sanction_required"
    SANCTION_NOT_APPLICABLE = "sanction_not_applicable"
    NOT_PENDING = "not_pending", Kind.CONFLICT
    # The case desk: 承办人, 督办, transfers
    REPLY_REQUIRED = "reply_required", Kind.CONFLICT
    CLOSE_REFUSED = "close_refused", Kind.CONFLICT  # a registered close guard (e.g. 领办 meeting) says not yet
    HANDLER_NOT_IN_UNIT = "handler_not_in_unit"
    PAST_DATE = "past_date"
    TRANSFER_KIND = "transfer_kind"
    # Whistleblower identity
    IDENTITY_NAME = "identity_name"
    IDENTITY_PHONE = "identity_phone"
    IDENTITY_ID_NUMBER = "identity_id_number"
    ANONYMOUS = "anonymous", Kind.NOT_FOUND
