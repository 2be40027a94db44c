"""One error type for expected failures; API and pages map it to the same message."""
from __future__ import annotations


class ApplicationError(Exception):
    """An expected failure a user can act on: shown as a 4xx with its message, never a 500."""

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", status: int | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status
        self.extra = extra or {}

    def as_dict(self) -> dict:
        body = {"detail": self.message, "code": self.code}
        if self.extra:
            body.update(self.extra)
        return body


class NotFound(ApplicationError):
    """Missing or outside the actor's jurisdiction: the two look the same on purpose."""

    status = 404

    def __init__(self, message: str = "未找到该记录", *, code: str = "not_found"):
        super().__init__(message, code=code)


class Forbidden(ApplicationError):
    """The actor can see the record but lacks the capability for this action."""

    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限", *, code: str = "forbidden"):
        super().__init__(message, code=code)
