"""Error codes of the staff pages' own form parsing; each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode


class DeskErrorCode(ErrorCode):
    UNIT_REQUIRED = "unit_required"
    OTHER_CASE = "other_case"
    POSITION = "position"
