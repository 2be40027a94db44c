"""Error codes of the statistics app; each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode, Kind


class StatsErrorCode(ErrorCode):
    TABLE_FORBIDDEN = "table_forbidden", Kind.FORBIDDEN
    BRIEF_INVALID = "brief_invalid"
    BRIEF_ISSUED = "brief_issued", Kind.CONFLICT
    UNMASK_REASON = "unmask_reason"
