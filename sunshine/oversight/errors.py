"""Error codes of the oversight domain; each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode, Kind


class OversightErrorCode(ErrorCode):
    # i13b: registers of less burden, training, inspection, lasting mechanisms, assessment
    DATA_REQUEST_REFUSED = "data_request_refused", Kind.CONFLICT
    ASSESSMENT_REFUSED = "assessment_refused", Kind.CONFLICT
    ATTENDANCE_FILE = "attendance_file"
    NOT_A_VILLAGE = "not_a_village"
    WEAK_ORG_ACTIVE = "weak_org_active", Kind.CONFLICT
    ALREADY_DONE = "already_done", Kind.CONFLICT
    BAD_INPUT = "bad_input"
    # i13a: visits, 领办, 整改, presence checks, 约谈, leading group
    VISIT_PLACE = "visit_place"
    VISIT_DATE = "visit_date"
    VISITOR = "visitor"
    NOT_A_LEADER = "not_a_leader"
    ALREADY_LED = "already_led", Kind.CONFLICT
    CASE_CLOSED = "case_closed", Kind.CONFLICT
    NOT_LED = "not_led", Kind.CONFLICT
    RECTIFICATION_STATE = "rectification_state", Kind.CONFLICT
    SOURCE_KIND = "source_kind"
    OWNER = "owner"
    DEADLINE = "deadline"
    PRESENCE_POST = "presence_post"
    MEMBERSHIP = "membership"
