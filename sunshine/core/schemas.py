"""Schemas shared by every API router."""
from ninja import Field, Schema


class ErrorOut(Schema):
    """The one error shape: {"detail": message, "code": machine code}, plus extras for 422 and 429."""

    detail: str
    code: str
    retry_after: int | None = Field(None, description="只在 429 时给出：多少秒后可以再试")
    errors: list[dict] | None = Field(None, description="只在 422 时给出：哪些参数有误")
