"""Error codes of the data comparison; each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode, Kind


class RedflagsErrorCode(ErrorCode):
    RULE_UNKNOWN = "rule_unknown", Kind.NOT_FOUND
    VERDICT = "verdict"
    REASON_REQUIRED = "reason_required"
    ALREADY_REVIEWED = "already_reviewed", Kind.CONFLICT
    RUN_IN_PROGRESS = "run_in_progress", Kind.CONFLICT
    REGISTRY_KIND = "registry_kind"
    SOURCE_REQUIRED = "source_required"
    DATA_DATE = "data_date"
