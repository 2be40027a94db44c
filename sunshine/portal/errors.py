"""Error codes of the public pages' own form parsing; each names its kind, and so its HTTP status."""
from sunshine.core.errors import ErrorCode


class PortalErrorCode(ErrorCode):
    RECEIPT_REQUIRED = "receipt_required"
    HONEYPOT = "honeypot"
