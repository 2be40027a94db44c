"""Shared bits of oversight's field-work API modules (i13a)."""
from ninja import Field, Schema

from sunshine.core.schemas import ErrorOut

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
MAX_ID = 2**53  # ids a client may send (beyond this no record exists; the database is never asked)


class YearFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
