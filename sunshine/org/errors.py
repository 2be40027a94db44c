"""Error codes of the organisation (regions, units, posts); each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode, Kind


class OrgErrorCode(ErrorCode):
    REGION_PARENT = "region_parent"
    REGION_PARENT_LEVEL = "region_parent_level"
    POSITION_DATES = "position_dates"
    POST_OCCUPIED = "post_occupied", Kind.CONFLICT
    # 三权分立 (account_role_set)
    ROLE_INVALID = "role_invalid"
    ROLE_OWN = "role_own", Kind.FORBIDDEN
    ROLE_SEPARATION = "role_separation", Kind.CONFLICT
    EXPORT_FORMAT = "export_format"
    CALENDAR_DAY = "calendar_day"
