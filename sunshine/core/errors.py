"""One error type for expected failures; API and pages map it to the same message and status.

Every error code is a member of an app's `ErrorCode` enum (`<app>/errors.py`), and each member names its `Kind`:
the kind, not the raise site, decides the HTTP status, so the same failure answers the same status everywhere
(a refused transition is 409 in cases and in funds alike).
"""
from __future__ import annotations

from enum import IntEnum, StrEnum


class Kind(IntEnum):
    """The kinds of expected failure, each with its one HTTP status."""

    INVALID = 400  # the input is wrong: the user can correct it and send it again
    UNAUTHENTICATED = 401
    FORBIDDEN = 403  # the actor sees the record but may not do this
    NOT_FOUND = 404  # missing or outside the actor's jurisdiction (the two look the same on purpose)
    CONFLICT = 409  # refused by the record's state: a refused transition, already done, changed meanwhile
    REQUEST_SHAPE = 422  # the API request does not match its schema (django-ninja's validation)
    RATE_LIMITED = 429
    UNAVAILABLE = 503  # the server cannot answer now (an operator must act), the user cannot fix it


class ErrorCode(StrEnum):
    """Base of the per-app code enums: `NAME = "value"` is an INVALID code, `NAME = "value", Kind.X` another kind."""

    kind: Kind

    def __new__(cls, value: str, kind: Kind = Kind.INVALID):
        member = str.__new__(cls, value)
        member._value_ = value
        member.kind = kind
        return member


class CoreErrorCode(ErrorCode):
    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated", Kind.UNAUTHENTICATED
    FORBIDDEN = "forbidden", Kind.FORBIDDEN
    NOT_FOUND = "not_found", Kind.NOT_FOUND
    INVALID_REQUEST = "invalid_request", Kind.REQUEST_SHAPE
    HTTP_ERROR = "http_error"  # django-ninja's HttpError, which carries its own status
    RATE_LIMITED = "rate_limited", Kind.RATE_LIMITED
    INVALID_CHARACTERS = "invalid_characters"
    CALENDAR_UNKNOWN_YEAR = "calendar_unknown_year", Kind.UNAVAILABLE
    DATABASE_UNAVAILABLE = "database_unavailable", Kind.UNAVAILABLE  # connection lost mid-request: retry shortly
    # Uploaded tables (core/tabular.py, core/importjobs.py)
    FILE_MISSING = "file_missing"
    FILE_TYPE = "file_type"
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_UNREADABLE = "file_unreadable"
    ENCODING = "encoding"
    MISSING_COLUMNS = "missing_columns"
    JOB_FINISHED = "job_finished", Kind.CONFLICT
    CSV_MALFORMED = "csv_malformed"
    # Over a size limit (core/tabular.py TableLimits): refused before reading; the job ends failed
    FILE_TOO_MANY_ROWS = "file_too_many_rows"
    FILE_TOO_MANY_COLUMNS = "file_too_many_columns"
    FILE_CELL_TOO_LONG = "file_cell_too_long"
    FILE_LINE_TOO_LONG = "file_line_too_long"
    FILE_EXPANDS_TOO_MUCH = "file_expands_too_much"
    # Running a failed import job again (core/importjobs.py import_job_retry)
    JOB_NOT_FAILED = "job_not_failed", Kind.CONFLICT
    FILE_GONE = "file_gone", Kind.CONFLICT
    # The plan's per-year numbers (core/plan.py)
    PLAN_PARAM_UNKNOWN = "plan_param_unknown", Kind.NOT_FOUND
    PLAN_VALUE_INVALID = "plan_value_invalid"


class ApplicationError(Exception):
    """An expected failure a user can act on: shown as a 4xx with its message, never a 500.

    `code` is an `ErrorCode` member; its kind gives the status. A plain string (a code not yet moved into its
    app's enum) answers the class's own status.
    """

    status = Kind.INVALID.value
    default_code: ErrorCode = CoreErrorCode.INVALID

    def __init__(self, message: str, *, code: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else self.default_code
        if isinstance(self.code, ErrorCode):
            self.status = self.code.kind.value
        self.extra = extra or {}

    def as_dict(self) -> dict:
        body = {"detail": self.message, "code": str(self.code)}
        if self.extra:
            body.update(self.extra)
        return body


class NotFound(ApplicationError):
    """Missing or outside the actor's jurisdiction: the two look the same on purpose."""

    status = Kind.NOT_FOUND.value
    default_code = CoreErrorCode.NOT_FOUND

    def __init__(self, message: str = "未找到该记录", *, code: str | None = None):
        super().__init__(message, code=code)


class Forbidden(ApplicationError):
    """The actor can see the record but lacks the capability for this action."""

    status = Kind.FORBIDDEN.value
    default_code = CoreErrorCode.FORBIDDEN

    def __init__(self, message: str = "您没有执行此操作的权限", *, code: str | None = None):
        super().__init__(message, code=code)
