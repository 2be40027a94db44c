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
