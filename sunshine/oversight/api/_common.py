"""Shared bits of oversight's field-work API modules (i13a)."""
from sunshine.core.schemas import ErrorOut

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
