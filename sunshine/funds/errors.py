"""Error codes of the funds domain; each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode, Kind


class FundsErrorCode(ErrorCode):
    # Records (entry, edit, correction)
    DUPLICATE = "duplicate", Kind.CONFLICT
    NOT_EDITABLE = "not_editable", Kind.CONFLICT
    NOT_CURRENT = "not_current", Kind.CONFLICT
    UNCHANGED = "unchanged"
    ACCOUNT_UNKNOWN = "account_unknown"
    # Projects (stages, facts)
    BAD_TRANSITION = "bad_transition", Kind.CONFLICT
    FACT_MISSING = "fact_missing"
    CODE_CONFLICT = "conflict", Kind.CONFLICT
    # Project spending (三(二)3 资金使用情况)
    OVER_ALLOCATION = "over_allocation", Kind.CONFLICT
    ALLOCATION_NOT_FOR_PROJECT = "allocation_not_for_project"
    TRANSACTION_NOT_PAYMENT = "transaction_not_payment"
    # Notices (三(二)3 publication)
    NOTICE_PERIOD_TOO_SHORT = "notice_period_too_short"
    NOTICE_START_PAST = "notice_start_past"
    NOTICE_EMPTY = "notice_empty"
    NOTICE_TOO_BIG = "notice_too_big"
    NOTICE_RECORDS = "notice_records"
    NOTICE_STALE = "notice_stale", Kind.CONFLICT
    PUBLISHED = "published", Kind.CONFLICT
    ALREADY_PUBLISHED = "already_published", Kind.CONFLICT
    # A household's own payments (public lookup)
    INVALID_LOOKUP = "invalid_lookup"
    LOOKUP_NOT_FOUND = "lookup_not_found", Kind.NOT_FOUND
    # A household's own page: its personal link, a one-time code sent to its phone
    HOUSEHOLD_LINK_INVALID = "household_link_invalid", Kind.NOT_FOUND
    HOUSEHOLD_CODE_INVALID = "household_code_invalid"
